"""Fetching refuses internal addresses, stops at a deadline and a size cap (issue 9, found as bugs).

Every server here listens on loopback, started by the test. Loopback addresses other than
127.0.0.1 (127.0.0.2, ...) stand in for "a public host" where a test patches netguard to
treat them so: that is how a public page redirecting to an internal one is tested without
the network.
"""

from __future__ import annotations

import gzip
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from onrecord.ingest import fetch as fetch_module
from onrecord.ingest import iter_documents, netguard
from onrecord.ingest.feeds import read_feed
from onrecord.ingest.fetch import fetch

PUBLIC_STAND_IN = "127.0.0.2"
PAGE = b"<html><head><title>Secret</title></head><body><p>" + b"Internal page. " * 40 + b"</p></body></html>"


@contextmanager
def serve(
    routes: dict[str, tuple[int, dict[str, str], bytes]], host: str = "127.0.0.1"
) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server; yields its base URL and the paths it was asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            status, headers, body = routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for k, v in {"Content-Type": "text/html", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}", asked
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
        if fetch_module._pool is not None:
            fetch_module._pool.clear()


@pytest.fixture()
def public_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let 127.0.0.2 pass as a public address, and public.test resolve to it."""
    real_internal, real_getaddrinfo = netguard.internal, socket.getaddrinfo
    monkeypatch.setattr(netguard, "internal", lambda a: None if a == PUBLIC_STAND_IN else real_internal(a))

    def getaddrinfo(host: str, port: object, *args: object, **kwargs: object) -> list:
        if host == "public.test":
            host = PUBLIC_STAND_IN
        return real_getaddrinfo(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "address, why",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "public"),
        ("::ffff:127.0.0.1", "IPv6"),
        ("::ffff:10.0.0.1", "IPv6"),
        ("2002:7f00:1::", "IPv6"),
    ],
)
def test_internal_addresses_are_named(address: str, why: str):
    assert why in (netguard.internal(address) or "")


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str):
    assert netguard.internal(address) is None


def test_loopback_is_refused_by_default_and_nothing_is_asked():
    with serve({"/": (200, {}, PAGE)}) as (base, asked):
        got = fetch(f"{base}/")
        assert got.body is None and "loopback" in got.error and "--allow-private-addresses" in got.error
        assert asked == []
        by_name = fetch(base.replace("127.0.0.1", "localhost") + "/")
        assert by_name.body is None and "refused" in by_name.error and asked == []
        mapped = fetch(base.replace("127.0.0.1", "[::ffff:127.0.0.1]") + "/")
        assert mapped.body is None and "refused" in mapped.error
        allowed = fetch(f"{base}/", allow_private=True)
        assert allowed.body == PAGE and asked == ["/"]


def test_a_public_page_redirecting_to_loopback_is_refused(public_stand_in: None):
    with serve({"/secret": (200, {}, PAGE)}) as (internal, asked_inside):
        port = internal.rsplit(":", 1)[1]
        routes = {
            "/to-ip": (302, {"Location": f"http://127.0.0.1:{port}/secret"}, b""),
            "/to-name": (301, {"Location": f"http://localhost:{port}/secret"}, b""),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/ok": (302, {"Location": "/page"}, b""),
            "/page": (200, {}, PAGE),
        }
        with serve(routes, host=PUBLIC_STAND_IN) as (public, asked_outside):
            public = public.replace(PUBLIC_STAND_IN, "public.test")
            for path in ("/to-ip", "/to-name"):
                got = fetch(public + path)
                assert got.body is None and "refused" in got.error and "loopback" in got.error, got.error
            assert asked_inside == []
            assert "only http and https" in fetch(public + "/to-file").error
            assert "more than 5 redirects" in fetch(public + "/loop").error
            ok = fetch(public + "/ok")
            assert ok.body == PAGE and ok.final_url == public + "/page"
            assert asked_outside.count("/loop") == 6


def test_dns_rebinding_cannot_swap_the_checked_address(monkeypatch: pytest.MonkeyPatch, public_stand_in: None):
    """The connection goes to the address that was checked, whatever the next DNS answer."""
    answers = iter([PUBLIC_STAND_IN] + ["127.0.0.1"] * 10)
    real = socket.getaddrinfo

    def rebinding(host: str, port: object, *args: object, **kwargs: object) -> list:
        return real(next(answers) if host == "rebind.test" else host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", rebinding)
    with (
        serve({"/": (200, {}, b"inside")}) as (_inside, asked_inside),
        serve({"/": (200, {}, PAGE)}, host=PUBLIC_STAND_IN) as (public, _asked),
    ):
        got = fetch(public.replace(PUBLIC_STAND_IN, "rebind.test") + "/")
        assert got.body == PAGE and asked_inside == []


def test_feed_links_to_internal_hosts_are_not_followed():
    with serve({"/story": (200, {}, PAGE)}) as (base, asked):
        rss = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>T</title>'
            f"<link>{base}/story</link><description>Only a teaser.</description></item></channel></rss>"
        ).encode()
        [entry] = read_feed(rss, source="feed.xml", captured_at=None)
        assert entry.text is None and "refused" in entry.error and entry.meta["summary"] == "Only a teaser."
        assert asked == []
        [allowed] = read_feed(rss, source="feed.xml", captured_at=None, allow_private=True)
        assert allowed.text and "Internal page." in allowed.text


def test_iter_documents_refuses_by_default_and_allows_when_told():
    with serve({"/": (200, {}, PAGE)}) as (base, _asked):
        [refused] = iter_documents([f"{base}/"])
        assert refused.text is None and "refused" in refused.error
        [page] = iter_documents([f"{base}/"], allow_private=True)
        assert page.text and "Internal page." in page.text


@contextmanager
def dripping_server() -> Iterator[str]:
    """Answers 200, then sends 8 bytes every 0.2 s for as long as the client listens."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    done = threading.Event()

    def run() -> None:
        sock.settimeout(0.2)
        while not done.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000000\r\n\r\n")
            try:
                while not done.is_set():
                    conn.sendall(b"<p>drip ")
                    time.sleep(0.2)
            except OSError:
                pass
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    finally:
        done.set()
        thread.join()
        sock.close()
        if fetch_module._pool is not None:
            fetch_module._pool.clear()


def test_a_dripping_server_is_cut_off_at_the_deadline():
    def hang(_signum: int, _frame: object) -> None:
        raise AssertionError("the fetch outlived its deadline by far")

    signal.signal(signal.SIGALRM, hang)
    signal.alarm(30)
    try:
        with dripping_server() as url:
            started = time.monotonic()
            got = fetch(url, timeout=5, deadline=1.5, allow_private=True)
            took = time.monotonic() - started
    finally:
        signal.alarm(0)
    assert got.body is None and "within 1.5 s" in got.error
    assert took < 10  # per-read timeouts alone would let it run for ever


def test_an_http_gzip_bomb_stops_at_the_cap_on_the_decoded_body():
    bomb = gzip.compress(b"\0" * 30_000_000, 9)  # ~30 KB on the wire
    with serve({"/bomb": (200, {"Content-Encoding": "gzip"}, bomb)}) as (base, _asked):
        got = fetch(f"{base}/bomb", max_bytes=1_000_000, allow_private=True)
    assert got.body is None and "once decompressed" in got.error
