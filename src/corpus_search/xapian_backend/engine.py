"""Searching a Xapian database (local, or shards combined): ranked page, exact total,
filters and facet counts, the way `search.ranking` and `search.facets` answer.

- The query is our Whoosh tree translated (`translate`), weighed as our BM25F
  (`weighting`: the records' wdfs carry each field's length normalisation, each
  term is scaled to Whoosh's idf).
- Filters are boolean terms (OP_FILTER): they restrict, they never weigh.
- The language preference multiplies a document's score by ``1 + LANGUAGE_BOOST``
  when its language is the query's (Chinese of either script, or not Chinese),
  as `search.generation` does: the query is split into the two disjoint halves,
  favoured (scaled) and the rest, joined by OP_OR, so each document keeps its
  own half's weight times its factor.
- Every match is counted (``checkatleast`` = the database's size), so the total
  and the facets (`facets`: value-count spies, merged by Xapian over shards) are
  exact.
- Equal scores are ordered by record id, the same on one database and on shards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xapian
from whoosh.query import Query, Term

from corpus_search.index.schema import ARTICLES
from corpus_search.query import LANGUAGE_BOOST
from corpus_search.xapian_backend.facets import counts, spies
from corpus_search.xapian_backend.terms import BOOLEAN_PREFIXES, ID_SLOT, kind_term
from corpus_search.xapian_backend.translate import filter_query, to_xapian
from corpus_search.xapian_backend.weighting import IdfCorrection, bm25

__all__ = ["FACETS", "QUOTE_FACETS", "Hit", "Results", "search", "count", "hits", "ranked_query"]

FACETS = ("lang", "year", "source", "entities")  # of articles
QUOTE_FACETS = ("speaker_id",)
CHINESE = "zh"  # a Chinese article's language starts with this


@dataclass
class Hit:
    id: str
    score: float
    stored: dict[str, Any]  # the record's stored fields (`store.stored`)
    docid: int = 0  # in the database searched (shards joined: only while they are)
    document: xapian.Document | None = None  # ... and its document (values: `offsets`)


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]  # facet -> value -> matching records
    missing_shards: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)


def _preferring(q: xapian.Query, chinese: bool) -> xapian.Query:
    """``q`` with the scores of records in the query's language multiplied. Records in
    Chinese (either script) are found by their language terms' prefix, expanded where
    the match runs (on each shard: no round trip to list them)."""
    zh = xapian.Query(xapian.Query.OP_WILDCARD, BOOLEAN_PREFIXES["lang"] + CHINESE)
    inside = xapian.Query(xapian.Query.OP_FILTER, q, zh)
    outside = xapian.Query(xapian.Query.OP_AND_NOT, q, zh)
    favoured, rest = (inside, outside) if chinese else (outside, inside)
    scaled = xapian.Query(xapian.Query.OP_SCALE_WEIGHT, favoured, 1.0 + LANGUAGE_BOOST)
    return xapian.Query(xapian.Query.OP_OR, scaled, rest)


def ranked_query(
    db: xapian.Database,
    query: Query,
    filters: Sequence[Term] = (),
    chinese: bool | None = None,
    index: str = ARTICLES,
) -> xapian.Query:
    """The Xapian query for our ``query`` over the records of ``index``, with its
    filters and language preference (None: no preference, as for quotes)."""
    kind = kind_term(index)
    correction = IdfCorrection.of_query(db, to_xapian(query, index=index), kind)
    q = to_xapian(query, correction, index)
    restrict = filter_query(filters)
    only = (
        xapian.Query(kind)
        if restrict is None
        else xapian.Query(xapian.Query.OP_AND, xapian.Query(kind), restrict)
    )
    q = xapian.Query(xapian.Query.OP_FILTER, q, only)
    return q if chinese is None else _preferring(q, chinese)


def _enquire(db: xapian.Database, q: xapian.Query, seconds: float | None) -> xapian.Enquire:
    enquire = xapian.Enquire(db)
    enquire.set_query(q)
    enquire.set_weighting_scheme(bm25())
    enquire.set_sort_by_relevance_then_value(ID_SLOT, False)
    if seconds is not None:
        # Past it, Xapian stops matching and answers with what it has: the caller, who
        # knows the request's budget, refuses such an answer rather than show it.
        enquire.set_time_limit(max(seconds, 0.001))
    return enquire


def hits(mset: xapian.MSet) -> list[Hit]:
    """The records of a match set, fetched in one round trip per shard."""
    # One round trip per shard for the page's documents. The range form: the bindings'
    # plain ``fetch()`` crashes (SIGSEGV) on a page that does not start at the first match.
    mset.fetch(mset._begin(), mset._end())
    hits = []
    for match in mset:
        document = match.document
        stored = json.loads(document.get_data())
        hits.append(Hit(stored["id"], match.weight, stored, match.docid, document))
    return hits


def search(
    db: xapian.Database,
    query: Query,
    filters: Sequence[Term] = (),
    page: int = 1,
    per_page: int = 10,
    chinese: bool | None = None,
    facets: Sequence[str] = FACETS,
    seconds: float | None = None,
    index: str = ARTICLES,
) -> Results:
    """One page of the records of ``index`` that ``query`` matches among those with
    every filter term, best first, with the exact total and each facet's counts over
    all of them (the match stops after ``seconds``, if given)."""
    enquire = _enquire(db, ranked_query(db, query, filters, chinese, index), seconds)
    spied = spies(enquire, facets)
    mset = enquire.get_mset((page - 1) * per_page, per_page, db.get_doccount())
    return Results(
        hits=hits(mset),
        total=mset.get_matches_estimated(),
        facets=counts(spied),
    )


def count(
    db: xapian.Database,
    query: Query,
    filters: Sequence[Term] = (),
    seconds: float | None = None,
    index: str = ARTICLES,
) -> int:
    """How many records of ``index`` ``query`` matches among those with every filter
    term."""
    enquire = _enquire(db, ranked_query(db, query, filters, None, index), seconds)
    return enquire.get_mset(0, 1, db.get_doccount()).get_matches_estimated()
