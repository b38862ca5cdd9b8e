"""Queries evaluated over whole posting lists with numpy, not document by document.

Whoosh scores a query by stepping a tree of matchers from one document to the
next: several Python calls per matching document and per term, which dominates
a search once a term is in thousands of articles. Our queries are trees of
``And``, ``Or``, ``Term`` and exact ``Phrase`` only, so here each term's posting
list is read block by block into arrays, scored with Whoosh's BM25F formula in
one vectorised step (the same idf, average and per-document field lengths and
boosts), and combined: ``Or`` adds the scores of the documents any child
matches, ``And`` keeps the documents every child matches and adds their scores.
A phrase is verified position by position, from its rarest word, only on the
documents that hold all its words (instead of Whoosh's span machinery). A term
named several times in one query (a repeated word, a phrase's repeated character)
has its posting list read once, and the request's deadline is checked as the work
goes (`budget.Deadline`). Results agree with Whoosh's own scoring of the same
query up to the order of floating-point additions (tests/test_ranking.py).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, NullQuery, Or, Phrase, Query, Term
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from corpus_search.index.lengths import segment_lengths
from corpus_search.search.blocks import each_block, leaf_matcher, remember
from corpus_search.search.budget import Deadline

__all__ = ["Matches", "FieldLengths", "evaluate", "term_docs"]

_EMPTY_DOCS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
PHRASE_CHECK_EVERY = 256  # phrase candidates verified between two deadline checks


@dataclass
class Matches:
    docs: np.ndarray  # sorted document numbers
    scores: np.ndarray  # aligned with docs

    @classmethod
    def empty(cls) -> Matches:
        return cls(_EMPTY_DOCS, _EMPTY_SCORES)


class FieldLengths:
    """Which documents are live, and each one's length in the scored fields: read
    once per opened index (every searcher of it shares the same documents)."""

    def __init__(self, searcher: Searcher, fields: tuple[str, ...]) -> None:
        size = searcher.doc_count_all()
        self.alive = np.zeros(size, dtype=bool)
        self.alive[np.fromiter(searcher.reader().all_doc_ids(), dtype=np.int64)] = True
        self._lengths: dict[str, np.ndarray] = {}
        for field in fields:
            values = np.ones(size, dtype=np.float64)
            for leaf, offset in searcher.leaf_searchers():
                found = segment_lengths(leaf.reader(), field)
                values[offset : offset + len(found)] = found
            self._lengths[field] = values

    def of(self, field: str) -> np.ndarray:
        return self._lengths[field]


def _leaf_arrays(
    reader: IndexReader, field: str, term: bytes, values: bool
) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """All (ids, weights[, encoded values]) of one segment's posting list."""
    matcher = reader.postings(field, term)
    blocks = leaf_matcher(matcher)  # deleted documents are masked out by the caller
    if blocks is not None:
        found = _blocks(blocks, values)
        remember(reader, field, term, found.last_ids, found.starts)  # for snippets (`blocks`)
        return found.ids(), np.concatenate(found.weights), found.encoded
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    encoded: list[bytes] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            encoded.append(matcher.value())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64), encoded


class _Blocks:
    """A posting list read block by block: each block's ids as gaps from the previous
    id, starting from 0 (Whoosh's `_read_ids` undoes them in a Python generator, a
    sixth of a search at 100,000 articles: here numpy does), and where it starts."""

    def __init__(self) -> None:
        self.gaps: list[int] = []
        self.sizes: list[int] = []
        self.weights: list[np.ndarray] = []
        self.encoded: list[bytes] = []
        self.last_ids: list[int] = []
        self.starts: list[int] = []

    def ids(self) -> np.ndarray:
        if not self.gaps:
            return _EMPTY_DOCS
        ids = np.cumsum(np.asarray(self.gaps, dtype=np.int64))
        ends = np.cumsum(self.sizes)
        # Each block starts again from 0: take away what the blocks before it summed to.
        before = np.concatenate(([0], ids[ends[:-1] - 1]))
        return ids - np.repeat(before, self.sizes)


def _blocks(matcher: W3LeafMatcher, values: bool) -> _Blocks:
    found = _Blocks()
    for start in each_block(matcher, read=True):
        block = matcher._data[0]
        found.gaps.extend(block)
        found.sizes.append(len(block))
        matcher._read_weights()
        found.weights.append(np.asarray(matcher._weights, dtype=np.float64))
        if values:
            matcher._read_values()
            found.encoded.extend(matcher._values)
        found.last_ids.append(matcher._maxid)
        found.starts.append(start)
    if not found.weights:
        found.weights.append(_EMPTY_SCORES)
    return found


@dataclass
class _Postings:
    docs: np.ndarray
    weights: np.ndarray
    values: list[bytes]  # encoded positions, when asked for


def _postings(searcher: Searcher, field: str, text: str, values: bool = False) -> _Postings:
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    encoded: list[bytes] = []
    if field not in searcher.schema:
        return _Postings(_EMPTY_DOCS, _EMPTY_SCORES, [])
    term = searcher.schema[field].to_bytes(text)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (field, term) not in reader:
            continue
        ids, found, more = _leaf_arrays(reader, field, term, values)
        docs.append(ids + offset)
        weights.append(found)
        encoded += more
    if not docs:
        return _Postings(_EMPTY_DOCS, _EMPTY_SCORES, [])
    return _Postings(np.concatenate(docs), np.concatenate(weights), encoded)


def term_docs(searcher: Searcher, lengths: FieldLengths, field: str, text: str) -> np.ndarray:
    """The live documents holding a term (for filters)."""
    docs = _postings(searcher, field, text).docs
    return docs[lengths.alive[docs]] if len(docs) else docs


def _scored(
    searcher: Searcher,
    lengths: FieldLengths,
    field: str,
    text: str,
    docs: np.ndarray,
    weights: np.ndarray,
    boost: float,
) -> Matches:
    """BM25F of a term in each of ``docs`` (its weight there given), as Whoosh scores it."""
    weighting = searcher.weighting
    if not searcher.schema[field].scorable or not isinstance(weighting, BM25F):
        return Matches(docs, weights * boost)
    b = weighting._field_B.get(field, weighting.B)
    k1 = weighting.K1
    idf = searcher.idf(field, text)
    average = searcher.avg_field_length(field) or 1
    norm = k1 * ((1 - b) + b * lengths.of(field)[docs] / average)
    return Matches(docs, boost * idf * (weights * (k1 + 1)) / (weights + norm))


def _union(parts: list[Matches]) -> Matches:
    parts = [p for p in parts if len(p.docs)]
    if not parts:
        return Matches.empty()
    if len(parts) == 1:
        return parts[0]
    docs, inverse = np.unique(np.concatenate([p.docs for p in parts]), return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]))
    return Matches(docs, scores)


def _intersection(parts: list[Matches]) -> Matches:
    if not parts or any(not len(p.docs) for p in parts):
        return Matches.empty()
    docs = parts[0].docs
    for p in parts[1:]:
        docs = np.intersect1d(docs, p.docs, assume_unique=True)
    scores = np.zeros(len(docs), dtype=np.float64)
    for p in parts:
        scores += p.scores[np.searchsorted(p.docs, docs)]
    return Matches(docs, scores)


class _Evaluation:
    """One query evaluated: each posting list read once however often the query names
    its term (a repeated word, a phrase's repeated character), the deadline checked at
    every node and every few hundred phrase candidates."""

    def __init__(self, searcher: Searcher, lengths: FieldLengths, deadline: Deadline) -> None:
        self.searcher = searcher
        self.lengths = lengths
        self.deadline = deadline
        self._read: dict[tuple[str, str], _Postings] = {}

    def postings(self, field: str, text: str, values: bool = False) -> _Postings:
        found = self._read.get((field, text))
        if found is None or (values and len(found.docs) and not found.values):
            self.deadline.check()
            found = self._read[(field, text)] = _postings(self.searcher, field, text, values)
        return found

    def evaluate(self, q: Query, boost: float = 1.0) -> Matches:
        self.deadline.check()
        if q is NullQuery:
            return Matches.empty()
        if isinstance(q, Phrase) and q.slop == 1:
            return self.phrase(q, boost)
        if isinstance(q, Term):
            return self.term(q.fieldname, q.text, boost * q.boost)
        inner = boost * getattr(q, "boost", 1.0)
        if isinstance(q, Or):
            return _union([self.evaluate(c, inner) for c in q.children()])
        if isinstance(q, And):
            return _intersection([self.evaluate(c, inner) for c in q.children()])
        raise TypeError(f"cannot evaluate {type(q).__name__} queries with arrays")

    def term(self, field: str, text: str, boost: float) -> Matches:
        found = self.postings(field, text)
        if not len(found.docs):
            return Matches.empty()
        live = self.lengths.alive[found.docs]
        docs, weights = found.docs[live], found.weights[live]
        return _scored(self.searcher, self.lengths, field, text, docs, weights, boost)

    def phrase(self, q: Phrase, boost: float) -> Matches:
        """Documents holding the words in a row. Candidates hold every word; each is
        checked from the rarest word on, so most fail after decoding two lists."""
        field, words = q.fieldname, list(q.words)
        postings = {w: self.postings(field, w, values=True) for w in dict.fromkeys(words)}
        docs = self._candidates(list(postings.values()))
        if not len(docs):
            return Matches.empty()
        where = {w: np.searchsorted(p.docs, docs).tolist() for w, p in postings.items()}
        kept = self._in_a_row(field, words, postings, where)
        if not kept:
            return Matches.empty()
        found = docs[kept]
        scores = {
            w: _scored(
                self.searcher, self.lengths, field, w, found, p.weights[where[w]][kept], 1.0
            ).scores
            for w, p in postings.items()
        }
        total = np.zeros(len(found), dtype=np.float64)
        for word in words:
            total += scores[word]
        return Matches(found, boost * q.boost * total)

    def _candidates(self, postings: list[_Postings]) -> np.ndarray:
        """The live documents holding every word."""
        if any(not len(p.docs) for p in postings):
            return _EMPTY_DOCS
        docs = postings[0].docs[self.lengths.alive[postings[0].docs]]
        for p in postings[1:]:
            docs = np.intersect1d(docs, p.docs, assume_unique=True)
        return docs

    def _in_a_row(
        self,
        field: str,
        words: list[str],
        postings: dict[str, _Postings],
        where: dict[str, list[int]],
    ) -> list[int]:
        """Which candidates (by index) hold the words one after the other."""
        decode = self.searcher.schema[field].format.decode_positions
        order = sorted(range(len(words)), key=lambda i: len(postings[words[i]].docs))
        kept: list[int] = []
        for k in range(len(where[words[0]])):
            if k % PHRASE_CHECK_EVERY == 0:
                self.deadline.check()
            decoded: dict[str, list[int]] = {}
            starts: list[int] | None = None
            for i in order:
                word = words[i]
                if word not in decoded:
                    decoded[word] = decode(postings[word].values[where[word][k]])
                if starts is None:  # the rarest word's places, where the phrase would start
                    starts = [p - i for p in decoded[word]]
                else:  # each other word looked up at its place (its positions are sorted)
                    starts = [s for s in starts if _holds(decoded[word], s + i)]
                if not starts:
                    break
            if starts:
                kept.append(k)
        return kept


def _holds(ascending: list[int], value: int) -> bool:
    at = bisect_left(ascending, value)
    return at < len(ascending) and ascending[at] == value


def evaluate(
    searcher: Searcher,
    lengths: FieldLengths,
    q: Query,
    boost: float = 1.0,
    deadline: Deadline | None = None,
) -> Matches:
    """Every live document ``q`` matches, with its score (QueryTooCostly once
    ``deadline`` has passed)."""
    return _Evaluation(searcher, lengths, deadline or Deadline(None)).evaluate(q, boost)
