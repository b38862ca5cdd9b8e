#!/usr/bin/env python
"""The plain reference engine for scripts/benchmark: what a user would otherwise build.

Plain Whoosh; one analyzer for index and query: OpenCC ``t2s``, then stock jieba
tokens (the bundled dictionary, default mode: ``corpus_search.baselines.T2SJiebaTokenizer``,
the evaluation's own "T→S + jieba" baseline),
Latin lower-cased, punctuation dropped. Schema: ``id`` and a stored ``body`` (the
whole file). ONE writer (no procs). One patch: whoosh-ng 5.4.0 reads a positions
posting whose last byte is 0x2E (".") as a legacy pickle and fails (phrase queries
raise UnpicklingError), so the field format reads the current encoding only.
Queries: ``QueryParser("body", schema)`` (AND grouping, the default), ``limit=10``,
``hit.highlights("body")`` for every hit.
Facet filters have no equivalent here: a filtered query runs without its filters.

    python scripts/bench_reference.py build SOURCE INDEX
    python scripts/bench_reference.py query INDEX QUERIES [--subset N] [--timeout S]

``query`` prints one JSON line: latency percentiles over all queries (after one
warm-up pass; ``search_only``: the same before highlighting; ``first_seen``: the
warm-up pass without its first query), errors, and how many queries found something.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.formats import Positions
from whoosh.qparser import QueryParser
from whoosh.searching import Searcher

from bench_common import Query, deadline, load_queries, percentiles
from corpus_search.baselines import T2SJiebaTokenizer

__all__ = ["build", "measure_queries", "schema"]


class CurrentPositions(Positions):  # type: ignore[misc]
    """Stock Positions; a trailing zero byte (ignored by the decoder, which reads as
    many varints as the header counts) keeps it from guessing "legacy pickle"."""

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return super().decode_positions(valuestring + b"\0")  # type: ignore[no-any-return]


def schema() -> Schema:
    body = TEXT(analyzer=T2SJiebaTokenizer(), stored=True)
    body.format = CurrentPositions(field_boost=body.format.field_boost)
    return Schema(id=ID(stored=True, unique=True), body=body)


def build(source: Path, index: Path) -> int:
    """Index every ``*.txt`` of ``source`` with one writer; returns the file count."""
    if index.exists():
        shutil.rmtree(index)
    index.mkdir(parents=True)
    ix = whoosh_index.create_in(str(index), schema())
    count = 0
    with ix.writer() as writer:
        for path in sorted(source.glob("*.txt")):
            writer.add_document(id=path.stem, body=path.read_text("utf-8", errors="replace"))
            count += 1
    ix.close()
    return count


def _run(searcher: Searcher, parser: QueryParser, query: Query) -> tuple[int, float]:
    """Search and highlight the top 10: (hits scored, ms spent before highlighting)."""
    started = time.perf_counter()
    results = searcher.search(parser.parse(query.text), limit=10)
    hits = results.scored_length()
    searched = (time.perf_counter() - started) * 1000
    for hit in results:
        hit.highlights("body")
    return hits, searched


def measure_queries(index: Path, queries: list[Query], timeout: float) -> dict[str, Any]:
    """One warm-up pass, then one timed pass (search + highlights of the top 10)."""
    ix = whoosh_index.open_dir(str(index))
    parser = QueryParser("body", ix.schema)
    samples: dict[str, list[float]] = {"timed": [], "search_only": [], "first_seen": []}
    errors: list[str] = []
    found = 0
    with ix.searcher() as searcher:
        for timed in (False, True):
            for n, query in enumerate(queries):
                started = time.perf_counter()
                try:
                    with deadline(timeout):
                        hits, searched = _run(searcher, parser, query)
                except Exception as exc:  # a failing query is an error, not the end
                    if timed:
                        errors.append(f"{query.text!r}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                if timed:
                    samples["timed"].append(elapsed)
                    samples["search_only"].append(searched)
                    found += hits > 0
                elif n:
                    samples["first_seen"].append(elapsed)
    ix.close()
    return {
        **percentiles(samples["timed"]),
        "search_only": percentiles(samples["search_only"]),
        "first_seen": percentiles(samples["first_seen"]),
        "errors": len(errors),
        "error_samples": errors[:5],
        "found": found,
        "queries": len(queries),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build")
    build_cmd.add_argument("source", type=Path)
    build_cmd.add_argument("index", type=Path)
    query_cmd = commands.add_parser("query")
    query_cmd.add_argument("index", type=Path)
    query_cmd.add_argument("queries", type=Path)
    query_cmd.add_argument("--subset", type=int, default=None)
    query_cmd.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    if args.command == "build":
        print(json.dumps({"articles": build(args.source, args.index)}))
    else:
        queries = load_queries(args.queries, args.subset)
        print(json.dumps(measure_queries(args.index, queries, args.timeout), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
