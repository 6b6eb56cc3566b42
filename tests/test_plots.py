"""Pictures: a timeline and who-quotes-whom, drawn from plain rows into real image files.
Rows are made up for these tests."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from onrecord.export import csv_rows
from onrecord.plots import outlet_name, parse_date, plot_quote_network, plot_timeline

PNG = b"\x89PNG\r\n\x1a\n"


def _is_png(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(PNG) and len(data) > 5_000


def _timeline_rows(record: dict) -> list[dict]:
    """TimelineRow dicts made from a record's CSV rows (what the store's timeline returns)."""
    return [
        {
            "date": r["date"],
            "date_source": r["date_source"],
            "kind": r["item_type"],
            "id": r["item_id"],
            "summary": f"{r['speaker'] or r['source'] or '?'}: {r['text'][:50]}",
            "evidence": r["text"],
            "article_id": r["article_id"],
            "title": r["title"],
            "url": r["url"],
            "start": r["start"],
            "end": r["end"],
        }
        for r in csv_rows(record)
    ]


def _quote_rows() -> list[dict]:
    rows = []
    for n, (speaker, outlets) in enumerate(
        [
            ("Rupert Colville", ["https://www.reuters.com/a", "https://apnews.com/b"]),
            ("Rupert Colville", ["https://www.reuters.com/c"]),
            ("Michelle Bachelet", ["https://www.bbc.co.uk/d"]),
            ("Wang Wenbin", ["https://apnews.com/e"]),
            (None, ["https://apnews.com/f"]),
        ]
    ):
        rows.append(
            {
                "id": f"a{n}#q0",
                "article_id": f"a{n}",
                "speaker": speaker,
                "speaker_entity": None,
                "url": outlets[0],
                "outlets": outlets,
                "text": "words",
                "kind": "direct",
            }
        )
    return rows


def test_timeline_of_the_reference_article(seed_record: dict, tmp_path: Path) -> None:
    path = plot_timeline(_timeline_rows(seed_record), tmp_path / "timeline.png", title="China")
    assert _is_png(path)


def test_timeline_svg_and_lanes_by_article(seed_record: dict, tmp_path: Path) -> None:
    path = plot_timeline(_timeline_rows(seed_record), tmp_path / "timeline.svg", lane="article_id")
    assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_timeline_of_ten_thousand_rows_in_bounded_time(tmp_path: Path) -> None:
    start = dt.date(2020, 1, 1)
    rows = [
        {
            "date": (start + dt.timedelta(days=n % 1500)).isoformat(),
            "date_source": ("text", "published")[n % 2],
            "kind": ("event", "quote", "claim")[n % 3],
            "id": f"a{n}#e0",
            "summary": f"item {n} cost $5",
            "evidence": "",
            "article_id": f"a{n}",
            "title": None,
            "url": None,
            "start": 0,
            "end": 1,
        }
        for n in range(10_000)
    ]
    began = time.perf_counter()
    assert _is_png(plot_timeline(rows, tmp_path / "big.png"))
    assert time.perf_counter() - began < 30


def test_timeline_with_nothing_to_plot_says_so(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"nothing to plot for China"):
        plot_timeline([], tmp_path / "t.png", title="China")
    with pytest.raises(ValueError, match=r"nothing to plot.*none with a date"):
        plot_timeline([{"date": None, "kind": "quote", "id": "x"}], tmp_path / "t.png")
    assert not (tmp_path / "t.png").exists()


def test_picture_format_comes_from_the_extension(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        plot_timeline([{"date": "2022-01-14", "kind": "quote", "id": "x"}], tmp_path / "t.jpeg")


@pytest.mark.parametrize(
    "value, day",
    [
        ("2022-01-14", dt.date(2022, 1, 14)),
        ("2022-02", dt.date(2022, 2, 1)),
        ("2018", dt.date(2018, 1, 1)),
        ("2022-H2", dt.date(2022, 7, 1)),
        ("2022-Q3", dt.date(2022, 7, 1)),
        (None, None),
        ("", None),
        ("PRESENT_REF", None),
        ("2022-13-01", None),
    ],
)
def test_parse_date(value: str | None, day: dt.date | None) -> None:
    assert parse_date(value) == day


def test_quote_network(tmp_path: Path) -> None:
    assert _is_png(plot_quote_network(_quote_rows(), tmp_path / "net.png", top=2))


def test_quote_network_with_no_known_speaker_says_so(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"nothing to plot for the quote network.*1 with an unknown speaker"):
        plot_quote_network([r for r in _quote_rows() if r["speaker"] is None], tmp_path / "n.png")
    with pytest.raises(ValueError, match=r"nothing to plot"):
        plot_quote_network([], tmp_path / "n.png")


@pytest.mark.parametrize(
    "source, outlet",
    [
        ("https://www.reuters.com/world/x", "reuters.com"),
        ("http://apnews.com/a?b=c", "apnews.com"),
        ("/data/crawl/bbc/article-1.html", "bbc"),
        ("feed.xml#3", "feed.xml#3"),
        (None, "?"),
    ],
)
def test_outlet_name(source: str | None, outlet: str) -> None:
    assert outlet_name(source) == outlet
