"""Retrieval quality on judged queries and quotes (format: ../shared/eval/README.md).

Metrics: MRR@10, Recall@10 and top-1 over the ranked, de-duplicated source files;
for queries with no relevant document, whether the search returned nothing; a
passage hit when one of the top 3 results has a snippet containing a judged
passage (both sides folded to Simplified, pinyin annotations removed); quote
recall and false attributions. Any engine with a ``run(query)`` method can be
scored, so the baselines in ``baselines.py`` are measured the same way.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from corpus_search.cleaning.paragraphs import normalise_spaces
from corpus_search.cleaning.pinyin import strip_pinyin
from corpus_search.errors import CorpusSearchError
from corpus_search.highlight import strip_marks
from corpus_search.normalise import to_simplified

__all__ = [
    "Judged",
    "Engine",
    "Ranked",
    "ServiceEngine",
    "JudgedFileError",
    "load_judged",
    "read_judged",
    "score",
    "score_quotes",
    "fold",
]


def fold(text: str) -> str:
    """How judged passages and snippets are compared: marks and pinyin annotations
    removed, Simplified script, single spaces, lower case."""
    return normalise_spaces(to_simplified(strip_pinyin(strip_marks(text)))).lower()


@dataclass(frozen=True)
class Judged:
    id: str
    query: str
    kind: str
    relevant_docs: tuple[str, ...]
    must_rank_first: str | None
    relevant_passages: tuple[str, ...]


@dataclass
class Ranked:
    """What an engine returned: ranked files and, per file, its snippets."""

    files: list[str]
    snippets: dict[str, list[str]] = field(default_factory=dict)


class Engine(Protocol):
    name: str

    def run(self, query: str) -> Ranked: ...


class ServiceEngine:
    """Our engine, seen exactly as the API's users see it."""

    def __init__(self, service: Any, name: str = "corpus-search") -> None:
        self.service = service
        self.name = name

    def run(self, query: str) -> Ranked:
        from corpus_search.errors import QueryError

        try:
            results = self.service.search(query, page=1, per_page=10)
        except QueryError:
            return Ranked(files=[])
        return Ranked(
            files=[h.source_file for h in results.hits],
            snippets={h.source_file: [s.html for s in h.snippets] for h in results.hits},
        )


class JudgedFileError(CorpusSearchError):
    """A judged file that cannot be read: the message names the file and line."""


def read_judged(path: Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file, each with the ``required`` keys."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgedFileError(f"{path}: cannot be read ({exc})") from exc
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise JudgedFileError(f"{path}:{number}: not a JSON object ({exc})") from None
        if not isinstance(raw, dict):
            raise JudgedFileError(f"{path}:{number}: not a JSON object")
        missing = [key for key in required if key not in raw]
        if missing:
            raise JudgedFileError(f"{path}:{number}: missing {', '.join(missing)}")
        items.append(raw)
    return items


def load_judged(path: Path) -> list[Judged]:
    return [
        Judged(
            id=raw["id"],
            query=raw["query"],
            kind=raw["kind"],
            relevant_docs=tuple(raw.get("relevant_docs") or ()),
            must_rank_first=raw.get("must_rank_first"),
            relevant_passages=tuple(raw.get("relevant_passages") or ()),
        )
        for raw in read_judged(path, ("id", "query", "kind"))
    ]


@dataclass
class QueryScore:
    judged: Judged
    files: list[str]
    rr: float | None = None
    recall: float | None = None
    precision: float | None = None
    top1: bool | None = None
    empty_ok: bool | None = None
    passage_hit: bool | None = None


def _score_one(judged: Judged, ranked: Ranked) -> QueryScore:
    top = list(dict.fromkeys(ranked.files))[:10]
    s = QueryScore(judged=judged, files=top)
    if not judged.relevant_docs:
        s.empty_ok = not ranked.files
        return s
    relevant = set(judged.relevant_docs)
    rank = next((i for i, f in enumerate(top, 1) if f in relevant), None)
    s.rr = 1 / rank if rank else 0.0
    s.recall = len(relevant & set(top)) / len(relevant)
    s.precision = len(relevant & set(top)) / len(top) if top else 0.0
    if judged.must_rank_first:
        s.top1 = bool(top) and top[0] == judged.must_rank_first
    if judged.relevant_passages:
        wanted = [fold(p) for p in judged.relevant_passages]
        shown = [fold(x) for f in top[:3] for x in ranked.snippets.get(f, [])]
        s.passage_hit = any(w in snippet for w in wanted for snippet in shown)
    return s


def _mean(values: Iterable[float | bool | None]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return round(sum(kept) / len(kept), 3) if kept else None


def _summary(scores: list[QueryScore]) -> dict[str, Any]:
    return {
        "queries": len(scores),
        "mrr@10": _mean(s.rr for s in scores),
        "recall@10": _mean(s.recall for s in scores),
        "precision@10": _mean(s.precision for s in scores),
        "top1": _mean(s.top1 for s in scores),
        "passage@3": _mean(s.passage_hit for s in scores),
        "empty_ok": _mean(s.empty_ok for s in scores),
    }


def score(engine: Engine, judged: list[Judged]) -> dict[str, Any]:
    """Overall and per-kind metrics, plus each query's outcome."""
    scores = [_score_one(j, engine.run(j.query)) for j in judged]
    by_kind: dict[str, list[QueryScore]] = defaultdict(list)
    for s in scores:
        by_kind[s.judged.kind].append(s)
    return {
        "engine": engine.name,
        "overall": _summary(scores),
        "kinds": {kind: _summary(group) for kind, group in sorted(by_kind.items())},
        "queries": [
            {
                "id": s.judged.id,
                "query": s.judged.query,
                "kind": s.judged.kind,
                "files": s.files,
                "rr": s.rr,
                "top1": s.top1,
                "passage_hit": s.passage_hit,
                "empty_ok": s.empty_ok,
            }
            for s in scores
        ],
    }


def score_quotes(judged_path: Path, quotes: list[dict[str, Any]], lookup: Any) -> dict[str, Any]:
    """Quote recall and false attributions over the API's quote records.

    ``lookup(name)`` resolves a judged speaker's name to an id (any form)."""
    judged = read_judged(judged_path, ("id", "source_file", "quote_contains"))
    found, wrong, missed = 0, [], []
    speech = [j for j in judged if j.get("speaker")]
    for item in judged:
        needle = fold(item["quote_contains"])
        holders = [
            q
            for q in quotes
            if q["source_file"] == item["source_file"] and needle in fold(q["text"])
        ]
        expected = lookup(item["speaker"]) if item.get("speaker") else None
        attributed = {q["speaker_id"] for q in holders if q.get("speaker_id")}
        if expected is None:
            wrong += [f"{item['id']}: {sorted(attributed)}"] if attributed else []
            continue
        if expected in attributed:
            found += 1
        else:
            missed.append(item["id"])
        wrong += [f"{item['id']}: {s}" for s in sorted(attributed - {expected})]
    return {
        "quotes_judged": len(judged),
        "recall": round(found / len(speech), 3) if speech else None,
        "false_attributions": len(wrong),
        "missed": missed,
        "wrong": wrong,
    }
