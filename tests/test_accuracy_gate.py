"""Accuracy gate, as a ratchet: every dev-set figure against its baseline and its README target.

The baseline (tests/accuracy_baseline.json) holds, per shared dev set, the hash of the data,
the figures measured when it was last set, and the README's targets. A figure may not fall
more than the tolerance below its baseline, nor below its target; a target known not to be
met is an xfail(strict=True), so meeting it fails the gate until the baseline says so. Under
CI=true a missing ../shared fails (conftest.shared_path), elsewhere it skips.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

import onrecord

from .conftest import shared_path

BASELINE = json.loads((Path(__file__).parent / "accuracy_baseline.json").read_text(encoding="utf-8"))
TOLERANCE = float(BASELINE["tolerance"])


def _extract_and_score(what: str, gold_path: Path) -> str:
    """Extract every article of a shared dev set and return score.py's report on it."""
    scorer = shared_path("tools", "score.py")
    articles = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    batch = (onrecord.Article(a["text"], id=a["id"], published=a.get("published")) for a in articles)
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        with pred.open("w", encoding="utf-8") as out:
            for record in onrecord.extract_many(batch):
                assert not isinstance(record, Exception), record
                out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        return subprocess.run(
            [sys.executable, str(scorer), what, str(gold_path), str(pred)], capture_output=True, text=True, check=True
        ).stdout


def _number(pattern: str, report: str) -> tuple[float, ...]:
    m = re.search(pattern, report)
    assert m, f"score.py's report no longer says {pattern!r}:\n{report}"
    return tuple(float(g) for g in m.groups())


def _seed_figures() -> dict[str, float]:
    from onrecord.cli import EXAMPLE, EXAMPLE_PUBLISHED

    record = onrecord.extract(EXAMPLE.read_text(encoding="utf-8"), published=EXAMPLE_PUBLISHED, id="seed")
    scorer = shared_path("tools", "score.py")
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "seed.json"
        pred.write_text(json.dumps(record.to_dict()), encoding="utf-8")
        report = subprocess.run(
            [sys.executable, str(scorer), "seed", str(pred)], capture_output=True, text=True, check=True
        ).stdout
    assert "quotes 7/7 with right speaker, P 1.00" in report, report
    assert "scare quotes reported as speech" not in report
    assert "entities 10/10" in report
    clustered, total = _number(r"mentions clustered (\d+)/(\d+)", report)
    return {"seed_mentions": clustered / total}


@cache
def figures(name: str) -> dict[str, float]:
    """The figures of one baseline set, measured now (once per session)."""
    if name == "seed":
        gold = shared_path("examples", "seed", "gold.json")
    else:
        gold = shared_path("data", *name.split("/"), "dev.jsonl")
    digest = hashlib.sha256(gold.read_bytes()).hexdigest()
    if digest != BASELINE["sets"][name]["data_sha256"]:
        pytest.fail(
            f"{gold} changed (sha256 {digest[:12]}...): re-measure and update tests/accuracy_baseline.json "
            "deliberately (python benchmarks/accuracy_baseline.py --update) before comparing"
        )
    if name == "seed":
        return _seed_figures()
    kind = name.split("/")[0]
    report = _extract_and_score(kind, gold)
    if kind == "quotes":
        assert "missing or failed 0" in report, report
        f1, e2e = _number(r"F1 ([\d.]+); end-to-end .* F1 ([\d.]+)", report)
        right, total = _number(r"canonical speaker right on matched quotes: (\d+)/(\d+)", report)
        return {"quote_f1": f1, "end_to_end_f1": e2e, "canonical": right / total}
    if kind == "geo":
        acc, f1 = _number(r"accuracy@161km over all gold toponyms ([\d.]+); .* F1 ([\d.]+)", report)
        return {"geo_acc161": acc, "toponym_f1": f1}
    if kind == "timex":
        f1, value = _number(r"relaxed span P [\d.]+ R [\d.]+ F1 ([\d.]+); value F1 ([\d.]+)", report)
        return {"timex_f1": f1, "timex_value_f1": value}
    kind_acc, codes = _number(r"type accuracy ([\d.]+); actor code F1 ([\d.]+)", report)
    return {"event_type": kind_acc, "event_codes": codes}


def _cases(key: str) -> list[object]:
    out: list[object] = []
    for name, entry in BASELINE["sets"].items():
        for figure, value in entry[key].items():
            marks = []
            if key == "targets" and figure in BASELINE["known_below_target"]:
                marks = [pytest.mark.xfail(strict=True, reason=BASELINE["known_below_target"][figure])]
            out.append(pytest.param(name, figure, value, id=f"{name}:{figure}", marks=marks))
    return out


@pytest.mark.parametrize("name, figure, baseline", _cases("figures"))
def test_no_figure_falls_below_its_baseline(name: str, figure: str, baseline: float) -> None:
    measured = figures(name)[figure]
    assert measured >= baseline - TOLERANCE, (
        f"{name} {figure} fell to {measured:.3f} from its baseline {baseline:.3f} (tolerance {TOLERANCE})"
    )


@pytest.mark.parametrize("name, figure, target", _cases("targets"))
def test_every_figure_meets_its_readme_target(name: str, figure: str, target: float) -> None:
    measured = figures(name)[figure]
    assert measured >= target, f"{name} {figure} {measured:.3f} is below its README target {target}"


def test_baseline_targets_are_the_readmes() -> None:
    """The targets in the baseline are the README's own (a floor cannot quietly sit below them)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| set | measure | onrecord | target |") :]
    for entry in BASELINE["sets"].values():
        for figure, target in entry["targets"].items():
            assert f"{target:.2f}" in table, f"target {figure} {target} is not in the README's accuracy table"
