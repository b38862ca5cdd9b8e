"""Searching a Xapian database (local, or shards combined): ranked page, exact total,
filters and facet counts, the way `search.ranking` and `search.facets` answer.

- The query is our Whoosh tree translated (`translate`), weighed as our BM25F
  (`weighting`: the records' wdfs carry each field's length normalisation, each
  term is scaled to Whoosh's idf).
- Filters are boolean terms (OP_FILTER): they restrict, they never weigh.
- The language preference multiplies a document's score by ``1 + LANGUAGE_BOOST``
  when its language is the query's (Chinese of either script, or not Chinese),
  as `search.generation` does: a document in that language gets, beside its
  weight, its weight again scaled by ``LANGUAGE_BOOST`` (OP_AND_MAYBE).
- The total and the facets are exact: every match is counted (``checkatleast`` =
  the database's size). On a local database whose articles' facet values were read
  beforehand (`Bases.read_table`, when a server warms up), the facets are counted
  from the matching records' ids (`table`); otherwise, and on shards, by value-count
  spies (`facets`, merged by Xapian over shards), which cost several times more.
  A query that matches most of the records it may match (those of its index with
  its filters: the base) is counted from the other side, given the base's counts
  (`Bases`, kept per build): its records are the base less those it does not
  match, so only those are visited for their facet values (what costs most), and
  the page is ranked by a match that may stop early. The counts are the same
  either way.
- Equal scores are ordered by record id, the same on one database and on shards.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import xapian
from whoosh.query import And, Or, Phrase, Query, Term

from corpus_search.index.schema import ARTICLES
from corpus_search.query import LANGUAGE_BOOST, leaves
from corpus_search.xapian_backend.facets import counts, spies
from corpus_search.xapian_backend.store import BUILD
from corpus_search.xapian_backend.table import FacetTable, matching_docids
from corpus_search.xapian_backend.terms import (
    BOOLEAN_PREFIXES,
    ID_SLOT,
    kind_term,
    text_prefixes,
)
from corpus_search.xapian_backend.translate import filter_query, to_xapian
from corpus_search.xapian_backend.weighting import IdfCorrection, bm25

__all__ = [
    "FACETS",
    "QUOTE_FACETS",
    "Bases",
    "Hit",
    "Results",
    "search",
    "count",
    "warm",
    "hits",
    "ranked_query",
]

FACETS = ("lang", "year", "source", "entities")  # of articles
# Above this share of its base, a query's facets are counted from the records it does
# not match: by spies, reading a record's facet values where few are read costs about
# four times what it costs in a full pass (measured at 10,000 articles); from the
# values read beforehand (`table`), a record costs the same either way.
MOST = 0.75
HALF = 0.5
# Except for a query with a phrase: checking positions makes each pass over its matches
# costly (at 10,000 articles about 20 ms for 新消费, whose words' characters most
# articles hold), so with the values read beforehand one pass over its matches, the
# docids taken out, is cheaper than going round the other side.
QUOTE_FACETS = ("speaker_id",)
CUTOFF_MARGIN = 1e-9  # a weight cutoff's margin for rounding (`_reweighed_page`)
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
    """``q`` with the scores of records in the query's language multiplied: each
    record that ``q`` matches in that language gets ``LANGUAGE_BOOST`` times its weight
    again (OP_AND_MAYBE: the extra is looked for only where ``q`` matched, and the
    match can stop early; two whole halves joined by OR cannot). Records in Chinese
    (either script) are found by their language terms' prefix, expanded where the
    match runs (on each shard: no round trip to list them)."""
    zh = xapian.Query(xapian.Query.OP_WILDCARD, BOOLEAN_PREFIXES["lang"] + CHINESE)
    favoured = xapian.Query(xapian.Query.OP_FILTER if chinese else xapian.Query.OP_AND_NOT, q, zh)
    extra = xapian.Query(xapian.Query.OP_SCALE_WEIGHT, favoured, LANGUAGE_BOOST)
    return xapian.Query(xapian.Query.OP_AND_MAYBE, q, extra)


@dataclass
class Counted:
    total: int
    facets: dict[str, dict[str, int]]

    def less(self, other: Counted) -> Counted:
        """These counts without ``other``'s (records of a subset of these)."""
        facets = {
            name: {v: n - other.facets.get(name, {}).get(v, 0) for v, n in values.items()}
            for name, values in self.facets.items()
        }
        kept = {name: {v: n for v, n in values.items() if n > 0} for name, values in facets.items()}
        return Counted(self.total - other.total, kept)

    def plus(self, other: Counted) -> Counted:
        """These counts with ``other``'s (records none of these are)."""
        facets = {name: dict(values) for name, values in self.facets.items()}
        for name, values in other.facets.items():
            mine = facets.setdefault(name, {})
            for value, n in values.items():
                mine[value] = mine.get(value, 0) + n
        return Counted(self.total + other.total, facets)


def _base(index: str, filters: Sequence[Term]) -> tuple[xapian.Query, tuple[str, ...]]:
    """The records a query of ``index`` with these filters may match (its base), and
    the key the base's counts are kept under (`Bases`)."""
    kind = xapian.Query(kind_term(index))
    restrict = filter_query(filters)
    base = kind if restrict is None else xapian.Query(xapian.Query.OP_AND, kind, restrict)
    return base, (index, *sorted(f"{t.fieldname}:{t.text}" for t in filters))


@dataclass
class _Parts:
    """A query's parts: the text query alone, and its base with the base's key."""

    text: xapian.Query
    base: xapian.Query
    key: tuple[str, ...]
    positional: bool = False  # has a phrase: each pass checks positions
    scope: xapian.Query | None = None  # what the text is filtered on (None: nothing)
    # Queries whose matches together are the text's, each cheaper to match (`_pieces`).
    pieces: tuple[xapian.Query, ...] = ()

    @property
    def matched(self) -> xapian.Query:
        """What the query matches: its text among its base."""
        return self.scoped(self.text)

    def scoped(self, q: xapian.Query) -> xapian.Query:
        return q if self.scope is None else xapian.Query(xapian.Query.OP_FILTER, q, self.scope)


def _parts(db: xapian.Database, query: Query, filters: Sequence[Term], index: str) -> _Parts:
    kind = kind_term(index)
    correction = IdfCorrection.of_query(db, to_xapian(query, index=index), kind)
    found = list(leaves(query))
    positional = _has_phrase(query)
    base, key = _base(index, filters)
    # A text of the index's own words (their prefixes are the index's) matches none of
    # the other index's records: it needs the filters alone, not the index's term (one
    # posting list less to step through: a third of a common word's count among 650,000
    # quotes).
    own = bool(found) and all(leaf.fieldname in text_prefixes(index) for leaf, _ in found)
    scope = filter_query(filters) if own else base
    pieces = _pieces(query, correction, index) if positional else ()
    return _Parts(to_xapian(query, correction, index), base, key, positional, scope, pieces)


def _has_phrase(q: Query) -> bool:
    return any(isinstance(leaf, Phrase) for leaf, _ in leaves(q))


def _loose(q: Query) -> Query:
    """``q`` with each phrase's words required anywhere (no positions)."""
    if isinstance(q, Phrase):
        return And([Term(q.fieldname, word) for word in q.words], boost=q.boost)
    return q.apply(_loose)


def _pieces(query: Query, correction: IdfCorrection, index: str) -> tuple[xapian.Query, ...]:
    """For a query that is either plain words or phrases (a Chinese word, or the
    characters written together: ``品牌力``), the queries whose matches, together,
    are its matches: the plain alternatives, then each phrase among the records they
    do not match, its words looked up first. Xapian checks a phrase's positions after
    every other condition of an AND, so positions are read only where the plain
    alternatives did not match (at 10,000 articles 品牌力 counted in 8 ms, not 18: the
    phrase checked positions in every article holding its three characters). No pieces for
    any other query."""
    if not isinstance(query, Or):
        return ()
    plain = [child for child in query.children() if not _has_phrase(child)]
    phrases = [child for child in query.children() if _has_phrase(child)]
    if not plain or not phrases:
        return ()
    first = to_xapian(Or(plain), correction, index)
    rest = (
        xapian.Query(
            xapian.Query.OP_AND,
            to_xapian(phrase, correction, index),
            xapian.Query(
                xapian.Query.OP_AND_NOT, to_xapian(_loose(phrase), correction, index), first
            ),
        )
        for phrase in phrases
    )
    return (first, *rest)


def ranked_query(
    db: xapian.Database,
    query: Query,
    filters: Sequence[Term] = (),
    chinese: bool | None = None,
    index: str = ARTICLES,
) -> xapian.Query:
    """The Xapian query for our ``query`` over the records of ``index``, with its
    filters and language preference (None: no preference, as for quotes)."""
    return _ranked(_parts(db, query, filters, index), chinese)


def _ranked(parts: _Parts, chinese: bool | None) -> xapian.Query:
    return parts.matched if chinese is None else _preferring(parts.matched, chinese)


class Bases:
    """The counts (total and facets) of each base a query is counted against (an
    index's records with some filters), counted once per build and kept, the most
    recently used ``limit`` of them. Belongs to one build: a new build, or another set
    of shards, needs new ones."""

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self._counts: OrderedDict[tuple[Any, ...], Counted] = OrderedDict()
        self._lock = threading.Lock()
        # The articles' facet values, when read (`read_table`: a local database only).
        self.table: FacetTable | None = None

    def read_table(self, db: xapian.Database, kept: Path | None = None) -> None:
        """Keep the articles' facet values of this (local) database: from now on facets
        are counted from them, not by spies. ``kept``: where its build saved them
        (`save_table`), loaded instead of read if they are this database's."""
        table = None
        if kept is not None:
            table = FacetTable.load(kept, db.get_metadata(BUILD).decode(), FACETS)
        self.table = FacetTable.read(db, ARTICLES, FACETS) if table is None else table

    def table_for(self, facets: Sequence[str]) -> FacetTable | None:
        """The facet values these facets are counted from, if read (else: spies)."""
        table = self.table
        return table if facets and table is not None and table.covers(facets) else None

    def of(
        self, db: xapian.Database, key: tuple[str, ...], base: xapian.Query, facets: Sequence[str]
    ) -> Counted:
        """The base's counts. Counted whole, never within a request's time limit: what
        is kept must be exact (a request that runs out of time meanwhile still fails)."""
        # The database's size too: shards joined without one that failed mid-request
        # are another base.
        whole = (db.get_doccount(), db.get_lastdocid(), *key, "|", *facets)
        with self._lock:
            found = self._counts.get(whole)
            if found is not None:
                self._counts.move_to_end(whole)
                return found
        found = _count_all(db, base, facets, None, self.table_for(facets))
        with self._lock:
            self._counts[whole] = found
            while len(self._counts) > self.limit:
                self._counts.popitem(last=False)
        return found


def save_table(db: xapian.Database, path: Path) -> None:
    """Read the articles' facet values of this database and keep them in ``path`` for
    its servers (`Bases.read_table`): done once, when the build is written."""
    FacetTable.read(db, ARTICLES, FACETS).save(path, db.get_metadata(BUILD).decode())


def warm(db: xapian.Database, bases: Bases, index: str = ARTICLES) -> None:
    """Count the base of unfiltered searches of ``index`` now, not on the first query
    that needs it."""
    base, key = _base(index, ())
    bases.of(db, key, base, FACETS if index == ARTICLES else ())


def _count_all(
    db: xapian.Database,
    q: xapian.Query,
    facets: Sequence[str],
    seconds: float | None,
    table: FacetTable | None = None,
) -> Counted:
    """The records ``q`` matches, counted, with each facet's counts (from ``table``,
    given one: `Bases.table_for`)."""
    enquire = _enquire(db, q, seconds, ranked=False)
    if table is not None:
        docids = matching_docids(enquire, db)
        return Counted(len(docids), table.counts(docids, facets))
    spied = spies(enquire, facets)
    mset = enquire.get_mset(0, 0, db.get_doccount())
    return Counted(mset.get_matches_estimated(), counts(spied))


def _enquire(
    db: xapian.Database, q: xapian.Query, seconds: float | None, ranked: bool = True
) -> xapian.Enquire:
    """An enquire for ``q``: ranked (our BM25, equal scores by record id), or, to count,
    weighed by nothing and in docid order (a record's id is then never read)."""
    enquire = xapian.Enquire(db)
    enquire.set_query(q)
    if ranked:
        enquire.set_weighting_scheme(bm25())
        enquire.set_sort_by_relevance_then_value(ID_SLOT, False)
    else:
        enquire.set_weighting_scheme(xapian.BoolWeight())
        enquire.set_docid_order(xapian.Enquire.ASCENDING)
    if seconds is not None:
        # Past it, Xapian stops matching and answers with what it has: the caller, who
        # knows the request's budget, refuses such an answer rather than show it.
        enquire.set_time_limit(max(seconds, 0.001))
    return enquire


def _uniform_preference(counted: Counted, chinese: bool | None) -> float | None:
    """The factor the language preference multiplies every match's weight by, when it
    is the same for all (every match in the query's language, or none: the order is
    the query's own, and ranking without the preference spares a second evaluation
    of the query in each record); None when it differs or no language is preferred."""
    languages = counted.facets.get("lang")
    if chinese is None or languages is None:
        return None
    in_chinese = sum(n for value, n in languages.items() if value.startswith(CHINESE))
    if in_chinese not in (0, counted.total):
        return None
    preferred = (in_chinese > 0) == chinese
    return 1.0 + LANGUAGE_BOOST if preferred else 1.0


def _reweighed_page(
    db: xapian.Database,
    parts: _Parts,
    chinese: bool,
    start: int,
    per_page: int,
    seconds: float | None,
    table: FacetTable,
) -> list[Hit]:
    """A page with the language preference applied to the query's best matches as
    Xapian ranks them without it (which lets its match skip most of a common word's
    records: 商家 among 50,000 articles 2.6 ms, against 19.8 with the preference in the
    query): the first ``depth`` are reweighed by their language (from ``table``), and
    the page is theirs once no record below them could reach it (its weight, boosted,
    under the page's last); else four times as deep again, among the records whose
    weight, boosted, could reach the page's last so far (a weight cutoff: Xapian then
    skips what cannot: 营销 among 100,000 articles 47 ms → 13). Equal weights keep
    Xapian's order (the record id)."""
    enquire = _enquire(db, parts.matched, seconds)
    wanted = start + per_page
    depth = max(2 * wanted, 20)
    boost = 1.0 + LANGUAGE_BOOST
    while True:
        mset = enquire.get_mset(0, depth)
        size = mset.size()
        weights = [mset._get_hit_internal(i).get_weight() for i in range(size)]
        langs = table.first_values("lang", [mset.get_docid(i) for i in range(size)])
        boosted = [
            w * boost if lang.startswith(CHINESE) == chinese else w
            for w, lang in zip(weights, langs, strict=True)
        ]
        order = sorted(range(size), key=lambda i: -boosted[i])
        # Complete: Xapian had no more, or none below could outweigh the page's last.
        if size < depth or weights[-1] * boost < boosted[order[wanted - 1]]:
            ranks = order[start:wanted]
            return [_hit(mset.get_document(i), mset.get_docid(i), boosted[i]) for i in ranks]
        # The page's last can only rise: a record under this weight never reaches it.
        enquire.set_cutoff(0, boosted[order[wanted - 1]] / boost * (1 - CUTOFF_MARGIN))
        depth *= 4


def _hit(document: xapian.Document, docid: int, weight: float) -> Hit:
    stored = json.loads(document.get_data())
    return Hit(stored["id"], weight, stored, docid, document)


def hits(mset: xapian.MSet, factor: float = 1.0) -> list[Hit]:
    """The records of a match set, fetched in one round trip per shard (their weights
    multiplied by ``factor``)."""
    # One round trip per shard for the page's documents. The range form: the bindings'
    # plain ``fetch()`` crashes (SIGSEGV) on a page that does not start at the first match.
    mset.fetch(mset._begin(), mset._end())
    return [_hit(match.document, match.docid, match.weight * factor) for match in mset]


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
    bases: Bases | None = None,
) -> Results:
    """One page of the records of ``index`` that ``query`` matches among those with
    every filter term, best first, with the exact total and each facet's counts over
    all of them (the match stops after ``seconds``, if given). With ``bases``, a query
    that matches most of its base is counted from the other side."""
    parts = _parts(db, query, filters, index)
    start = (page - 1) * per_page
    counted = _counted(db, parts, facets, seconds, bases)
    if counted.total <= start:  # nothing to rank on this page
        return Results(hits=[], total=counted.total, facets=counted.facets)
    factor = _uniform_preference(counted, chinese)
    table = bases.table_for(("lang",)) if bases is not None else None
    if factor is None and chinese is not None and table is not None:
        found = _reweighed_page(db, parts, chinese, start, per_page, seconds, table)
        return Results(hits=found, total=counted.total, facets=counted.facets)
    # The same order without the preference, when it is the same for all: cheaper.
    ranked = parts.matched if factor is not None else _ranked(parts, chinese)
    mset = _enquire(db, ranked, seconds).get_mset(start, per_page)  # the match stops early
    return Results(hits=hits(mset, factor or 1.0), total=counted.total, facets=counted.facets)


def _counted(
    db: xapian.Database,
    parts: _Parts,
    facets: Sequence[str],
    seconds: float | None,
    bases: Bases | None,
) -> Counted:
    """The query's total and facet counts, taken apart from the ranking: without facets
    a count (no values visited); from the facet values read beforehand
    (`Bases.table`); with ``bases``, when the query matches most of its base, by spies
    on the records it does not match (the base's counts less theirs); else by spies on
    its matches, unranked. Never while ranking: on remote shards, spies on a match
    sorted by relevance then id count a few records twice (`支付` among 100,000
    articles on two shards: 60,502 languages for 60,500 matches)."""
    if not facets:
        return Counted(_total(db, parts, seconds), {})
    if bases is not None:
        table = bases.table_for(facets)
        if table is not None:
            return _counted_from(db, parts, facets, seconds, bases, table)
        base = bases.of(db, parts.key, parts.base, facets)
        if _bounds(db, parts.matched)[1] > base.total * MOST:
            total = _count_all(db, parts.matched, (), seconds).total
            if total > base.total * MOST:
                return base.less(_count_all(db, _unmatched(parts), facets, seconds))
    return _count_all(db, parts.matched, facets, seconds)


def _counted_from(
    db: xapian.Database,
    parts: _Parts,
    facets: Sequence[str],
    seconds: float | None,
    bases: Bases,
    table: FacetTable,
) -> Counted:
    """The query's counts from the facet values read beforehand: from the records of
    its base it does not match, when Xapian's estimate says it matches most of them
    (one pass that stops once too many turn up: then it did not), else from its own
    matches (one pass; always for a phrase, whose passes check positions). A query in
    pieces: its words so, and the records of its phrases beside them."""
    if parts.pieces:
        words = replace(parts, text=parts.pieces[0], positional=False, pieces=())
        found = _union(db, parts, parts.pieces[1:], seconds)
        counted = _counted_from(db, words, facets, seconds, bases, table)
        return counted.plus(Counted(len(found), table.counts(found, facets)))
    if not parts.positional:
        base = bases.of(db, parts.key, parts.base, facets)
        if _bounds(db, parts.matched)[0] > base.total * HALF:
            limit = base.total - int(base.total * HALF)
            enquire = _enquire(db, _unmatched(parts), seconds, ranked=False)
            docids = matching_docids(enquire, db, limit)
            if docids is not None:
                return base.less(Counted(len(docids), table.counts(docids, facets)))
    return _count_all(db, parts.matched, facets, seconds, table)


def _union(
    db: xapian.Database, parts: _Parts, pieces: Sequence[xapian.Query], seconds: float | None
) -> np.ndarray:
    """The docids of the records any of the pieces matches (among the query's scope),
    in order."""
    found = [
        matching_docids(_enquire(db, parts.scoped(piece), seconds, ranked=False), db)
        for piece in pieces
    ]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)


def _total(db: xapian.Database, parts: _Parts, seconds: float | None) -> int:
    if parts.pieces:
        words = _count_all(db, parts.scoped(parts.pieces[0]), (), seconds).total
        return words + len(_union(db, parts, parts.pieces[1:], seconds))
    return _count_all(db, parts.matched, (), seconds).total


def _bounds(db: xapian.Database, q: xapian.Query) -> tuple[int, int]:
    """How many records ``q`` matches by Xapian's estimate, and may match at most, from
    the terms' frequencies alone (no match runs)."""
    enquire = xapian.Enquire(db)
    enquire.set_query(q)
    mset = enquire.get_mset(0, 0)
    return int(mset.get_matches_estimated()), int(mset.get_matches_upper_bound())


def _unmatched(parts: _Parts) -> xapian.Query:
    """The records of the base that the query does not match."""
    return xapian.Query(xapian.Query.OP_AND_NOT, parts.base, parts.text)


def count(
    db: xapian.Database,
    query: Query,
    filters: Sequence[Term] = (),
    seconds: float | None = None,
    index: str = ARTICLES,
) -> int:
    """How many records of ``index`` ``query`` matches among those with every filter
    term (counted, not weighed)."""
    return _total(db, _parts(db, query, filters, index), seconds)
