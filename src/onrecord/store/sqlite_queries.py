"""The questions users ask, answered over the SQLite store (row shapes in base.py).

Every query reads the current rows (the extractor version most recently stored for each
article) and counts syndicated copies once: rows of one near-duplicate cluster that carry
the same item (same words, same speaker) collapse to one, listing every outlet that ran it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from typing import Any

from . import rows
from .base import StoreError

SNIPPET_WORDS = 16
RANK_WITHIN = {"articles_fts": 20_000, "quotes_fts": 5_000}  # see Queries._ranked
ABOUT_MENTIONS = 2  # an article is about an entity it names at least this often (timeline)
_FTS_SYNTAX = re.compile(r'["*():^]|\b(AND|OR|NOT|NEAR)\b')
_TERM = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]*)"')
_ARTICLE = "a.id, a.title, a.url, a.published"


def _text(t: str) -> str:
    """SQL for an item's text: stored, or the article's text[char_start:char_end]."""
    return f"COALESCE({t}.text, substr(a.text, {t}.char_start + 1, {t}.char_end - {t}.char_start))"


def fts_query(query: str) -> tuple[str, str, list[list[str]]]:
    """(FTS5 query, the same for an index without positions, its phrases). Plain words must all
    occur (each quoted, so punctuation and keywords cannot break the query); a query in FTS5
    syntax passes as it is. Without positions (detail=column) a "quoted phrase" becomes its
    words AND-ed, and comes back in ``phrases`` for the caller to check on the candidates."""
    if not _FTS_SYNTAX.search(query):
        plain = " ".join(f'"{t}"' for t in _TERM.findall(query))
        return plain, plain, []
    phrases = [words for p in _PHRASE.findall(query) if len(words := _TERM.findall(p.casefold())) > 1]

    def group(m: re.Match[str]) -> str:
        words = _TERM.findall(m.group(1))
        return "(" + " AND ".join(f'"{w}"' for w in words) + ")" if len(words) > 1 else m.group(0)

    return query, _PHRASE.sub(group, query), phrases


def has_phrases(text: str, phrases: list[list[str]]) -> bool:
    if not phrases:
        return True
    padded = " " + " ".join(_TERM.findall(text.casefold())) + " "
    return all(f" {' '.join(p)} " in padded for p in phrases)


class Queries:
    conn: sqlite3.Connection
    path: str
    vid: int | None

    def _run(self, sql: str, args: Any = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError as err:
            if "fts5" in str(err).lower() or "syntax error" in str(err).lower():
                raise StoreError(
                    f"cannot search for that ({err}); use plain words, or FTS5 syntax "
                    '(e.g. "visit Xinjiang" for a phrase, Bachelet OR Colville)'
                ) from err
            raise StoreError(f"the store {self.path} failed: {err}") from err

    def _match(self, query: str) -> tuple[str, str, list[list[str]]]:
        full, column, phrases = fts_query(query)
        if not full.strip():
            raise StoreError("nothing to search for: give a word or two")
        return full, column, phrases

    def _ranked(self, table: str, match: str, n: int) -> list[tuple[int, float]]:
        """The n best (rowid, rank) of an FTS table. A query matching more than RANK_WITHIN[table]
        rows (a word in most of the corpus) is ranked within the latest that many, so that its
        cost stays bounded: BM25 has to score every row it ranks."""
        window = RANK_WITHIN[table]
        floor = self._run(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?", (match, window - 1)
        )
        if floor:
            return self._run(
                f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? AND rowid >= ? ORDER BY rank LIMIT ?",
                (match, floor[0][0], n),
            )
        return self._run(f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?", (match, n))

    # --- counts --------------------------------------------------------------------------------

    def count(self) -> dict[str, int]:
        """Articles by status, clusters, and quotes/claims/events counted once per cluster."""
        out = {"articles": 0, "duplicates": 0, "errors": 0, "skipped": 0}
        names = {"ok": "articles", "duplicate": "duplicates", "error": "errors", "skipped": "skipped"}
        for status, n in self._run("SELECT status, COUNT(*) FROM articles GROUP BY status"):
            out[names[status]] = n
        out["clusters"] = self._run("SELECT COUNT(DISTINCT cluster) FROM articles WHERE status = 'ok'")[0][0]
        for table in ("quotes", "claims", "events"):
            out[table] = self._run(
                f"SELECT COUNT(*) FROM (SELECT DISTINCT cluster, key FROM {table} WHERE current = 1)"
            )[0][0]
        return out

    # --- names ---------------------------------------------------------------------------------

    def _keys(self, name: str) -> list[str]:
        """The name keys a name may stand for: itself, the canonical names it was a mention of
        ("Colville" -> "rupert colville"), and a full name's surname where it is the only one."""
        key = rows.name_key(name)
        if not key:
            return []
        found = {r[0] for r in self._run("SELECT name_key FROM aliases WHERE alias = ?", (key,))}
        words = key.split()
        if len(words) >= 2:
            # "Karin Lindberg" is also the "Lindberg" of stories that name her by surname only,
            # when she is the one person of the corpus with that surname (``canonical_names``)
            owners = {r[0] for r in self._run("SELECT name_key FROM aliases WHERE alias = ?", (words[-1],))}
            if owners - {words[-1]} == {key}:
                found.add(words[-1])
        return sorted({key, *found})

    # --- search --------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Articles and quotes ranked by BM25 (title weighted 5x; quote text over speaker),
        snippets with matched words in [brackets], one hit per syndicated cluster."""
        full, column, phrases = self._match(query)
        hits = self._search_articles(full, limit) + self._search_quotes(column, phrases, limit)
        hits.sort(key=lambda h: -h["score"])
        return hits[:limit]

    def _search_articles(self, match: str, limit: int) -> list[dict[str, Any]]:
        ranked = self._ranked("articles_fts", match, limit * 3)
        clusters = dict(
            self._run(
                "SELECT pk, cluster FROM articles WHERE pk IN (SELECT value FROM json_each(?))",
                (json.dumps([pk for pk, _ in ranked]),),
            )
        )
        best: dict[int, tuple[int, float]] = {}
        for pk, score in ranked:
            best.setdefault(clusters[pk], (pk, score))
        chosen = sorted(best.values(), key=lambda x: x[1])[:limit]
        if not chosen:
            return []
        marks = ",".join("?" * len(chosen))
        snippets = dict(
            self._run(
                f"SELECT rowid, snippet(articles_fts, -1, '[', ']', '…', {SNIPPET_WORDS}) FROM articles_fts "
                f"WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                (match, *[pk for pk, _ in chosen]),
            )
        )
        meta = {
            r[0]: r[1:]
            for r in self._run(
                f"SELECT a.pk, {_ARTICLE} FROM articles a WHERE a.pk IN ({marks})", [pk for pk, _ in chosen]
            )
        }
        return [
            {
                "article_id": meta[pk][0],
                "kind": "article",
                "id": meta[pk][0],
                "title": meta[pk][1],
                "url": meta[pk][2],
                "published": meta[pk][3],
                "snippet": snippets.get(pk, ""),
                "score": -score,
            }
            for pk, score in chosen
        ]

    def _search_quotes(self, match: str, phrases: list[list[str]], limit: int) -> list[dict[str, Any]]:
        ranked = self._ranked("quotes_fts", match, limit * (10 if phrases else 4))
        text = f"COALESCE(q.speaker, '') || ' ' || {_text('q')}" if phrases else "''"
        about = {
            r[0]: r[1:]
            for r in self._run(
                f"SELECT q.pk, q.cluster, q.key, {text} FROM quotes q JOIN articles a ON a.pk = q.article "
                "WHERE q.current = 1 AND q.pk IN (SELECT value FROM json_each(?))",
                (json.dumps([pk for pk, _ in ranked]),),
            )
        }
        best: dict[tuple[int, int], tuple[int, float]] = {}
        for pk, score in ranked:
            if pk in about and has_phrases(about[pk][2], phrases):
                best.setdefault((about[pk][0], about[pk][1]), (pk, score))
        chosen = sorted(best.values(), key=lambda x: x[1])[:limit]
        if not chosen:
            return []
        marks = ",".join("?" * len(chosen))
        snippets = dict(
            self._run(
                f"SELECT rowid, snippet(quotes_fts, -1, '[', ']', '…', {SNIPPET_WORDS}) FROM quotes_fts "
                f"WHERE quotes_fts MATCH ? AND rowid IN ({marks})",
                (match, *[pk for pk, _ in chosen]),
            )
        )
        meta = {
            r[0]: r[1:]
            for r in self._run(
                f"SELECT q.pk, q.article, q.n, q.speaker, {_ARTICLE} FROM quotes q JOIN articles a ON a.pk = q.article "
                f"WHERE q.pk IN ({marks})",
                [pk for pk, _ in chosen],
            )
        }
        out = []
        for pk, score in chosen:
            _, n, speaker, aid, title, url, published = meta[pk]
            snippet = snippets.get(pk, "")
            out.append(
                {
                    "article_id": aid,
                    "kind": "quote",
                    "id": f"{aid}#q{n}",
                    "title": title,
                    "url": url,
                    "published": published,
                    "snippet": f"{speaker}: {snippet}" if speaker else snippet,
                    "score": -score,
                }
            )
        return out

    # --- quotes, claims, events --------------------------------------------------------------------

    def _outlets(self, groups: list[tuple[int, list[int]]]) -> dict[int, list[str]]:
        """For each group (representative pk, article pks): the url (or source) of its articles and
        of their exact duplicates, first ingested first; one query for all groups."""
        wanted = sorted({a for _, arts in groups for a in arts})
        found = self._run(
            "SELECT pk, COALESCE(duplicate_of, pk), COALESCE(url, source, id) FROM articles "
            "WHERE pk IN (SELECT value FROM json_each(?1)) OR duplicate_of IN (SELECT value FROM json_each(?1))",
            (json.dumps(wanted),),
        )
        by_first: dict[int, list[tuple[int, str]]] = {}
        for pk, first, outlet in found:
            by_first.setdefault(first, []).append((pk, outlet))
        out = {}
        for rep, arts in groups:
            seen = sorted(x for a in set(arts) for x in by_first.get(a, []))
            out[rep] = list(dict.fromkeys(outlet for _, outlet in seen))
        return out

    def _collapsed(self, table: str, where: str, args: Any, limit: int | None) -> list[tuple[int, list[int]]]:
        """(representative pk, article pks) per distinct item of a cluster, in date order."""
        sql = (
            f"SELECT MIN(pk), GROUP_CONCAT(article), MIN(date) AS d FROM {table} WHERE current = 1 AND ({where}) "
            f"GROUP BY cluster, key ORDER BY d IS NULL, d, MIN(pk)"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(pk, [int(a) for a in arts.split(",")]) for pk, arts, _ in self._run(sql, args)]

    def quotes(self, *, speaker: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes in the order they were said; ``speaker`` matches the canonical name or any
        name the speaker was mentioned by, case-insensitively."""
        where, args = self._name_filter(["speaker_key"], speaker)
        if where is None:
            return []
        groups = self._collapsed("quotes", where, args, limit)
        if not groups:
            return []
        found = {
            r[0]: r
            for r in self._run(
                f"SELECT q.pk, q.n, q.kind, {_text('q')}, q.spans, q.speaker, q.speaker_entity, q.cue, q.char_start, q.char_end, "
                f"q.date, v.name, {_ARTICLE} FROM quotes q JOIN articles a ON a.pk = q.article "
                f"JOIN versions v ON v.vid = q.vid WHERE q.pk IN (SELECT value FROM json_each(?))",
                (json.dumps([g[0] for g in groups]),),
            )
        }
        outlets, out = self._outlets(groups), []
        for pk, _arts in groups:
            _, n, kind, text, spans, name, entity, cue, start, end, date, version, aid, title, url, published = found[
                pk
            ]
            out.append(
                {
                    "id": f"{aid}#q{n}",
                    "article_id": aid,
                    "version": version,
                    "kind": kind,
                    "text": text,
                    "spans": json.loads(spans) if spans else [{"start": start, "end": end}],
                    "speaker": name,
                    "speaker_entity": entity,
                    "cue": cue,
                    "start": start,
                    "end": end,
                    "date": date,
                    "published": published,
                    "title": title,
                    "url": url,
                    "outlets": outlets[pk],
                }
            )
        return out

    def _name_filter(
        self, columns: list[str], name: str | None, codes: tuple[str, ...] = ()
    ) -> tuple[str | None, list[Any]]:
        if name is None:
            return "1 = 1", []
        keys = self._keys(name)
        if not keys:
            return None, []
        marks = ",".join("?" * len(keys))
        parts = [f"{c} IN ({marks})" for c in columns]
        args: list[Any] = keys * len(columns)
        if codes and re.fullmatch(r"[A-Za-z]{3}", name.strip()):
            parts += [f"{c} = ?" for c in codes]
            args += [name.strip().upper()] * len(codes)
        return " OR ".join(parts), args

    def claims(self, *, source: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        where, args = self._name_filter(["source_key"], source)
        if where is None:
            return []
        groups = self._collapsed("claims", where, args, limit)
        if not groups:
            return []
        found = {
            r[0]: r
            for r in self._run(
                f"SELECT c.pk, c.n, {_text('c')}, c.value, c.bound, c.unit, c.high, c.counted, c.source, c.char_start, c.char_end, c.date, v.name, "
                f"{_ARTICLE} FROM claims c JOIN articles a ON a.pk = c.article JOIN versions v ON v.vid = c.vid "
                f"WHERE c.pk IN (SELECT value FROM json_each(?))",
                (json.dumps([g[0] for g in groups]),),
            )
        }
        outlets, out = self._outlets(groups), []
        for pk, _arts in groups:
            (
                _,
                n,
                text,
                value,
                bound,
                unit,
                high,
                counted,
                src,
                start,
                end,
                date,
                version,
                aid,
                title,
                url,
                published,
            ) = found[pk]
            out.append(
                {
                    "id": f"{aid}#c{n}",
                    "article_id": aid,
                    "version": version,
                    "text": text,
                    "value": value,
                    "bound": bound,
                    "unit": unit,
                    "high": high,
                    "counted": counted,
                    "source": src,
                    "start": start,
                    "end": end,
                    "date": date,
                    "published": published,
                    "title": title,
                    "url": url,
                    "outlets": outlets[pk],
                }
            )
        return out

    def events(self, *, actor: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Events in the order they happened; ``actor`` matches the source or target by name,
        alias or (three letters) country code."""
        where, args = self._name_filter(["source_key", "target_key"], actor, ("source_code", "target_code"))
        if where is None:
            return []
        groups = self._collapsed("events", where, args, limit)
        if not groups:
            return []
        found = {
            r[0]: r
            for r in self._run(
                f"SELECT e.pk, e.n, e.type, {_text('e')}, e.source, e.source_code, e.target, e.target_code, e.char_start, "
                f"e.char_end, e.date, v.name, {_ARTICLE} FROM events e JOIN articles a ON a.pk = e.article "
                f"JOIN versions v ON v.vid = e.vid WHERE e.pk IN (SELECT value FROM json_each(?))",
                (json.dumps([g[0] for g in groups]),),
            )
        }
        outlets, out = self._outlets(groups), []
        for pk, _arts in groups:
            _, n, etype, text, src, scode, tgt, tcode, start, end, date, version, aid, title, url, published = found[pk]
            out.append(
                {
                    "id": f"{aid}#e{n}",
                    "article_id": aid,
                    "version": version,
                    "type": etype,
                    "text": text,
                    "source": src,
                    "source_code": scode,
                    "target": tgt,
                    "target_code": tcode,
                    "start": start,
                    "end": end,
                    "date": date,
                    "published": published,
                    "title": title,
                    "url": url,
                    "outlets": outlets[pk],
                }
            )
        return out

    # --- entities ------------------------------------------------------------------------------

    def canonical_names(self) -> dict[str, str]:
        """One person, one entity across the corpus: a person an article names by surname alone
        ("Trump") is the one person of the corpus whose full name ends in it ("Donald Trump"),
        when there is exactly one (two Kims stay apart). name key -> the full name as written."""
        shown: dict[str, Counter[str]] = {}
        for key, name in self._run("SELECT name_key, name FROM entities WHERE current = 1 AND type = 'PERSON'"):
            shown.setdefault(key, Counter())[name] += 1
        full: dict[str, list[str]] = {}
        for key in shown:
            words = key.split()
            if len(words) >= 2:
                full.setdefault(words[-1], []).append(key)
        return {
            key: shown[full[key][0]].most_common(1)[0][0]
            for key in shown
            if " " not in key and len(full.get(key, ())) == 1
        }

    def entities(self, *, limit: int = 50) -> list[dict[str, Any]]:
        """Who is quoted most (then mentioned in most stories), each with the names they were
        mentioned by and who they are mentioned with; articles count clusters, not copies; a
        surname-only person counts as the full name it stands for (``canonical_names``)."""
        same = {key: rows.name_key(name) or key for key, name in self.canonical_names().items()}
        quoted: Counter[str] = Counter()
        for key, n in self._run(
            "SELECT speaker_key, COUNT(*) FROM (SELECT DISTINCT speaker_key, cluster, key FROM quotes "
            "WHERE current = 1 AND speaker_key IS NOT NULL) GROUP BY speaker_key"
        ):
            quoted[same.get(key, key)] += n
        clusters: dict[str, set[int]] = {}
        mentions: Counter[str] = Counter()
        for key, cluster, m in self._run(
            "SELECT name_key, cluster, MAX(mentions) FROM entities WHERE current = 1 GROUP BY name_key, cluster"
        ):
            key = same.get(key, key)
            clusters.setdefault(key, set()).add(cluster)
            mentions[key] += m
        stats = [(key, len(c), mentions[key]) for key, c in clusters.items()]
        ranked = sorted(stats, key=lambda r: (-quoted.get(r[0], 0), -r[1], -r[2], r[0]))[:limit]
        merged = {key: [k for k, v in same.items() if v == key] for key, _a, _m in ranked}
        return [self._entity(key, articles, n, quoted.get(key, 0), merged[key]) for key, articles, n in ranked]

    def _entity(
        self, key: str, articles: int, mentions: int, quoted: int, also: list[str] | None = None
    ) -> dict[str, Any]:
        names = self._run("SELECT name, type FROM entities WHERE name_key = ? AND current = 1", (key,))
        name = Counter(n for n, _ in names).most_common(1)[0][0]
        etype = Counter(t for _, t in names).most_common(1)[0][0]
        aliases = sorted(
            {
                a
                for k in [key, *(also or [])]
                for (a,) in self._run("SELECT alias FROM aliases WHERE name_key = ?", (k,))
            }
            - {key}
        )
        with_ = self._run(
            "SELECT o.name_key, MIN(o.name), COUNT(DISTINCT o.cluster) AS n FROM entities e "
            "JOIN entities o ON o.article = e.article AND o.current = 1 AND o.name_key <> e.name_key "
            "WHERE e.name_key = ? AND e.current = 1 GROUP BY o.name_key ORDER BY n DESC, o.name_key LIMIT 10",
            (key,),
        )
        return {
            "name": name,
            "type": etype,
            "articles": articles,
            "mentions": mentions,
            "quoted": quoted,
            "aliases": aliases,
            "with": [{"name": n, "articles": c} for _, n, c in with_],
        }

    # --- timeline ------------------------------------------------------------------------------

    def timeline(self, topic: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Events, quotes and claims about ``topic``, in the order they happened (the date in their
        own sentence, else the publication date). An item is about the topic when its speaker,
        source or target is the topic (by name or alias), when its evidence sentence holds the
        topic's words, or when its article is about the topic: the topic is one of the article's
        entities, mentioned at least ``ABOUT_MENTIONS`` times (a passing mention is not enough)."""
        keys = set(self._keys(topic))
        words = {w.casefold() for w in _TERM.findall(topic)}
        if not words:
            return []
        match, _, _ = self._match(topic)
        marks = ",".join("?" * len(keys)) or "NULL"
        about = {
            r[0]
            for r in self._run(
                f"SELECT DISTINCT article FROM entities WHERE current = 1 AND "
                f"name_key IN ({marks}) AND mentions >= {ABOUT_MENTIONS}",
                sorted(keys),
            )
        }
        in_articles = (
            "article IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) OR t.article IN "
            f"(SELECT article FROM entities WHERE current = 1 AND name_key IN ({marks}) "
            f"AND mentions >= {ABOUT_MENTIONS})"
        )
        specs = {
            "quote": (
                "quotes",
                f"COALESCE(t.speaker || ': ', '') || {_text('t')}",
                "t.speaker_key, NULL, NULL",
                ["speaker_key"],
            ),
            "claim": ("claims", _text("t"), "t.source_key, NULL, NULL", ["source_key"]),
            "event": (
                "events",
                "t.type || ': ' || COALESCE(t.source, '?') || ' -> ' || COALESCE(t.target, '?')",
                "t.source_key, t.target_key, t.source_code || ' ' || COALESCE(t.target_code, '')",
                ["source_key", "target_key"],
            ),
        }
        found: dict[tuple[int, str, int], dict[str, Any]] = {}
        for kind, (table, summary, actors, columns) in specs.items():
            by_name = " OR ".join(f"t.{c} IN ({marks})" for c in columns)
            sql = (
                f"SELECT t.article, t.cluster, t.key, t.n, t.date, t.date_source, {summary}, {actors}, "
                f"substr(a.text, t.sent_start + 1, t.sent_end - t.sent_start), t.char_start, t.char_end, "
                f"{_ARTICLE} FROM {table} t JOIN articles a ON a.pk = t.article "
                f"WHERE t.current = 1 AND (t.{in_articles} OR {by_name}) ORDER BY t.pk"
            )
            for r in self._run(sql, (match, *sorted(keys), *(sorted(keys) * len(columns)))):
                (
                    article,
                    cluster,
                    key,
                    n,
                    date,
                    source,
                    text,
                    k1,
                    k2,
                    codes,
                    sentence,
                    start,
                    end,
                    aid,
                    title,
                    url,
                    _,
                ) = r
                named = bool(keys & {k1, k2}) or topic.strip().upper() in (codes or "").split()
                said = words <= {w.casefold() for w in _TERM.findall(f"{sentence} {text}")}
                if (named or said or article in about) and (cluster, kind, key) not in found:
                    found[(cluster, kind, key)] = {
                        "date": date,
                        "date_source": source,
                        "kind": kind,
                        "id": f"{aid}#{kind[0]}{n}",
                        "summary": text,
                        "evidence": sentence,
                        "article_id": aid,
                        "title": title,
                        "url": url,
                        "start": start,
                        "end": end,
                    }
        items = sorted(found.values(), key=lambda x: (x["date"] is None, x["date"] or "", x["article_id"], x["start"]))
        return items if limit is None else items[:limit]

    # --- outlets ---------------------------------------------------------------------------------

    def outlets(self, article_id: str) -> list[dict[str, Any]]:
        """Every copy of the article: itself, exact duplicates ("exact") and syndicated copies
        ("syndicated"), in the order they were ingested."""
        row = self._run("SELECT pk, COALESCE(duplicate_of, pk), cluster FROM articles WHERE id = ?", (article_id,))
        if not row:
            return []
        pk, first, cluster = row[0]
        found = self._run(
            "SELECT pk, id, url, source, title, published, status, COALESCE(duplicate_of, pk) "
            "FROM articles WHERE (cluster = ? AND cluster IS NOT NULL) OR pk = ? ORDER BY pk",
            (cluster, pk),
        )
        out = []
        for opk, oid, url, source, title, published, status, ofirst in found:
            relation = "self" if opk == pk else "exact" if ofirst == first else "syndicated"
            out.append(
                {
                    "article_id": oid,
                    "url": url,
                    "source": source,
                    "title": title,
                    "published": published,
                    "status": status,
                    "relation": relation,
                }
            )
        return out
