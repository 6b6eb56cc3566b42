"""Ingest readers: every kind of source -> Documents, and every kind of damage -> one clear error.

Inputs are built here in sight (WARCs with warcio's writer, pages in odd encodings, a 50 MB
page); URLs are served by a loopback http.server started by the test, never the network.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import json
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from onrecord.ingest import count_sources, iter_documents
from onrecord.ingest.feeds import read_feed
from onrecord.ingest.fetch import fetch
from onrecord.ingest.html import html_document
from onrecord.ingest.jsonl import iter_jsonl
from onrecord.ingest.warc import iter_warc

from .conftest import shared_path

PARA = (
    "The foreign minister said on Tuesday that the talks would continue next week in Geneva, "
    "and officials from both sides confirmed that trade and security were on the agenda."
)


def article_html(
    *,
    title: str = "Talks to continue in Geneva",
    body: str = PARA,
    lang: str | None = "en",
    charset: str | None = "utf-8",
    extra_head: str = "",
) -> str:
    paras = "".join(f"<p>{body} Paragraph {i}.</p>" for i in range(6))
    return (
        f"<!DOCTYPE html><html{f' lang={lang!r}' if lang else ''}><head>"
        f"{f'<meta charset={charset!r}>' if charset else ''}<title>{title} | Daily Planet</title>{extra_head}"
        f'</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{title}</h1>{paras}</article><footer>Copyright Daily Planet</footer></body></html>"
    )


META_HEAD = (
    '<link rel="canonical" href="https://planet.example/world/talks-geneva">'
    '<meta property="og:site_name" content="Daily Planet">'
    '<meta name="author" content="Lois Lane">'
    '<meta property="article:published_time" content="2022-01-14T09:00:00Z">'
)


def docs(*sources: str, **options) -> list:
    return list(iter_documents(list(sources), **options))


# --- plain text -------------------------------------------------------------------------


def test_text_is_the_file_exactly_without_its_bom(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf  Headline\r\n\r\nThe minister said so.  \n"
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    [doc] = docs(str(path))
    assert doc.text == "  Headline\r\n\r\nThe minister said so.  \n"  # no stripping, no newline changes
    assert doc.id == doc.source == str(path) and doc.kind == "text" and doc.error is None
    assert doc.raw_sha256 == hashlib.sha256(raw).hexdigest()  # hash of the bytes as captured
    assert doc.captured_at and doc.captured_at.endswith("Z") and doc.captured_at[:4].isdigit()


def test_text_not_utf8_names_the_encoding_option_and_reads_with_it(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Café au lait, said the minister.".encode("latin-1"))
    [doc] = docs(str(path))
    assert doc.text is None and "--encoding" in doc.error and "not UTF-8" in doc.error
    [doc] = docs(str(path), encoding="latin-1")
    assert doc.text == "Café au lait, said the minister." and doc.error is None


def test_unknown_encoding_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match="unknown encoding"):
        docs("x.txt", encoding="no-such-codec")


# --- folders, dispatch, counting ----------------------------------------------------------


def test_folder_is_read_recursively_in_sorted_order_skipping_other_files(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("First article text.", encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.md").write_text("Deep article text.", encoding="utf-8")
    (tmp_path / "b" / "page.html").write_text(article_html(), encoding="utf-8")
    (tmp_path / "b" / "lines.jsonl").write_text('{"id": "L1", "text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    found = docs(str(tmp_path))
    ids = [d.id for d in found]
    assert ids == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "deep" / "c.md"),
        "L1",
        f"{tmp_path / 'b' / 'lines.jsonl'}#2",
        str(tmp_path / "b" / "page.html"),
    ]
    assert [d.kind for d in found] == ["text", "text", "jsonl", "jsonl", "html"]
    assert all(d.error is None for d in found)
    assert count_sources([str(tmp_path)]) == 5


def test_count_sources_is_none_when_not_knowable(tmp_path: Path) -> None:
    assert count_sources(["http://127.0.0.1:1/feed"]) is None
    assert count_sources(["-"]) is None
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert count_sources([str(tmp_path / "x.txt"), str(tmp_path / "x.txt")]) == 2


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    page = tmp_path / "download.dat"
    page.write_text(article_html(), encoding="utf-8")
    [doc] = docs(str(page))
    assert doc.kind == "html" and "talks would continue" in doc.text


def test_missing_file_is_an_error_document() -> None:
    [doc] = docs("/no/such/file.txt")
    assert doc.text is None and "no such file" in doc.error


def test_stdin_is_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b'{"id": "s1", "text": "From standard input."}\n'))
    monkeypatch.setattr(sys, "stdin", stdin)
    [doc] = docs("-")
    assert (doc.id, doc.text, doc.kind) == ("s1", "From standard input.", "jsonl")


# --- JSONL --------------------------------------------------------------------------------


def test_jsonl_keeps_ids_meta_and_reports_bad_lines_in_place(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + "\n".join(
            [
                json.dumps(
                    {
                        "id": "a-1",
                        "text": "One.",
                        "published": "2022-01-14T10:00:00Z",
                        "outlet": "AP",
                        "url": "https://x/1",
                    }
                ),
                json.dumps({"text": "No id here."}),
                '{"id": "broken-3", "text": "unterminated',
                json.dumps({"id": 7, "text": 5}),
                json.dumps({"id": "bad-date", "text": "x", "published": "last Tuesday"}),
                "",
                json.dumps({"id": "h", "html": article_html(extra_head=META_HEAD), "title": "Given title"}),
            ]
        ).encode("utf-8")
        + b"\n"
    )
    found = docs(str(path))
    assert [d.id for d in found] == ["a-1", f"{path}#2", "broken-3", "7", "bad-date", "h"]
    one = found[0]
    assert (one.text, one.published, one.url, one.meta) == ("One.", "2022-01-14", "https://x/1", {"outlet": "AP"})
    assert one.source == f"{path}#1" and one.raw_sha256
    assert "not valid JSON" in found[2].error and found[2].text is None
    assert "must be a string" in found[3].error
    assert "YYYY-MM-DD" in found[4].error
    html = found[5]
    assert html.error is None and "talks would continue" in html.text and "Home" not in html.text
    assert html.title == "Given title" and html.author == "Lois Lane" and html.published == "2022-01-14"


def test_jsonl_is_streamed_line_by_line() -> None:
    read = []

    def lines() -> Iterator[bytes]:
        for n in range(1_000_000):
            read.append(n)
            yield json.dumps({"id": n, "text": f"Article {n}."}).encode() + b"\n"

    stream = iter_jsonl(lines(), name="big.jsonl")
    first = next(stream)
    assert first.id == "0" and len(read) == 1  # nothing read ahead: memory stays flat


def test_jsonl_gz_and_a_truncated_one(tmp_path: Path) -> None:
    data = gzip.compress(
        b"".join(json.dumps({"id": f"g{n}", "text": "x" * 2000 + str(n)}).encode() + b"\n" for n in range(50))
    )
    (tmp_path / "ok.jsonl.gz").write_bytes(data)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    assert [d.id for d in docs(str(tmp_path / "ok.jsonl.gz"))] == [f"g{n}" for n in range(50)]
    cut = docs(str(tmp_path / "cut.jsonl.gz"))
    assert cut[-1].error and "cut short" in cut[-1].error and all(d.error is None for d in cut[:-1])


def test_jsonl_non_utf8_line_names_encoding(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_bytes(b'{"id": "ok", "text": "fine"}\n{"id": "x", "text": "caf\xe9"}\n')
    found = docs(str(path))
    assert found[0].error is None and found[1].id == "x" and "--encoding" in found[1].error


# --- HTML ---------------------------------------------------------------------------------


def test_html_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text(article_html(extra_head=META_HEAD), encoding="utf-8")
    [doc] = docs(str(path))
    assert doc.error is None and doc.kind == "html"
    assert PARA in doc.text and "Copyright" not in doc.text and "Home" not in doc.text
    assert doc.title.startswith("Talks to continue in Geneva") and doc.author == "Lois Lane"
    assert doc.published == "2022-01-14" and doc.language == "en"
    assert doc.url == "https://planet.example/world/talks-geneva" and doc.meta["sitename"] == "Daily Planet"


def test_html_language_detected_when_not_declared() -> None:
    german = (
        "Der Außenminister sagte am Dienstag, dass die Gespräche nächste Woche in Genf fortgesetzt werden, "
        "und Vertreter beider Seiten bestätigten, dass Handel und Sicherheit auf der Tagesordnung stehen."
    )
    doc = html_document(article_html(body=german, lang=None).encode(), id="de", source="de", captured_at=None)
    assert doc.language == "de" and doc.meta["language_from"] == "detected"


@pytest.mark.parametrize(
    "codec, declared",
    [("cp1251", True), ("cp1251", False), ("shift_jis", True), ("shift_jis", False), ("koi8-r", False)],
)
def test_html_in_odd_encodings(codec: str, declared: bool) -> None:
    russian = "Министр иностранных дел заявил во вторник, что переговоры будут продолжены на следующей неделе в Женеве."
    japanese = "外務大臣は火曜日、交渉は来週ジュネーブで継続されると述べた。当局者によると、双方は安全保障と貿易について話し合う。"
    body = japanese if codec == "shift_jis" else russian
    raw = article_html(title="-", body=body, lang=None, charset=codec if declared else None).encode(codec)
    doc = html_document(raw, id="p", source="p", captured_at=None)
    assert doc.error is None and body in doc.text
    assert doc.language == ("ja" if codec == "shift_jis" else "ru")


def test_html_without_article_text_is_an_error() -> None:
    doc = html_document(
        b"<html><head><title>Gallery</title></head><body><img src='a.jpg'><script>var x = 1;</script></body></html>",
        id="e",
        source="e",
        captured_at=None,
    )
    assert doc.text is None and doc.error.startswith("no article text found")


def test_50mb_pages_have_a_clear_outcome_in_bounded_time() -> None:
    head = article_html().split("</body>")[0].encode()
    filler = b"<p>More filler text on an enormous page, line after line of it.</p>\n" * (50_000_000 // 70)
    started = time.perf_counter()
    doc = html_document(head + filler + b"</body></html>", id="big", source="big", captured_at=None)
    assert doc.text is None and "MB of HTML" in doc.error and "over the 5 MB" in doc.error
    bloated = head + b"<script>var blob = '" + b"A" * 50_000_000 + b"';</script></body></html>"
    doc = html_document(bloated, id="blob", source="blob", captured_at=None)
    assert doc.error is None and PARA in doc.text and doc.meta["stripped_bulk"] is True
    assert time.perf_counter() - started < 30


# --- feeds --------------------------------------------------------------------------------

LONG = " ".join([PARA] * 8)
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Planet World</title><link>https://planet.example/</link>
<item><title>Full story</title><link>https://planet.example/full</link><guid>g-1</guid>
<dc:creator>Lois Lane</dc:creator><pubDate>Fri, 14 Jan 2022 09:00:00 GMT</pubDate>
<description>Short teaser.</description><content:encoded><![CDATA[<p>{LONG}</p><p>Second paragraph.</p>]]></content:encoded></item>
<item><title>Teaser only</title><link>LINK</link><pubDate>Sat, 15 Jan 2022 09:00:00 GMT</pubDate>
<description>Only a teaser.</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Planet</title>
<entry><title>Atom story</title><id>urn:a1</id><updated>2022-02-01T00:00:00Z</updated><author><name>Clark Kent</name></author>
<content type="html">&lt;p&gt;{LONG}&lt;/p&gt;</content></entry></feed>"""


def test_rss_entries_carry_link_title_date_author_and_full_text(tmp_path: Path) -> None:
    path = tmp_path / "world.rss"
    path.write_text(RSS.replace("LINK", "https://planet.example/teaser"), encoding="utf-8")
    full, teaser = docs(str(path), fetch_links=False)
    assert (full.id, full.url, full.title, full.author, full.published) == (
        "https://planet.example/full",
        "https://planet.example/full",
        "Full story",
        "Lois Lane",
        "2022-01-14",
    )
    assert full.text.startswith(PARA) and full.text.endswith("\nSecond paragraph.") and full.kind == "feed"
    assert full.source == f"{path}#1" and full.meta["feed"] == "Planet World" and full.meta["guid"] == "g-1"
    assert teaser.text == "Only a teaser." and teaser.published == "2022-01-15"  # nothing to fetch: the summary


def test_atom_entry() -> None:
    [doc] = read_feed(ATOM.encode(), source="a.atom", captured_at=None)
    assert (doc.id, doc.author, doc.published) == ("urn:a1", "Clark Kent", "2022-02-01") and LONG in doc.text


@pytest.mark.parametrize("body", [b"this is not XML at all {", b"<html><body>a web page</body></html>", b""])
def test_a_feed_that_is_not_xml_is_one_clear_error(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(body)
    good = tmp_path / "z.txt"
    good.write_text("Still read.", encoding="utf-8")
    bad, after = docs(str(path), str(good))
    assert bad.text is None and "not a readable RSS or Atom feed" in bad.error and bad.id == str(path)
    assert after.text == "Still read."


# --- WARC ---------------------------------------------------------------------------------


def write_warc(path: Path, pages: list[tuple[str, bytes, str, str]], *, gz: bool = True) -> list[int]:
    """pages: (url, payload, content type, record type); returns each record's offset."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    offsets = []
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gz)
        for url, payload, ctype, rec_type in pages:
            offsets.append(f.tell())
            if rec_type == "response":
                status = "404 Not Found" if url.endswith("missing") else "200 OK"
                http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http)
            else:
                record = writer.create_warc_record(url, rec_type, payload=io.BytesIO(payload), warc_content_type=ctype)
            writer.write_record(record)
            record.raw_stream.close()  # warcio leaves its spool file open
    return offsets


PAGES = [
    ("https://planet.example/one", article_html(title="One").encode(), "text/html; charset=utf-8", "response"),
    ("https://planet.example/logo.png", b"\x89PNG....", "image/png", "response"),
    ("https://planet.example/missing", b"<html>gone</html>", "text/html", "response"),
    ("https://planet.example/notes.txt", b"Plain resource text.", "text/plain", "resource"),
    ("https://planet.example/two", article_html(title="Two").encode(), "text/html", "response"),
]


def test_warc_records_with_provenance(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = write_warc(path, PAGES)
    found = docs(str(path))
    assert [d.url for d in found] == [
        "https://planet.example/one",
        "https://planet.example/notes.txt",
        "https://planet.example/two",
    ]  # image and 404 skipped
    one = found[0]
    assert one.source == one.id == f"{path}#{offsets[0]}" and one.kind == "warc"
    assert one.raw_sha256 == hashlib.sha256(PAGES[0][1]).hexdigest() and "T" in one.captured_at
    assert PARA in one.text and found[1].text == "Plain resource text."
    assert found[2].source == f"{path}#{offsets[4]}"


def test_corrupt_warc_record_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    offsets = write_warc(good, PAGES)
    data = good.read_bytes()
    damaged = bytearray(data)
    for k in range(offsets[2] + 30, offsets[2] + 60):  # garble the 404 record's compressed bytes
        damaged[k] ^= 0xFF
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(damaged))
    found = docs(str(path))
    errors = [d for d in found if d.error]
    assert len(errors) == 1 and errors[0].source == f"{path}#{offsets[2]}"
    assert "damaged WARC record at offset" in errors[0].error and "resumes" in errors[0].error
    assert [d.url for d in found if not d.error] == [
        "https://planet.example/one",
        "https://planet.example/notes.txt",
        "https://planet.example/two",
    ]


def test_garbage_between_warc_records_is_reported(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    offsets = write_warc(good, PAGES[:1] + PAGES[4:])
    data = good.read_bytes()
    path = tmp_path / "garbage.warc.gz"
    path.write_bytes(data[: offsets[1]] + gzip.compress(b"GARBAGE, not a WARC record\r\n\r\n") + data[offsets[1] :])
    found = docs(str(path))
    assert [bool(d.error) for d in found] == [False, True, False] and f"#{offsets[1]}" in found[1].source


def test_truncated_gzip_warc_gives_one_error_then_the_next_source(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    offsets = write_warc(good, PAGES)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(good.read_bytes()[: offsets[4] + 150])
    after = tmp_path / "after.txt"
    after.write_text("Next source.", encoding="utf-8")
    found = docs(str(path), str(after))
    assert [d.url for d in found[:2]] == ["https://planet.example/one", "https://planet.example/notes.txt"]
    cut = found[2]
    assert cut.text is None and str(path) in cut.error and f"offset {offsets[4]}" in cut.error
    assert found[3].text == "Next source." and len(found) == 4


def test_a_gzip_warc_cut_anywhere_in_its_last_record_is_reported_never_read_as_whole(tmp_path: Path) -> None:
    # where a cut falls decides what warcio hands back (nothing, part of the headers, part of
    # the payload); random record ids move it, so every cut point of the last member is tried
    good = tmp_path / "good.warc.gz"
    offsets = write_warc(good, PAGES)
    data = good.read_bytes()
    for cut in range(offsets[4] + 1, len(data)):
        found = list(iter_warc(io.BytesIO(data[:cut]), name="cut.warc.gz"))
        assert [bool(d.error) for d in found] == [False, False, True], cut
        assert f"offset {offsets[4]}" in (found[2].error or ""), cut


def test_uncompressed_warc_with_a_corrupt_header(tmp_path: Path) -> None:
    path = tmp_path / "plain.warc"
    offsets = write_warc(path, PAGES, gz=False)
    data = bytearray(path.read_bytes())
    data[offsets[1] : offsets[1] + 4] = b"XXXX"  # "WARC/1.0" -> "XXXX/1.0"
    path.write_bytes(bytes(data))
    found = docs(str(path))
    assert found[0].url == "https://planet.example/one" and found[-1].error and "damaged WARC record" in found[-1].error


# --- URLs (loopback server only) ----------------------------------------------------------


@pytest.fixture()
def server() -> Iterator[tuple[str, dict[str, tuple[int, str, bytes]]]]:
    routes: dict[str, tuple[int, str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, ctype, body = routes.get(self.path, (404, "text/html", b"<html>not found</html>"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
        from onrecord.ingest import fetch as fetch_module

        if fetch_module._pool is not None:
            fetch_module._pool.clear()


def test_urls_page_404_text_and_feed(server: tuple[str, dict]) -> None:
    base, routes = server
    routes["/article"] = (200, "text/html; charset=utf-8", article_html(extra_head=META_HEAD).encode())
    routes["/notes"] = (200, "text/plain; charset=utf-8", b"Plain notes.")
    routes["/teaser-target"] = (200, "text/html", article_html(title="Fetched behind the teaser").encode())
    routes["/feed"] = (200, "application/rss+xml", RSS.replace("LINK", f"{base}/teaser-target").encode())
    routes["/image"] = (200, "image/png", b"\x89PNG")
    page, missing, notes, full, teaser, image = docs(
        *(f"{base}{p}" for p in ("/article", "/missing", "/notes", "/feed", "/image")), allow_private=True
    )  # the test server is on loopback
    assert page.kind == "url" and page.id == f"{base}/article" and PARA in page.text
    assert page.url == f"{base}/article" and page.meta["canonical_url"] == "https://planet.example/world/talks-geneva"
    assert page.raw_sha256 == hashlib.sha256(routes["/article"][2]).hexdigest() and page.captured_at.endswith("Z")
    assert missing.text is None and "HTTP 404" in missing.error
    assert notes.text == "Plain notes."
    assert full.kind == "feed" and full.meta["text_from"] == "feed" and full.source == f"{base}/feed#1"
    assert teaser.meta["text_from"] == "link" and PARA in teaser.text and teaser.title == "Teaser only"
    assert teaser.meta["summary"] == "Only a teaser." and teaser.published == "2022-01-15"
    assert image.text is None and "image/png" in image.error


def test_url_errors_size_cap_and_refused_connection(server: tuple[str, dict]) -> None:
    base, routes = server
    routes["/big"] = (200, "text/html", b"<html>" + b"x" * 200_000 + b"</html>")
    got = fetch(f"{base}/big", max_bytes=100_000, allow_private=True)
    assert got.body is None and "over" in got.error
    [doc] = docs("http://127.0.0.1:9/", timeout=2, allow_private=True)  # discard port: nothing listens
    assert doc.text is None and "could not fetch" in doc.error


def test_feed_entry_whose_link_fails_keeps_the_summary(server: tuple[str, dict]) -> None:
    base, _routes = server
    [_, teaser] = read_feed(
        RSS.replace("LINK", f"{base}/gone").encode(), source="f.xml", captured_at=None, allow_private=True
    )
    assert teaser.text is None and "HTTP 404" in teaser.error and teaser.meta["summary"] == "Only a teaser."


# --- accuracy gate: onrecord's HTML reading is not below trafilatura used directly ----------


def _benchmark():
    path = Path(__file__).parent.parent / "benchmarks" / "html_accuracy.py"
    spec = importlib.util.spec_from_file_location("html_accuracy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("dataset", ["wcxb_articles", "scrapinghub_aeb"])
def test_html_body_f1_not_below_trafilatura_direct(dataset: str) -> None:
    folder = shared_path("data", "html", dataset)
    bench = _benchmark()
    labels, key = bench.BODY_SETS[dataset]
    rows = bench.load(dataset, labels, folder.parent)[:20]
    ours = [bench.token_f1(bench.onrecord_html(r["html"], r.get("url"))[0], r[key]) for r in rows]
    theirs = [bench.token_f1(bench.trafilatura_direct(r["html"], r.get("url"))[0], r[key]) for r in rows]
    assert sum(ours) / len(ours) >= sum(theirs) / len(theirs) - 0.002


@pytest.mark.slow
def test_publication_dates_not_below_trafilatura_direct() -> None:
    folder = shared_path("data", "html", "htmldate_pubdates")
    bench = _benchmark()
    rows = bench.load("htmldate_pubdates", "labels.jsonl", folder.parent)[:30]
    ours = sum(bench.onrecord_html(r["html"], r["url"])[1] == r["date"] for r in rows)
    theirs = sum(bench.trafilatura_direct(r["html"], r["url"])[1] == r["date"] for r in rows)
    assert ours >= theirs
