"""Where a word occurs in an article, in characters, from a Xapian database alone.

Whoosh keeps each occurrence's characters with its posting; Xapian keeps only
positions, so each article document also holds a table from position to
characters (`offsets`): the widest span of the words at each position. A Chinese
word sharing its position with a longer one (天猫 in 天猫双11全球狂欢节) is found
inside that span by its canonical form, so the word alone is marked, as Whoosh
marks it. A word's occurrences in the page's articles are then its positions
(``Database.positionlist``, one round trip per article and word on a remote
shard) read through the table: the same `snippets.Occurrence` triples Whoosh
gives, so passages are scored and marked alike, and nothing is analysed again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import xapian

from corpus_search.analysis import ENTITY_PREFIX
from corpus_search.index.schema import ARTICLES, SEPARATOR
from corpus_search.normalise import HAN, canonical_with_offsets
from corpus_search.search.budget import Deadline
from corpus_search.search.snippets import ArticleText, Occurrence, Occurrences
from corpus_search.xapian_backend.offsets import read_table
from corpus_search.xapian_backend.terms import OFFSET_SLOTS, kind_term, text_term
from corpus_search.xapian_backend.weighting import whoosh_idf

__all__ = ["XapianOccurrences"]

HAN_RE = re.compile(f"[{HAN}]")


class XapianOccurrences(Occurrences):
    """The occurrences of words in some articles of ``db`` (docids), through the
    tables of their documents and their text."""

    def __init__(
        self,
        db: xapian.Database,
        documents: Mapping[int, xapian.Document],
        texts: Mapping[int, ArticleText],
        deadline: Deadline,
    ) -> None:
        super().__init__(sorted(documents), deadline)
        self.db = db
        self._documents = documents
        self._texts = texts
        self._fields: dict[tuple[int, str], str] = {}
        self._tables: dict[tuple[int, str], np.ndarray] = {}
        self._articles: int | None = None

    def _field_text(self, docid: int, field: str) -> str:
        """A field's text as indexed: the passages, after the title for ``exact``."""
        found = self._fields.get((docid, field))
        if found is None:
            text = self._texts[docid]
            body = SEPARATOR.join(text.passages)
            found = body if field == "body" else text.title + SEPARATOR + body
            self._fields[(docid, field)] = found
        return found

    def _narrowed(self, docid: int, field: str, word: str, start: int, end: int) -> Occurrence:
        """The characters of a Chinese ``word`` within the widest span at its position."""
        if word.startswith(ENTITY_PREFIX):
            word = word.partition(":")[2]  # @id:surface: the surface; @id alone: the span
        if not word or not HAN_RE.search(word):
            return (0, start, end)
        canonical, offsets = canonical_with_offsets(self._field_text(docid, field)[start:end])
        at = canonical.find(word)
        if at < 0:
            return (0, start, end)
        after = at + len(word)
        return (
            0,
            start + offsets[at],
            start + (offsets[after] if after < len(offsets) else end - start),
        )

    def _table(self, docid: int, field: str) -> np.ndarray:
        found = self._tables.get((docid, field))
        if found is None:
            raw = self._documents[docid].get_value(OFFSET_SLOTS[field])
            found = self._tables[(docid, field)] = read_table(raw)
        return found

    def read(self, field: str, word: str) -> dict[int, list[Occurrence]]:
        name = text_term(field, word, ARTICLES)
        found: dict[int, list[Occurrence]] = {}
        for docid in self.docs:
            positions = list(self.db.positionlist(docid, name))
            if not positions:
                continue
            table = self._table(docid, field)
            spans = [(p, int(table[p, 0]), int(table[p, 1])) for p in positions if p < len(table)]
            found[docid] = [
                (p, *self._narrowed(docid, field, word, start, end)[1:]) for p, start, end in spans
            ]
        return found

    def idf(self, field: str, word: str) -> float:
        if self._articles is None:
            self._articles = self.db.get_termfreq(kind_term(ARTICLES))
        n = self.db.get_termfreq(text_term(field, word, ARTICLES))
        return whoosh_idf(n, self._articles)
