"""Build the event trigger lexicon from the field's resources (run once, output committed).

    .venv/bin/python scripts/build_event_lexicon.py [../shared/reference/eventdata]

Reads the PETRARCH2 CAMEO verb dictionary (``CAMEO.2.0.txt``, MIT) and the CAMEO-to-PLOVER
table (``CAMEO2PLOVER-2021.txt``, CC BY-SA 4.0) and writes two data files into
``src/onrecord/lexicons/``, kept apart because their licences differ:

- ``cameo_verbs.json`` (MIT, with the PETRARCH2 notice): the synonym sets and every verb
  block — its verbs (lemma, the particle of a multi-word verb, the verb's own CAMEO code)
  and its patterns (words before and after the verb, prepositional phrases, synsets, each
  with its CAMEO code; ``---`` means "no event");
- ``cameo_plover.tsv`` (CC BY-SA 4.0, with its attribution): CAMEO code -> PLOVER type.

Nothing is added or tuned here: the files are the dictionaries, restated as data the events
stage reads (``onrecord.event_lexicon``). ``tests/test_event_lexicon.py`` rebuilds them from
``../shared`` when it is there and fails if the shipped copies differ.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "onrecord" / "lexicons"
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "eventdata"

MIT_NOTICE = (
    "Derived from the PETRARCH2 CAMEO verb dictionary (CAMEO.2.0.txt, openeventdata/petrarch2 "
    "commit 676801cd). Copyright (c) 2014-2015 Open Event Data Alliance. MIT License: permission "
    "is hereby granted, free of charge, to any person obtaining a copy of this software and "
    "associated documentation files, to deal in the Software without restriction; the above "
    "copyright notice and this permission notice shall be included in all copies or substantial "
    "portions of the Software. THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND."
)
PLOVER_NOTICE = [
    "# CAMEO code -> PLOVER type, from CAMEO2PLOVER-2021.txt (openeventdata/PLOVER commit 5e0c24fb).",
    "# PLOVER, Open Event Data Alliance (Parus Analytics), CC BY-SA 4.0: this file is share-alike.",
    "# Rows for CAMEO 02 (appeal) are onrecord's addition: PLOVER drops the category, but its",
    "# REQUEST covers 'all requests, demands, and orders' (PLOVER manual, REQUEST), so an appeal",
    "# to someone is coded REQUEST. CAMEO 01 (public statements) stays dropped: no row, no event.",
]


def _strip(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _words(phrase: str) -> list[str]:
    return [w for w in phrase.lower().replace("_", " ").split() if w]


def _elements(text: str) -> list[Any]:
    """A pattern side as a list: {"w": [...]} consecutive words, {"syn": name},
    {"prep": word, "then": [...]} a prepositional phrase; actor markers ($ + ^ %) are
    placeholders the matcher skips."""
    out: list[Any] = []
    i = 0
    tokens = re.findall(r"\(|\)|\{[^}]*\}|[^\s(){}]+", text)
    stack: list[list[Any]] = [out]
    while i < len(tokens):
        tok = tokens[i]
        if tok == "(":
            group: dict[str, Any] = {"prep": None, "then": []}
            stack[-1].append(group)
            stack.append(group["then"])
        elif tok == ")":
            if len(stack) > 1:
                stack.pop()
        elif tok.startswith("{"):
            stack[-1].append({"w": _words(tok.strip("{}"))})
        elif tok.startswith("&"):
            stack[-1].append({"syn": tok[1:].rstrip("_").upper()})
        elif tok in ("$", "+", "^", "%") or tok.startswith(("$", "+", "^", "%")):
            pass
        else:
            stack[-1].append({"w": _words(tok)})
        i += 1
    return [_prep_first(e) for e in out]


def _prep_first(element: Any) -> Any:
    """A parenthesised group's first word is its preposition: "(TO &TREATY)"."""
    if "then" in element:
        then = [_prep_first(e) for e in element["then"]]
        if then and "w" in then[0] and then[0]["w"]:
            first = then[0]["w"]
            element = {"prep": first[0], "then": ([{"w": first[1:]}] if first[1:] else []) + then[1:]}
        else:
            element = {"prep": None, "then": then}
    return element


def _code(field: str) -> str | None:
    """ "[042:043]" -> "042"; "[:173]" -> "173"; "[---]" -> "---"."""
    parts = [p.strip() for p in field.strip("[]").split(":")]
    for p in parts:
        if p:
            return p
    return None


def parse_verbs(path: Path) -> dict[str, Any]:
    lines = path.read_text(encoding="latin-1").splitlines()
    synsets: dict[str, list[list[str]]] = {}
    blocks: list[dict[str, Any]] = []
    current_syn: str | None = None
    in_verbs = False
    for raw in lines:
        if raw.startswith("####### VERB PATTERNS"):
            in_verbs = True
            continue
        line = _strip(raw) if not raw.startswith("---") else raw.strip()
        if not line:
            continue
        if not in_verbs:
            if line.startswith("&"):
                current_syn = line[1:].rstrip("_").upper()
                synsets[current_syn] = []
            elif line.startswith("+") and current_syn is not None:
                synsets[current_syn].append(_words(line[1:]))
            continue
        m = re.match(r"^---\s+(.*?)\s+\[([^\]]*)\]\s+---", line)
        if m:
            blocks.append({"name": m.group(1).lower(), "code": _code(m.group(2)), "verbs": [], "patterns": []})
            continue
        if not blocks:
            continue
        block = blocks[-1]
        if line.startswith("-"):
            body = line[1:]
            cm = re.search(r"\[([^\]]*)\]\s*$", body)
            if cm is None or "*" not in body:
                continue
            pattern = body[: cm.start()]
            pre, _star, post = pattern.partition("*")
            block["patterns"].append({"pre": _elements(pre), "post": _elements(post), "code": _code(cm.group(1))})
            continue
        cm = re.search(r"\[([^\]]*)\]", line)
        own = _code(cm.group(1)) if cm else None
        fm = re.search(r"\{([^}]*)\}", line)
        forms = [f.lstrip("+").split("_")[0].lower() for f in fm.group(1).split()] if fm else []
        head = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", line).strip().split()
        if not head:
            continue
        phrase = head[0]
        parts = phrase.lstrip("+").split("_")
        if "+" in phrase[1:]:  # "RE_+ESTABLISH": the '+' marks the verb word
            marked = [p for p in phrase.split("_") if p.startswith("+")]
            lemma = marked[0].lstrip("+").lower() if marked else parts[-1].lower()
            rest = [p.lower() for p in phrase.split("_") if not p.startswith("+")]
        else:
            lemma, rest = parts[0].lower(), [p.lower() for p in parts[1:]]
        if not re.fullmatch(r"[a-z][a-z'-]*", lemma):
            continue
        block["verbs"].append({"lemma": lemma, "with": rest, "code": own, "forms": forms})
    return {"notice": MIT_NOTICE, "synsets": synsets, "blocks": blocks}


def parse_plover(path: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = _strip(raw)
        m = re.match(r"^(\d+):\s*([A-Z]+)", line)
        if m:
            rows.append((m.group(1), m.group(2)))
    codes = {c for c, _t in rows}
    rows += [
        (c, "REQUEST") for c in ("02", "020", "021", "022", "023", "024", "025", "026", "027", "028") if c not in codes
    ]
    return rows


def write(source: Path, out: Path) -> None:
    data = parse_verbs(source / "CAMEO.2.0.txt")
    # one verb block a line, so a rebuild's diff shows which blocks changed
    head = json.dumps({"notice": data["notice"], "synsets": data["synsets"]})[:-1]
    blocks = ",\n".join(json.dumps(b) for b in data["blocks"])
    (out / "cameo_verbs.json").write_text(f'{head}, "blocks": [\n{blocks}\n]}}\n', encoding="utf-8")
    rows = parse_plover(source / "CAMEO2PLOVER-2021.txt")
    text = "\n".join(PLOVER_NOTICE + ["cameo\tplover"] + [f"{c}\t{t}" for c, t in rows]) + "\n"
    (out / "cameo_plover.tsv").write_text(text, encoding="utf-8")


def _yyyymmdd(text: str) -> str:
    """PETRARCH dates: "630101" (YYMMDD, 20th century when YY > 30) or "20060104"."""
    if len(text) == 8:
        return text
    yy = int(text[:2])
    return f"{1900 + yy if yy > 30 else 2000 + yy}{text[2:]}"


def parse_actors(paths: list[Path]) -> list[tuple[str, str, str, str]]:
    """Named actors -> (name, code, from, to): every name and alias of an entry gets each of
    its codes with their date ranges ("" when undated)."""
    rows: list[tuple[str, str, str, str]] = []
    names: list[str] = []
    codes: list[tuple[str, str, str]] = []

    def flush() -> None:
        for name in names:
            for code, start, end in codes:
                rows.append((name, code, start, end))

    for path in paths:
        for raw in path.read_text(encoding="latin-1").splitlines():
            line = _strip(raw)
            if not line:
                continue
            found = re.findall(r"\[([^\]]*)\]", line)
            head = re.sub(r"\[[^\]]*\]|\{[^}]*\}", "", line).strip()
            if head and not head.startswith("+") and not raw[:1].isspace():
                flush()
                names, codes = [], []
            if head:
                name = " ".join(_words(head.lstrip("+").rstrip("_")))
                if name:
                    names.append(name)
            for field in found:
                parts = field.split()
                if not parts or parts[0].startswith("~"):
                    continue
                if len(parts) == 2 and "-" in parts[1]:
                    start, _dash, end = parts[1].partition("-")
                    codes.append((parts[0], _yyyymmdd(start) if start else "", _yyyymmdd(end) if end else ""))
                else:
                    codes.append((parts[0], "", ""))
        flush()
        names, codes = [], []
    return sorted(set(rows))


def write_actors(source: Path, out: Path) -> None:
    files = ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"]
    rows = parse_actors([source / f for f in files])
    head = [
        f"# {MIT_NOTICE.replace('verb dictionary (CAMEO.2.0.txt', 'actor dictionaries (Phoenix.*.actors.txt')}",
        "name\tcode\tfrom\tto",
    ]
    (out / "phoenix_actors.tsv").write_text("\n".join(head + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")


def _plural(word: str) -> str:
    """The regular plural PETRARCH 0.5 generates for an agent noun (the file lists singulars)."""
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u", ""):
        return word[:-1] + "ies"
    return word + "s"


def parse_agents(path: Path) -> list[tuple[str, str]]:
    """Agent nouns -> (phrase, sector): "riot police" -> COP, "journalist(s)" -> MED. The
    file's substitution sets (!PERSON!, !MINIST!) are expanded, alternative forms in braces
    kept, and a regular plural added for each singular, as PETRARCH does."""
    subs: dict[str, list[str]] = {}
    rows: set[tuple[str, str]] = set()
    for raw in path.read_text(encoding="latin-1").splitlines():
        line = _strip(raw)
        if not line:
            continue
        if line.startswith("!") and "=" in line and "[" not in line:
            name, _eq, values = line.partition("=")
            subs[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        code = re.search(r"\[~([A-Z]*)[\]}]", line)
        if code is None or not code.group(1):
            continue
        head = line[: code.start()]
        alternatives = re.findall(r"\{([^}]*)\}", head)
        forms = [re.sub(r"\{[^}]*\}", "", head).strip()] + [a.strip() for a in alternatives if a.strip()]
        for form in forms:
            expanded = [form]
            for name, values in subs.items():
                expanded = [
                    e.replace(name, v) if name in e else e for e in expanded for v in (values if name in e else [""])
                ]
            for e in expanded:
                words = _words(e.replace("!", ""))
                if not words or not all(re.fullmatch(r"[a-z][a-z'.&-]*", w) for w in words):
                    continue
                phrase = " ".join(words)
                rows.add((phrase, code.group(1)))
                if not alternatives:
                    rows.add((" ".join(words[:-1] + [_plural(words[-1])]), code.group(1)))
    return sorted(rows)


def write_agents(source: Path, out: Path) -> None:
    rows = parse_agents(source / "Phoenix.agents.txt")
    head = [
        f"# {MIT_NOTICE.replace('verb dictionary (CAMEO.2.0.txt', 'agents dictionary (Phoenix.agents.txt')}",
        "phrase\tsector",
    ]
    (out / "phoenix_agents.tsv").write_text("\n".join(head + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    write(source, OUT)
    write_actors(source, OUT)
    write_agents(source, OUT)
    print(f"wrote cameo_verbs.json, cameo_plover.tsv, phoenix_actors.tsv and phoenix_agents.tsv in {OUT}")
