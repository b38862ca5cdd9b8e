"""Xapian's BM25 set up to come as close as it can to our BM25F (`search.vector`).

Both weigh a term in a document as ``idf * wdf * (k1 + 1) / (wdf + k1 * ((1 - b) +
b * length / average))`` with k1 = 1.2 and b = 0.75. They differ in two ways:

- idf. Whoosh: ``log(N / (n + 1)) + 1``. Xapian: ``log((N - n + 0.5) / (n + 0.5))``,
  the ratio r replaced by ``r / 2 + 1`` when under 2. `IdfCorrection` scales each
  term of a query by the ratio of the two (OP_SCALE_WEIGHT), computed from the
  database's own statistics (merged over shards), so idf ends up Whoosh's exactly.
- length. Whoosh normalises a field's frequency by that field's length and
  average (BM25F: title, body and ``exact`` each); Xapian 1.4 knows only a
  document's whole length (title counted twice, body and ``exact``). Nothing here
  can undo this: it is the remaining difference (measured in the tests).

Xapian's extra terms are off: k2 = 0 (no document-length bonus), k3 = 0 (a term
named twice in a query weighs twice, as in Whoosh), no floor on the normalised
length (Whoosh has none).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import xapian

__all__ = ["K1", "B", "bm25", "whoosh_idf", "xapian_idf", "IdfCorrection"]

K1 = 1.2
B = 0.75


def bm25() -> xapian.BM25Weight:
    return xapian.BM25Weight(K1, 0.0, 0.0, B, 0.0)


def whoosh_idf(n: int, size: int) -> float:
    """Whoosh's idf of a term in ``n`` of ``size`` documents."""
    return math.log(size / (n + 1)) + 1


def xapian_idf(n: int, size: int) -> float:
    """Xapian's BM25 idf (before its (k1 + 1) factor), as `BM25Weight.init` computes it."""
    ratio = (size - n + 0.5) / (n + 0.5)
    if ratio < 2:
        ratio = ratio * 0.5 + 1
    return math.log(ratio)


class IdfCorrection:
    """Per term: Whoosh's idf over Xapian's, for a database of ``size`` records where
    ``termfreq(term)`` records hold a term."""

    def __init__(self, size: int, termfreq: Callable[[bytes], int]) -> None:
        self._size = size
        self._termfreq = termfreq
        self._factors: dict[bytes, float] = {}

    @classmethod
    def of_query(cls, db: xapian.Database, q: xapian.Query) -> IdfCorrection:
        """The correction for the terms of ``q``: their frequencies are read in one
        pass (an empty match set still carries them), one round trip per shard
        instead of one per term."""
        enquire = xapian.Enquire(db)
        enquire.set_query(q)
        return cls(db.get_doccount(), enquire.get_mset(0, 0).get_termfreq)

    def __call__(self, name: bytes) -> float:
        factor = self._factors.get(name)
        if factor is None:
            n = self._termfreq(name)
            factor = 1.0 if n == 0 else whoosh_idf(n, self._size) / xapian_idf(n, self._size)
            self._factors[name] = factor
        return factor
