"""Which addresses onrecord may fetch from: the public internet only, unless told otherwise.

A URL in a feed, a redirect or a list of sources can name any host, and a fetch from inside a
newsroom's network could read what only that network should see (an admin page on
localhost, a cloud metadata service at 169.254.169.254, an intranet wiki): server-side request
forgery. So before every connection, and again on every redirect hop and every feed link, the
host is resolved and each address it resolves to is checked; the connection then goes to the
checked address itself (the Host header and TLS name stay the URL's), so a second DNS answer
cannot swap in an internal address between the check and the connect (DNS rebinding).

Refused unless ``allow_private``: loopback, private (RFC 1918, fc00::/7), shared (100.64/10),
link-local, multicast, reserved, unspecified and documentation addresses, and IPv4 addresses
dressed as IPv6 (``::ffff:127.0.0.1``, 6to4, Teredo) that hide one of those.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

ALLOW_HINT = "pass --allow-private-addresses (allow_private=True) to fetch from internal hosts"


class Refused(Exception):
    """A URL onrecord will not fetch; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as the URL gives it (for the Host header and TLS)
    port: int
    address: str  # the checked address to connect to
    path: str  # path and query, as sent in the request line


def resolve(url: str, *, allow_private: bool = False) -> Target:
    """Where to connect for ``url``, after checking every address its host resolves to."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(f"refused to fetch {url}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise Refused(f"refused to fetch {url}: the URL names no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise Refused(f"refused to fetch {url}: the port is not a number from 0 to 65535") from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise Refused(f"could not fetch {url}: cannot resolve {host} ({err})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Refused(f"could not fetch {url}: {host} has no address")
    if not allow_private:
        for address in addresses:
            why = internal(address)
            if why:
                named = host if host == address else f"{host} resolves to {address}, which"
                raise Refused(f"refused to fetch {url}: {named} is {why}; {ALLOW_HINT}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, host, port, addresses[0], path)


def internal(address: str) -> str | None:
    """Why ``address`` is not on the public internet ("a loopback address"), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        hidden = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if hidden is not None:
            why = internal(str(hidden))
            if why:
                return f"{why} (written as IPv6)"
    for test, name in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_private, "a private-network address"),
        (ip.is_reserved, "a reserved address"),
    ):
        if test:
            return name
    if not ip.is_global:  # shared address space (100.64/10), documentation ranges, ...
        return "not a public internet address"
    return None
