"""Ranking: the top of the result list, the exact total, and every matching document.

One pass over the query's matches scores each document (BM25F) times the
language preference (`language_factor`: a Chinese query prefers Chinese
articles of either script, an English query English ones), keeps the best
``depth`` in a heap, and records every matching document number for the facets.
Only the page's documents are ever read from the store.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from heapq import heappush, heapreplace
from typing import Any

import numpy as np
from whoosh.collectors import Collector
from whoosh.query import Query
from whoosh.searching import Searcher

from corpus_search.query import LANGUAGE_BOOST

__all__ = ["Ranked", "rank"]


@dataclass
class Ranked:
    top: list[tuple[float, int]]  # (score, document number), best first
    matched: np.ndarray  # every matching document number
    total: int


class _TopAndAll(Collector):
    def __init__(self, depth: int, chinese: list[bool] | None, prefer_chinese: bool) -> None:
        self.depth = depth
        self.chinese = chinese
        self.prefer = prefer_chinese
        self.factor = 1.0 + LANGUAGE_BOOST

    def prepare(self, top_searcher: Searcher, q: Query, context: Any) -> None:
        super().prepare(top_searcher, q, context)
        self.heap: list[tuple[float, int]] = []
        self.matched = array("q")

    def collect(self, sub_docnum: int) -> float:
        doc = self.offset + sub_docnum
        score = self.matcher.score()
        if self.chinese is not None and self.chinese[doc] == self.prefer:
            score *= self.factor
        self.matched.append(doc)
        heap = self.heap
        if len(heap) < self.depth:
            heappush(heap, (score, -doc))
        elif score > heap[0][0]:
            heapreplace(heap, (score, -doc))
        return -score

    def sort_key(self, sub_docnum: int) -> float:
        return -self.matcher.score()

    def results(self) -> Ranked:
        top = sorted(((s, -d) for s, d in self.heap), key=lambda p: (-p[0], p[1]))
        matched = np.frombuffer(self.matched, dtype=np.int64) if self.matched else np.zeros(0, int)
        return Ranked(top=top, matched=matched, total=len(self.matched))


def rank(
    searcher: Searcher,
    query: Query,
    depth: int,
    chinese: list[bool] | None,
    prefer_chinese: bool,
) -> Ranked:
    """The best ``depth`` documents for ``query`` and every document it matches; with
    ``chinese`` (per document), the language preference applies."""
    collector = _TopAndAll(max(depth, 1), chinese, prefer_chinese)
    searcher.search_with_collector(query, collector, searcher.context(needs_current=True))
    return collector.results()
