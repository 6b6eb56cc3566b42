"""Pictures of a corpus: a timeline of what happened when, and who quotes whom.

Both draw plain row dicts (TimelineRow and QuoteRow, see ``store/base.py``), so they need no
database, and write the file whose extension names the format (.png, .svg or .pdf). They use
matplotlib's object API without pyplot: no display, no global state, safe in workers.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

FORMATS = (".png", ".svg", ".pdf")
KIND_COLOURS = {"event": "#1f77b4", "quote": "#d62728", "claim": "#2ca02c"}
OTHER_COLOUR = "#7f7f7f"
MAX_LANES = 12


# ---------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------


def plot_timeline(
    rows: Sequence[dict[str, Any]], path: str | Path, *, title: str | None = None, lane: str = "kind", labels: int = 12
) -> Path:
    """Draw timeline rows (TimelineRow dicts) by the date they happened.

    One lane per value of ``lane`` (a row key: "kind" by default, or e.g. "article_id"; the 12
    commonest values, the rest as "other"); filled markers where the date was resolved from
    the text, hollow ones where only the publication date is known. ``labels`` items (those
    dated from the text first, spread over the time span) are labelled with their summary.
    Raises ValueError when no row has a usable date.
    """
    path = _checked_path(path)
    points = [(day, row) for row in rows if (day := parse_date(row.get("date"))) is not None]
    if not points:
        what = title or "the timeline"
        raise ValueError(f"nothing to plot for {what}: {len(rows)} rows, none with a date (YYYY-MM-DD)")
    lanes = _lanes([str(row.get(lane) or "?") for _, row in points])
    fig = Figure(figsize=(12, 1.6 + 0.9 * len(lanes)), layout="constrained")
    ax = fig.add_subplot()
    _draw_points(ax, points, lanes, lane)
    _draw_labels(ax, points, lanes, lane, labels)
    ax.set_yticks(range(len(lanes)), [_escape(name) for name in lanes])
    ax.set_ylim(-0.75, len(lanes) - 0.25)
    ax.invert_yaxis()
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]  # matplotlib.dates is untyped
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.grid(axis="x", alpha=0.3)
    fig.legend(handles=_timeline_legend(points, lane), loc="outside lower center", ncols=5, fontsize=8, frameon=False)
    ax.set_title(_escape(title or f"Timeline: {len(points):,} items"), loc="left")
    skipped = len(rows) - len(points)
    if skipped:
        ax.set_xlabel(f"{skipped:,} rows without a date left out", fontsize=8)
    _save(fig, path)
    return path


def parse_date(value: Any) -> dt.date | None:
    """A TIMEX3-style date as a day: "2022-01-14"; "2022-01" and "2022" -> the first day;
    "2022-H2" / "2022-Q3" -> the first day of the half / quarter. None when not a date."""
    match = re.match(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?|-([HQ])([1-4]))?", str(value or ""))
    if not match:
        return None
    year, month, day, part, number = match.groups()
    if part:
        month = str(1 + (int(number) - 1) * (6 if part == "H" else 3))
    try:
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def _num(day: dt.date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]  # matplotlib.dates is untyped


def _lanes(values: list[str]) -> list[str]:
    counts = Counter(values)
    known = [k for k in ("event", "quote", "claim") if k in counts]
    if len(known) == len(counts):  # the kinds, in their usual order
        return known
    top = [name for name, _ in counts.most_common(MAX_LANES)]
    return top + (["other"] if len(counts) > MAX_LANES else [])


def _lane_of(row: dict[str, Any], lanes: list[str], lane: str) -> int:
    name = str(row.get(lane) or "?")
    return lanes.index(name) if name in lanes else len(lanes) - 1


def _jitter(row: dict[str, Any]) -> float:
    """A fixed vertical offset per item, so items of one day and lane do not hide each other."""
    key = f"{row.get('id')}|{row.get('start')}".encode()
    return (zlib.crc32(key) % 1000) / 1000 * 0.56 - 0.28


def _draw_points(ax: Any, points: list[tuple[dt.date, dict[str, Any]]], lanes: list[str], lane: str) -> None:
    groups: dict[tuple[str, bool], tuple[list[dt.date], list[float]]] = {}
    for day, row in points:
        key = (str(row.get("kind") or ""), row.get("date_source") == "published")
        xs, ys = groups.setdefault(key, ([], []))
        xs.append(day)
        ys.append(_lane_of(row, lanes, lane) + _jitter(row))
    for (kind, hollow), (xs, ys) in sorted(groups.items()):
        colour = KIND_COLOURS.get(kind, OTHER_COLOUR)
        ax.scatter(
            xs,
            ys,
            s=28,
            marker="o",
            linewidths=1.2,
            edgecolors=colour,
            facecolors="none" if hollow else colour,
            alpha=0.8,
            zorder=3,
        )


def _draw_labels(
    ax: Any, points: list[tuple[dt.date, dict[str, Any]]], lanes: list[str], lane: str, labels: int
) -> None:
    days = [_num(day) for day, _ in points]
    low, span = min(days), (max(days) - min(days)) or 1.0
    placed: dict[tuple[int, bool], list[float]] = {}  # (lane, above) -> x of labels there
    for day, row in _label_choice(points, labels * 3):
        if sum(len(xs) for xs in placed.values()) >= labels:
            break
        x, y_lane = _num(day), _lane_of(row, lanes, lane)
        side = next(
            (
                above
                for above in (True, False)
                if all(abs(x - other) > 0.22 * span for other in placed.get((y_lane, above), []))
            ),
            None,
        )
        if side is None:
            continue  # no room near this one: leave it unlabelled
        placed.setdefault((y_lane, side), []).append(x)
        right_half = (x - low) / span > 0.6  # labels there run leftwards, inside the axes
        ax.annotate(
            _escape(_short(str(row.get("summary") or row.get("evidence") or ""), 48)),
            (x, y_lane + _jitter(row)),
            xytext=(x, y_lane + (-0.36 if side else 0.36)),
            textcoords="data",
            ha="right" if right_half else "left",
            va="bottom" if side else "top",
            fontsize=7,
            alpha=0.9,
            zorder=4,
            arrowprops={"arrowstyle": "-", "alpha": 0.4, "linewidth": 0.5},
        )


def _label_choice(points: list[tuple[dt.date, dict[str, Any]]], labels: int) -> list[tuple[dt.date, dict[str, Any]]]:
    """Up to ``labels`` label candidates spread evenly over time, dated from the text where possible."""
    if labels <= 0:
        return []
    dated = [p for p in points if p[1].get("date_source") != "published"] or points
    dated = sorted(dated, key=lambda p: (p[0], str(p[1].get("id"))))
    if len(dated) <= labels:
        return dated
    step = (len(dated) - 1) / (labels - 1) if labels > 1 else 0
    return [dated[round(i * step)] for i in range(labels)]


def _timeline_legend(points: list[tuple[dt.date, dict[str, Any]]], lane: str) -> list[Line2D]:
    kinds = sorted(
        {str(row.get("kind") or "") for _, row in points},
        key=lambda k: list(KIND_COLOURS).index(k) if k in KIND_COLOURS else 9,
    )
    handles = [
        Line2D([], [], marker="o", linestyle="", color=KIND_COLOURS.get(k, OTHER_COLOUR), label=k or "?") for k in kinds
    ]
    handles.append(Line2D([], [], marker="o", linestyle="", color="black", label="date from the text"))
    handles.append(
        Line2D([], [], marker="o", linestyle="", color="black", markerfacecolor="none", label="publication date only")
    )
    return handles


# ---------------------------------------------------------------------------------------
# Who quotes whom
# ---------------------------------------------------------------------------------------


def plot_quote_network(
    rows: Sequence[dict[str, Any]], path: str | Path, *, top: int = 30, title: str | None = None
) -> Path:
    """Draw who quotes whom from quote rows (QuoteRow dicts): outlets on the left, speakers on
    the right, a line from each outlet to each speaker it quotes, as wide as the number of
    quotes. An outlet is the host name of the article's URL, for every copy of a syndicated
    article (the row's ``outlets``). The ``top`` most quoted speakers are drawn, with the
    ``top`` outlets that quote them most; quotes whose speaker is unknown are left out and
    counted in the legend. Raises ValueError when no quote has a known speaker.
    """
    path = _checked_path(path)
    edges: Counter[tuple[str, str]] = Counter()
    unknown = 0
    for row in rows:
        speaker = row.get("speaker")
        if not speaker:
            unknown += 1
            continue
        for outlet in {outlet_name(o) for o in (row.get("outlets") or [row.get("url") or row.get("article_id")])}:
            edges[(outlet, str(speaker))] += 1
    if not edges:
        what = title or "the quote network"
        raise ValueError(
            f"nothing to plot for {what}: no quotes with a known speaker "
            f"({len(rows)} rows, {unknown} with an unknown speaker)"
        )
    speakers = _top_totals(edges, 1, top)
    kept = Counter({k: v for k, v in edges.items() if k[1] in speakers})
    outlets = _top_totals(kept, 0, top)
    kept = Counter({k: v for k, v in kept.items() if k[0] in outlets})
    fig = _draw_bipartite(kept, outlets, speakers)
    ax = fig.axes[0]
    n_speakers = len({s for _, s in edges})
    note = [f"line width: number of quotes; showing {len(speakers)} of {n_speakers} speakers"]
    if unknown:
        note.append(f"{unknown:,} quotes with an unknown speaker left out")
    ax.set_title(_escape(title or "Who quotes whom: outlets \u2192 speakers"), loc="left")
    ax.text(0, -0.02, _escape("; ".join(note)), transform=ax.transAxes, fontsize=8, va="top")
    _save(fig, path)
    return path


def outlet_name(source: Any) -> str:
    """The outlet of an article: a URL's host without "www."; a file path's folder."""
    text = str(source or "?")
    host = urlsplit(text).hostname if "://" in text else None
    if host:
        return host.removeprefix("www.")
    parent = Path(text).parent.name
    return parent or text


def _top_totals(edges: Counter[tuple[str, str]], side: int, top: int) -> list[str]:
    totals: Counter[str] = Counter()
    for key, count in edges.items():
        totals[key[side]] += count
    return [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[: max(1, top)]]


def _draw_bipartite(edges: Counter[tuple[str, str]], outlets: list[str], speakers: list[str]) -> Figure:
    height = max(len(outlets), len(speakers))
    fig = Figure(figsize=(11, 1.5 + 0.32 * height), layout="constrained")
    ax = fig.add_subplot()
    y_out = _column(len(outlets), height)
    y_sp = _column(len(speakers), height)
    widest = max(edges.values())
    for (outlet, speaker), count in sorted(edges.items(), key=lambda kv: kv[1]):
        a, b = y_out[outlets.index(outlet)], y_sp[speakers.index(speaker)]
        ax.plot(
            [0, 1],
            [a, b],
            color="#4c72b0",
            alpha=0.35 + 0.5 * count / widest,
            linewidth=0.6 + 5.4 * count / widest,
            solid_capstyle="round",
            zorder=1,
        )
    out_totals, sp_totals = Counter[str](), Counter[str]()
    for (outlet, speaker), count in edges.items():
        out_totals[outlet] += count
        sp_totals[speaker] += count
    ax.scatter([0] * len(outlets), y_out, s=40, color="#55a868", zorder=2, label="outlet")
    ax.scatter([1] * len(speakers), y_sp, s=40, color="#c44e52", zorder=2, label="speaker")
    for name, y in zip(outlets, y_out):
        ax.text(-0.02, y, _escape(f"{_short(name, 36)} ({out_totals[name]})"), ha="right", va="center", fontsize=8)
    for name, y in zip(speakers, y_sp):
        ax.text(1.02, y, _escape(f"{_short(name, 36)} ({sp_totals[name]})"), ha="left", va="center", fontsize=8)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(-0.8, height - 0.2)
    ax.invert_yaxis()
    ax.axis("off")
    ax.legend(loc="lower right", fontsize=8, frameon=False, bbox_to_anchor=(1.0, 1.0), ncols=2)
    return fig


def _column(n: int, height: int) -> list[float]:
    """n positions centred in a column of ``height`` slots, the first (most quoted) on top."""
    offset = (height - n) / 2
    return [offset + i for i in range(n)]


# ---------------------------------------------------------------------------------------
# Shared
# ---------------------------------------------------------------------------------------


def _checked_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"{path}: name the picture .png, .svg or .pdf (the extension sets the format)")
    return path


def _save(fig: Figure, path: Path) -> None:
    with warnings.catch_warnings():
        # DejaVu Sans (matplotlib's font) lacks CJK and some other scripts: such names are
        # drawn as boxes, the picture is still right, and a warning per glyph would flood stderr.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from", category=UserWarning)
        fig.savefig(path, dpi=120)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _escape(text: str) -> str:
    """Plain text for matplotlib: "$" would start mathematics."""
    return text.replace("$", r"\$")
