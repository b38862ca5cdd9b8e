"""Xapian's BM25 made to give our BM25F's weights (`search.vector`).

Our scorer weighs a term of field f in a record, Whoosh's way, as

    idf * (k1 + 1) * tf / (tf + k1 * L),   L = 1 - b + b * length_f / average_f

with k1 = 1.2, b = 0.75, tf the term's occurrences times the field's boost (the
title's is 2), length_f the field's length in the record (its occurrence count,
as Whoosh stores it: rounded to one of 256 steps) and average_f the field's
average over the index. Divided through by L this is a function of ``tf / L``
alone: ``idf * (k1 + 1) * (tf / L) / (tf / L + k1)``. Xapian 1.4 knows only a
record's whole length, never a field's, so the length goes in at indexing time:

- each term's wdf is ``tf / L`` for its own field, in units of 1/WDF_SCALE (wdf
  is an integer), so a field's length normalises only that field's terms;
- the weighting is BM25 with b = 0 (no length of Xapian's own) and
  k1 = 1.2 * WDF_SCALE (the same saturation in those units); k2 = k3 = 0;
- each query term is scaled (OP_SCALE_WEIGHT: `IdfCorrection`) by Whoosh's idf
  ``log(N / (n + 1)) + 1`` times (k1 + 1), over Xapian's idf (``log((N - n + 0.5)
  / (n + 0.5))``, the ratio replaced by ``r / 2 + 1`` under 2) times its (k1 + 1),
  from the database's own statistics (merged over shards).

What remains: the wdf's rounding (a few parts in 100,000 for an occurrence in a
field ten times its average length: enough to swap near-ties), and the averages,
which are those of a fixed sample of the folder's files, taken when the database is
first written (kept in it for later updates: `index.xapian`), where Whoosh reads
the current ones over every record at each search.

A field's wdfs add up to less than WDF_SCALE * boost * average * 4/3 (``tf / L``
summed over a field is at most ``average / b``), far below Xapian's 32-bit record
length for any news article.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

import xapian
from whoosh.util.numeric import byte_to_length, length_to_byte

from corpus_search.index.schema import ARTICLES, build_schema
from corpus_search.xapian_backend.terms import TEXT_PREFIXES

__all__ = [
    "K1",
    "B",
    "WDF_SCALE",
    "Averages",
    "bm25",
    "field_boosts",
    "field_averages",
    "field_length",
    "normalised_wdf",
    "wdf_unit",
    "whoosh_idf",
    "xapian_idf",
    "IdfCorrection",
]

K1 = 1.2
B = 0.75
WDF_SCALE = 10000  # wdf units in one length-normalised occurrence
Averages = Mapping[str, float]  # text field -> its average length in an index


def bm25() -> xapian.BM25Weight:
    return xapian.BM25Weight(K1 * WDF_SCALE, 0.0, 0.0, 0.0, 0.0)


@cache
def field_boosts() -> dict[str, float]:
    """Each text field's boost, as our Whoosh schema gives it."""
    schema = build_schema(ARTICLES)
    return {field: float(schema[field].format.field_boost) for field in TEXT_PREFIXES}


def field_length(found: Mapping[str, list[Any]] | None) -> int:
    """A field's length in a record: its occurrences (Whoosh's count)."""
    return sum(len(occurrences) for occurrences in (found or {}).values())


def field_averages(records: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Each text field's average length over ``records`` (absent counts as empty)."""
    totals = dict.fromkeys(TEXT_PREFIXES, 0)
    count = 0
    for record in records:
        count += 1
        for field in totals:
            totals[field] += field_length(record.get(field))
    return {field: total / count if count else 0.0 for field, total in totals.items()}


def wdf_unit(field: str, length: int, average: float) -> float:
    """The wdf of one occurrence of a term in a field of ``length`` occurrences."""
    stored = byte_to_length(length_to_byte(length))  # the length Whoosh keeps
    norm = 1 - B + B * stored / (average or stored or 1)
    return WDF_SCALE * field_boosts()[field] / norm


def normalised_wdf(field: str, count: int, length: int, average: float) -> int:
    """The wdf of a term found ``count`` times in a field of ``length`` occurrences."""
    return max(1, round(wdf_unit(field, length, average) * count))


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
    """Per term: Whoosh's idf and (k1 + 1) over Xapian's, where ``termfreq(term)``
    records hold a term, among the ``size`` records of its index (Whoosh's idf) in a
    database of ``total`` records (Xapian's)."""

    def __init__(self, size: int, total: int, termfreq: Callable[[bytes], int]) -> None:
        self._size = size
        self._total = total
        self._termfreq = termfreq
        self._factors: dict[bytes, float] = {}

    @classmethod
    def of_query(cls, db: xapian.Database, q: xapian.Query, kind: bytes) -> IdfCorrection:
        """The correction for the terms of ``q``, in the index whose records hold the
        term ``kind``: the frequencies (``kind``'s too) are read in one pass (an empty
        match set still carries them), one round trip per shard, not one per term."""
        enquire = xapian.Enquire(db)
        enquire.set_query(xapian.Query(xapian.Query.OP_OR, q, xapian.Query(kind)))
        termfreq = enquire.get_mset(0, 0).get_termfreq
        return cls(termfreq(kind), db.get_doccount(), termfreq)

    def __call__(self, name: bytes) -> float:
        factor = self._factors.get(name)
        if factor is None:
            n = self._termfreq(name)
            ours = whoosh_idf(n, self._size) * (K1 + 1)
            theirs = xapian_idf(n, self._total) * (K1 * WDF_SCALE + 1)
            factor = 1.0 if n == 0 else ours / theirs
            self._factors[name] = factor
        return factor
