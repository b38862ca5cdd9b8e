"""Snippets and highlights, read from the characters the index keeps.

Each occurrence of a word in an article's body and ``exact`` fields is indexed
with its position and its characters in the text as written. For the page's
articles only, the occurrences of each part of the query ("any part": its words,
their translations and phrases) are read back; each passage is scored by BM25
over the occurrences that fall in it (a mild length normalisation, so a short
question naming a topic does not beat the answer about it), with a mild lead
prior (among equally good passages the earlier one, where a name or idea is
introduced, wins). The best passages are marked where their words occur:
nothing is re-analysed, and the cost follows the page, not the corpus.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.query import Phrase, Query
from whoosh.searching import Searcher

from corpus_search.highlight import Span, excerpt, merge_spans
from corpus_search.index.schema import SEPARATOR
from corpus_search.models import Snippet
from corpus_search.query import Highlights, leaves
from corpus_search.search.blocks import postings_of
from corpus_search.search.budget import Deadline

__all__ = [
    "SNIPPETS_PER_HIT",
    "LEAD_PRIOR",
    "ArticleText",
    "article_text",
    "page_snippets",
    "Occurrence",
    "Found",
    "Occurrences",
    "WhooshOccurrences",
    "passage_spans",
]

SNIPPETS_PER_HIT = 3
CANDIDATES = SNIPPETS_PER_HIT * 4
LEAD_PRIOR = 0.5
K1, B = 1.2, 0.5

Occurrence = tuple[int, int, int]  # (position, start, end)
# A word's occurrences in one document: Occurrence triples, or their rows in an array.
Found = Sequence[Occurrence] | np.ndarray


@dataclass
class ArticleText:
    """Where an article's passages start, in the characters of its fields, and the
    length norm of each passage's BM25 score."""

    doc: int
    title: str
    passages: list[str]

    def __post_init__(self) -> None:
        lengths = [len(text) for text in self.passages]
        gap = len(SEPARATOR)
        starts = accumulate((n + gap for n in lengths[:-1]), initial=0)
        self.body_starts = list(starts) if lengths else []
        self.title_shift = len(self.title) + gap  # of ``exact``'s characters
        # Each passage counts at least one character.
        self._average = (sum(lengths) + lengths.count(0)) / len(lengths) if lengths else 1.0

    def norm(self, n: int) -> float:
        """The BM25 length norm of passage ``n``."""
        return K1 * ((1 - B) + B * max(1, len(self.passages[n])) / self._average)

    def locate(self, field: str, start: int, end: int) -> tuple[int, int, int] | None:
        """(passage, start, end) of a field's characters; None in the title."""
        if field == "exact":
            start -= self.title_shift
            end -= self.title_shift
            if start < 0:
                return None
        n = bisect_right(self.body_starts, start) - 1
        if n < 0:
            return None
        base = self.body_starts[n]
        return n, start - base, end - base


def _occurrences(
    searcher: Searcher, field: str, word: str, docs: list[int]
) -> Iterator[tuple[int, list[Occurrence]]]:
    """(doc, occurrences) for each of the sorted ``docs`` that holds the word, each
    segment's straight from the blocks that hold them (`blocks`)."""
    if field not in searcher.schema:
        return
    term = searcher.schema[field].to_bytes(word)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        inside = [d - offset for d in docs if offset <= d < offset + reader.doc_count_all()]
        for doc, found in postings_of(reader, field, term, inside, "characters"):
            yield doc + offset, found  # type: ignore[misc]


class Occurrences(ABC):
    """Where words occur in the page's documents (`Occurrence`: position and
    characters), each (field, word) read once for both the passage scores and the
    marks; the deadline checked per word read. Read from Whoosh's postings
    (`WhooshOccurrences`) or from Xapian's positions and a per-article table of
    characters (`xapian_backend.occurrences`)."""

    def __init__(self, docs: list[int], deadline: Deadline) -> None:
        self.docs = docs  # sorted
        self.deadline = deadline
        self._read: dict[tuple[str, str], dict[int, Found]] = {}
        self._located: dict[tuple[str, tuple[str, ...]], dict[int, list[tuple[int, int, int]]]]
        self._located = {}

    @abstractmethod
    def read(self, field: str, word: str) -> dict[int, Found]:
        """The word's occurrences in each of the docs that hold it."""

    @abstractmethod
    def idf(self, field: str, word: str) -> float:
        """The word's idf among the index's articles, as Whoosh computes it."""

    @abstractmethod
    def prefetch(self, words: Iterable[tuple[str, str]]) -> None:
        """What ``idf`` will be asked about, (field, word), to read in one go."""

    def of(self, field: str, word: str) -> dict[int, Found]:
        found = self._read.get((field, word))
        if found is None:
            self.deadline.check()
            found = self._read[(field, word)] = self.read(field, word)
        return found

    def runs(self, field: str, words: list[str]) -> dict[int, list[tuple[int, int]]]:
        """Per doc, the (start, end) characters of each place the words occur in a row."""
        per_word = {w: self.of(field, w) for w in dict.fromkeys(words)}
        if len(words) == 1:  # most leaves: each occurrence is a run
            return {d: _characters(occ) for d, occ in per_word[words[0]].items()}
        found: dict[int, list[tuple[int, int]]] = {}
        for doc in self.docs:
            if not all(doc in occ for occ in per_word.values()):
                continue
            ends = {w: {p: e for p, _, e in _triples(occ[doc])} for w, occ in per_word.items()}
            found[doc] = [
                (start, ends[words[-1]][pos + len(words) - 1])
                for pos, start, _ in _triples(per_word[words[0]][doc])
                if all(pos + i in ends[words[i]] for i in range(1, len(words)))
            ]
        return found

    def located(
        self, texts: dict[int, ArticleText], field: str, words: tuple[str, ...]
    ) -> dict[int, list[tuple[int, int, int]]]:
        """Per doc, (passage, start, end) of each run of the words in the passages
        (none in the title), found once per request for the scores and the marks."""
        found = self._located.get((field, words))
        if found is None:
            found = self._located[(field, words)] = {}
            for doc, runs in self.runs(field, list(words)).items():
                locate = texts[doc].locate
                found[doc] = [w for s, e in runs if (w := locate(field, s, e)) is not None]
        return found


def _triples(occurrences: Found) -> list[Occurrence]:
    if isinstance(occurrences, np.ndarray):
        return occurrences.tolist()  # type: ignore[no-any-return]
    return list(occurrences)


def _characters(occurrences: Found) -> list[tuple[int, int]]:
    if isinstance(occurrences, np.ndarray):
        return occurrences[:, 1:].tolist()  # type: ignore[no-any-return]
    return [(s, e) for _, s, e in occurrences]


class WhooshOccurrences(Occurrences):
    """Occurrences from the characters a Whoosh index keeps with each posting."""

    def __init__(self, searcher: Searcher, docs: list[int], deadline: Deadline) -> None:
        super().__init__(docs, deadline)
        self.searcher = searcher

    def read(self, field: str, word: str) -> dict[int, Found]:
        return dict(_occurrences(self.searcher, field, word, self.docs))

    def idf(self, field: str, word: str) -> float:
        return float(self.searcher.idf(field, word))

    def prefetch(self, words: Iterable[tuple[str, str]]) -> None:
        """Nothing to do: the local index answers each idf at once."""


def _scores(
    query: Query, texts: list[ArticleText], occurrences: Occurrences
) -> dict[int, dict[int, float]]:
    """Per doc, the BM25 score of each passage that matches some part of the query."""
    by_doc = {t.doc: t for t in texts}
    scores: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    seen: set[tuple[str, tuple[str, ...]]] = set()
    found = list(leaves(query))
    occurrences.prefetch(
        (str(leaf.fieldname), str(w))
        for leaf, _ in found
        for w in (leaf.words if isinstance(leaf, Phrase) else [leaf.text])
    )
    for leaf, boost in found:
        field = str(leaf.fieldname)
        words = [str(w) for w in leaf.words] if isinstance(leaf, Phrase) else [str(leaf.text)]
        if field not in ("body", "exact") or (field, tuple(words)) in seen:
            continue
        seen.add((field, tuple(words)))
        idf = sum(occurrences.idf(field, w) for w in words)
        for doc, located in occurrences.located(by_doc, field, tuple(words)).items():
            counts: dict[int, int] = defaultdict(int)
            for n, _, _ in located:
                counts[n] += 1
            norm = by_doc[doc].norm
            for n, tf in counts.items():
                scores[doc][n] += boost * idf * tf * (K1 + 1) / (tf + norm(n))
    return scores


def passage_spans(
    occurrences: Occurrences, texts: list[ArticleText], marks: Highlights
) -> dict[int, dict[int, list[Span]]]:
    """Per doc and passage, the character spans to mark: occurrences of the query's
    body terms, and of its exact-field sequences (phrases) word after word."""
    return _spans(occurrences, texts, marks)


def _spans(
    occurrences: Occurrences,
    texts: list[ArticleText],
    marks: Highlights,
    shown: dict[int, list[int]] | None = None,
) -> dict[int, dict[int, list[Span]]]:
    """The spans to mark per doc and passage: of every passage, or of those ``shown``
    (per doc)."""
    terms, sequences = marks
    by_doc = {t.doc: t for t in texts}
    spans: dict[int, dict[int, list[Span]]] = {d: defaultdict(list) for d in occurrences.docs}
    wanted = [("body", (t,)) for t in sorted(terms)] + [("exact", tuple(s)) for s in sequences]
    for field, words in dict.fromkeys(w for w in wanted if w[1]):
        for doc, located in occurrences.located(by_doc, field, words).items():
            keep = None if shown is None else set(shown.get(doc, ()))
            for n, start, end in located:
                if keep is None or n in keep:
                    spans[doc][n].append((start, end))
    return {d: {n: merge_spans(s) for n, s in found.items()} for d, found in spans.items()}


def _chosen(scores: dict[int, float], text: ArticleText) -> list[int]:
    """The passages to show of an article, by their scores (the lead prior breaking
    near-ties toward the start); the first passage when none scored."""
    best = sorted(scores, key=lambda n: (-scores[n], n))[:CANDIDATES]
    best.sort(key=lambda n: -scores[n] * (1 + LEAD_PRIOR / (1 + n)))
    return best[:SNIPPETS_PER_HIT] or ([0] if text.passages else [])


def page_snippets(
    occurrences: Occurrences, query: Query, marks: Highlights, texts: list[ArticleText]
) -> dict[int, list[Snippet]]:
    """Up to SNIPPETS_PER_HIT marked passages of each article (by doc), for ``query``
    (QueryTooCostly once the occurrences' deadline has passed)."""
    scores = _scores(query, texts, occurrences)
    chosen = {t.doc: _chosen(scores.get(t.doc, {}), t) for t in texts}
    spans = _spans(occurrences, texts, marks, chosen)
    return {
        t.doc: [
            Snippet(passage=n, html=excerpt(t.passages[n], spans[t.doc].get(n, [])))
            for n in chosen[t.doc]
        ]
        for t in texts
    }


def article_text(doc: int, stored: dict[str, Any]) -> ArticleText:
    data = stored.get("data") or {}
    return ArticleText(doc, data.get("title", ""), list(data.get("passages", [])))
