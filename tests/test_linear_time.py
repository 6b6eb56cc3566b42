"""Linear time on crafted text (issue 9, found as bugs: each pattern here took minutes).

Two kinds of test: the indexed algorithms give exactly what the all-pairs scans they replace
gave (the scans are kept here as the reference), and each adversarial pattern at a size where
the quadratic version took over a minute finishes under a generous watchdog (a hang guard,
not a speed target: speed is measured in benchmarks/linear_time.py).
"""

from __future__ import annotations

import random

import pytest

import onrecord
from onrecord import coref, quotemarks
from onrecord.entities import Cluster
from onrecord.language import load
from onrecord.quotemarks import Passages, Quoted, find_quoted
from onrecord.quotes import QuoteFinder
from onrecord.subtrees import Subtrees

from .conftest import assert_spans_are_evidence, watchdog


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _names(size: int) -> str:
    parts, i = [], 0
    syll = ["Ka", "Lo", "Mir", "Ta", "Ven", "Do", "Rus", "Pel", "An", "Sor", "Bi", "Quen"]
    while sum(map(len, parts)) < size:
        a, b = syll[i % 12] + syll[(i // 12) % 12].lower(), syll[(i // 144) % 12] + syll[(i // 7) % 12].lower()
        parts.append(f"{a} {b}son met {b} Holdings and the {a} Council in {a}ville. ")
        i += 1
    return "".join(parts)[:size]


# sizes where the quadratic code took well over a minute (issue 9: 99 KB of ' x took 158 s)
PATTERNS = {
    "single marks": lambda: _repeat(" 'x", 60_000),
    "double marks": lambda: _repeat('"a" ', 40_000),
    "unclosed quote per paragraph": lambda: _repeat('"He said this\n\n', 60_000),
    "one long sentence": lambda: " ".join(["officials said that the council and its members had argued"] * 700) + ".",
    "many names": lambda: _names(60_000),
}


@pytest.mark.parametrize("name", list(PATTERNS))
def test_adversarial_pattern_finishes(name: str):
    text = PATTERNS[name]()
    with watchdog(90):
        record = onrecord.extract(text, published="2022-01-14").to_dict()
    assert record["text"] == text
    assert_spans_are_evidence(record)


# ---------------------------------------------------------------------------- same results as the scans


def _scan_single_by_scanning(text: str, p_start: int, p_end: int, inside: list[Quoted]) -> list[Quoted]:
    """The quadratic original of quotemarks._scan_single, the reference."""
    found: list[Quoted] = []
    i = p_start
    covered = [(q.open, q.outer_end) for q in inside]
    while i < p_end:
        ch = text[i]
        if (
            ch in quotemarks.SINGLE_OPEN
            and quotemarks._prev(text, i) in quotemarks.OPEN_BEFORE
            and quotemarks._next(text, i).isalnum()
            and not any(a <= i < b for a, b in covered)
        ):
            for j in range(i + 2, p_end):
                c = text[j]
                if c in '"\u201c\u201d':
                    break
                if (
                    c in quotemarks.SINGLE_CLOSE[ch]
                    and not quotemarks._next(text, j).isalnum()
                    and not text[j - 1].isspace()
                    and not (text[j - 1] in "sS" and quotemarks._next(text, j) == " " and j - i > 40)
                ):
                    s, e = quotemarks._trim(text, i + 1, j)
                    found.append(Quoted(i, s, e, j, single=True))
                    i = j
                    break
        i += 1
    return found


def test_single_marks_by_bisection_match_the_scan():
    rng = random.Random(9)
    alphabet = [
        "'",
        "\u2018",
        "\u2019",
        "\u201a",
        "\u2039",
        "\u203a",
        '"',
        "\u201c",
        "\u201d",
        " ",
        " ",
        "s",
        "S",
        "a",
        "b",
        "x",
        ",",
        ".",
        "\n",
    ]
    for _ in range(3000):
        text = "".join(
            rng.choice(alphabet) if rng.random() < 0.7 else rng.choice(["word", "the players", "it's"])
            for _ in range(rng.randint(1, 120))
        )
        for ps, pe in quotemarks.paragraphs(text):
            doubles = quotemarks._scan_double(text, ps, pe, [])
            assert quotemarks._scan_single(text, ps, pe, doubles) == _scan_single_by_scanning(text, ps, pe, doubles), (
                text
            )


def _merge_by_all_pairs(resolver: object) -> None:
    """The quadratic original of coref.merge_variants, the reference."""
    kinds = {"ORG": "body", "EVENT": "event", "FAC": "event", "NORP": "group", "PERSON": "group", "GPE": "group"}
    clusters = list(resolver.clusters)  # type: ignore[attr-defined]
    for i, a in enumerate(clusters):
        for b in clusters[i + 1 :]:
            if a is b or a not in resolver.clusters or b not in resolver.clusters:  # type: ignore[attr-defined]
                continue
            if a.country is not None or b.country is not None:
                continue
            same_name = (
                bool(set(a.names) & set(b.names))
                and a.type != b.type
                and {a.type, b.type} <= {"NORP", "PERSON", "GPE"}
                and all(" " not in n for n in a.names + b.names)
            )
            same_body = a.type == b.type == "ORG" and any(coref._same_body(x, y) for x in a.names for y in b.names)
            same_event = {kinds.get(a.type), kinds.get(b.type)} == {"event"} and any(
                coref._suffix(x, y) for x in a.names for y in b.names
            )
            if same_name or same_body or same_event:
                resolver.merge(a, b)  # type: ignore[attr-defined]


class _Clusters:
    """Just what merge_variants touches of a Resolver."""

    def __init__(self, clusters: list[Cluster]) -> None:
        self.clusters = clusters

    def merge(self, keep: Cluster, drop: Cluster) -> None:
        for n in drop.names:
            if n not in keep.names:
                keep.names.append(n)
        types = {keep.type, drop.type}
        if len(types) == 2 and types <= {"PERSON", "GPE", "NORP"} and ("NORP" in types or keep.name.endswith("s")):
            keep.type = "NORP"
        elif "EVENT" in types:
            keep.type = "EVENT"
        self.clusters.remove(drop)


def _random_clusters(rng: random.Random) -> list[Cluster]:
    words = [
        "United",
        "Nations",
        "UN",
        "Human",
        "Rights",
        "Office",
        "Council",
        "Security",
        "the",
        "of",
        "Winter",
        "Olympics",
        "Beijing",
        "Games",
        "Uyghurs",
        "Kenya",
        "Party",
        "National",
        "WHO",
        "Health",
        "Organization",
    ]
    out = []
    for k in range(rng.randint(1, 25)):
        names = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 3))]
        out.append(
            Cluster(
                f"e{k}", rng.choice(["ORG", "ORG", "EVENT", "FAC", "NORP", "PERSON", "GPE"]), list(dict.fromkeys(names))
            )
        )
    return out


def test_variant_merging_by_index_matches_all_pairs():
    rng = random.Random(10)
    merged = 0
    for _ in range(3000):
        clusters = _random_clusters(rng)
        copy = [Cluster(c.id, c.type, list(c.names)) for c in clusters]
        before = len(copy)
        indexed, reference = _Clusters(clusters), _Clusters(copy)
        coref.merge_variants(indexed)  # type: ignore[arg-type]
        _merge_by_all_pairs(reference)
        assert [(c.id, c.type, c.names) for c in indexed.clusters] == [
            (c.id, c.type, c.names) for c in reference.clusters
        ]
        merged += before - len(reference.clusters)
    assert merged > 1000, "the cases must exercise merging"


def test_quote_content_from_extents_matches_the_subtree_walk():
    nlp = load()
    text = (
        "Officials said on Monday that talks would resume, and the minister told reporters he was sure. "
        "As Heald told The Post, ozone has dropped, according to the agency, which said it would not comment. "
        '"We will go," she said, adding that "the time is right" for talks that she said were overdue.'
    )
    doc = nlp(text)
    from onrecord.entities import Resolver

    finder = QuoteFinder(doc, Resolver(doc), Passages(find_quoted(text)[0], set()))
    finder._subtrees = Subtrees(doc)
    checked = 0
    for head in doc:
        if not finder._subtrees.projective[head.i]:
            continue
        for exclude in [None, *head.children]:
            assert finder._content_of_range(head, exclude) == finder._content_by_walk(head, exclude), (head, exclude)
            checked += 1
    assert checked > 50
