"""Our Whoosh query trees (`query.QueryBuilder`) as Xapian queries of the same meaning.

    And            OP_AND: documents every child matches, their weights added
    Or             OP_OR: documents any child matches, their weights added
    Term           the prefixed term (`terms`), its boost as OP_SCALE_WEIGHT
    Phrase         words at consecutive positions (our only phrase: slop=1)
    NullQuery      MatchNothing
    boost of a node (And, Or, Phrase)  OP_SCALE_WEIGHT of the whole node

Phrases. Whoosh's ``slop=1`` means each word right after the previous one.
Xapian's OP_PHRASE with window ``w`` matches the terms in order with the first
and last less than ``w`` positions apart, so ``w = len(words) + slop - 1`` =
``len(words)`` says the same. In ``exact``, a phrase is looked up by its pairs of
neighbouring words (`analysis.pairs`, boolean terms), far rarer than its words:
a two-word phrase is its pair, a longer one has its positions checked only in
records holding every pair. OP_PHRASE takes only plain terms, and our scorer
(`search.vector`) weighs a phrase as the sum of its words' weights (a repeated
word each time), so a phrase becomes its words AND'ed (which give the weight)
and a weightless OP_PHRASE (which decides the match). Where every match must
have the phrase (no OR above it) the words are filtered by it (OP_FILTER): Xapian
then checks positions last, only in records that meet every other condition,
and only when a record could make the page (quoted "數字化" among 10,000
articles ranked in 2 ms, not 13). Under an OR, the phrase is OP_SCALE_WEIGHT 0
in the AND, checked in each record holding its words: a filter there may let the
words' weight count in a record where the phrase fails but another alternative
matches.

A ``scale`` function gives each term a weight factor on top of its boost (the
engine uses it to bring Xapian's idf to Whoosh's: `weighting`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import xapian
from whoosh.query import And, NullQuery, Or, Phrase, Query, Term

from corpus_search.analysis import phrase_pairs
from corpus_search.index.schema import ARTICLES
from corpus_search.xapian_backend.terms import BOOLEAN_PREFIXES, TEXT_PREFIXES, term, text_prefixes

__all__ = ["Scale", "field_term", "to_xapian", "filter_query"]

Scale = Callable[[bytes], float]  # a term -> a factor on its weight
_OPS = {And: xapian.Query.OP_AND, Or: xapian.Query.OP_OR}


def _unit(_: bytes) -> float:
    return 1.0


def field_term(field: str, text: str, index: str = ARTICLES) -> bytes:
    """The Xapian term of a Whoosh (field, text) pair of one index, text or boolean
    field alike."""
    prefix = text_prefixes(index).get(field) or BOOLEAN_PREFIXES.get(field)
    if prefix is None:
        raise ValueError(f"no Xapian prefix for field {field!r}")
    return term(prefix, text)


def _scaled(query: xapian.Query, factor: float) -> xapian.Query:
    if factor == 1.0:
        return query
    return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, query, factor)


def _leaf(name: bytes, boost: float, scale: Scale, field: str) -> xapian.Query:
    factor = boost * scale(name) if field in TEXT_PREFIXES else 0.0  # boolean: no weight
    return _scaled(xapian.Query(name), factor)


def _in_a_row(q: Phrase, names: list[bytes], index: str) -> xapian.Query:
    """The weightless query that decides whether a record holds the phrase: in
    ``exact``, its pairs' boolean terms (`analysis.pairs`), then, for more than two
    words, their positions (checked only where every pair is)."""
    window = len(names) + q.slop - 1
    positions = xapian.Query(xapian.Query.OP_PHRASE, [xapian.Query(n) for n in names], window)
    if q.fieldname != "exact":
        return positions
    pairs = [xapian.Query(field_term("pairs", p, index)) for p in phrase_pairs(list(q.words))]
    if len(names) == 2:
        return pairs[0]
    return xapian.Query(xapian.Query.OP_AND, [*pairs, positions])


def _phrase(q: Phrase, scale: Scale, index: str, required: bool) -> xapian.Query:
    if q.slop != 1:
        raise TypeError(f"only exact phrases (slop=1) translate, not slop={q.slop}")
    names = [field_term(q.fieldname, w, index) for w in q.words]
    if not names:
        return xapian.Query.MatchNothing
    weights = [_leaf(n, 1.0, scale, q.fieldname) for n in names]
    if len(names) == 1:
        return _scaled(weights[0], q.boost)
    match = _in_a_row(q, names, index)
    if required:
        whole = xapian.Query(
            xapian.Query.OP_FILTER, xapian.Query(xapian.Query.OP_AND, weights), match
        )
    else:
        whole = xapian.Query(xapian.Query.OP_AND, [_scaled(match, 0.0), *weights])
    return _scaled(whole, q.boost)


def _translate(q: Query, scale: Scale, index: str, required: bool = True) -> xapian.Query:
    """``required``: every match of the whole query is a match of ``q``."""
    if q is NullQuery:
        return xapian.Query.MatchNothing
    if isinstance(q, Phrase):
        return _phrase(q, scale, index, required)
    if isinstance(q, Term):
        return _leaf(field_term(q.fieldname, q.text, index), q.boost, scale, q.fieldname)
    op = _OPS.get(type(q))
    if op is None:
        raise TypeError(f"cannot translate {type(q).__name__} queries to Xapian")
    kids = list(q.children())
    alone = op == xapian.Query.OP_AND or len(kids) == 1
    children = [_translate(c, scale, index, required and alone) for c in kids]
    if not children:
        return xapian.Query.MatchNothing
    return _scaled(xapian.Query(op, children), getattr(q, "boost", 1.0))


def to_xapian(q: Query, scale: Scale | None = None, index: str = ARTICLES) -> xapian.Query:
    """The Xapian query that matches what ``q`` matches among one index's records, and
    weighs it alike (the index's own filter is `engine`'s)."""
    return _translate(q, scale or _unit, index)


def filter_query(terms: Iterable[Term]) -> xapian.Query | None:
    """Filters (``search.filters.filter_terms``: Whoosh Terms on metadata fields) as
    one boolean query every result must match; None without filters."""
    names = [xapian.Query(field_term(t.fieldname, t.text)) for t in terms]
    if not names:
        return None
    return xapian.Query(xapian.Query.OP_AND, names)
