"""Ranking: the top of the result list, the exact total, and every matching document.

The query is evaluated over whole posting lists (`vector.evaluate`: BM25F, as
Whoosh scores it); filters keep the documents that have their terms; each score
is multiplied by the language preference (a Chinese query prefers Chinese
articles of either script, an English query English ones: `query.LANGUAGE_BOOST`);
the best ``depth`` are sorted (ties: index order). Only the page's documents are
ever read from the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.query import Query
from whoosh.searching import Searcher

from corpus_search.search.budget import Deadline
from corpus_search.search.vector import FieldLengths, evaluate

__all__ = ["Ranked", "rank"]


@dataclass
class Ranked:
    top: list[tuple[float, int]]  # (score, document number), best first
    matched: np.ndarray  # every matching document number
    total: int


def rank(
    searcher: Searcher,
    lengths: FieldLengths,
    query: Query,
    depth: int,
    allowed: list[np.ndarray] | None = None,
    factors: np.ndarray | None = None,
    deadline: Deadline | None = None,
) -> Ranked:
    """The best ``depth`` documents for ``query`` among those in every ``allowed``
    array, scores multiplied by ``factors`` (per document) when given; QueryTooCostly
    once ``deadline`` has passed."""
    found = evaluate(searcher, lengths, query, deadline=deadline)
    docs, scores = found.docs, found.scores
    for keep in allowed or ():
        inside = np.isin(docs, keep, assume_unique=True)
        docs, scores = docs[inside], scores[inside]
    if factors is not None and len(docs):
        scores = scores * factors[docs]
    best = np.lexsort((docs, -scores))[: max(depth, 1)]
    top = [(float(scores[i]), int(docs[i])) for i in best]
    return Ranked(top=top, matched=docs, total=len(docs))
