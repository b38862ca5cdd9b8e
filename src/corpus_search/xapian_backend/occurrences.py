"""Where a word occurs in an article, in characters, from a Xapian database alone.

Each article document keeps its words with the position and characters of each
occurrence (`offsets`), and the page's documents come with the search. A word's
occurrences in the page's articles are read from them, and the idf of the
query's words from one statistics pass: the same `snippets.Occurrence` triples
and idfs Whoosh gives, so passages are scored and marked alike, nothing is
analysed again, and a remote shard is asked once, not once per article and word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import xapian

from corpus_search.index.schema import ARTICLES
from corpus_search.search.budget import Deadline
from corpus_search.search.snippets import Found, Occurrences
from corpus_search.xapian_backend.offsets import WordTable
from corpus_search.xapian_backend.terms import OFFSET_SLOTS, kind_term, text_term
from corpus_search.xapian_backend.weighting import whoosh_idf

__all__ = ["XapianOccurrences"]


class XapianOccurrences(Occurrences):
    """The occurrences of words in some articles of ``db`` (their documents, by docid)."""

    def __init__(
        self, db: xapian.Database, documents: Mapping[int, xapian.Document], deadline: Deadline
    ) -> None:
        super().__init__(sorted(documents), deadline)
        self.db = db
        self._documents = documents
        self._tables: dict[tuple[int, str], WordTable] = {}
        self._frequencies: dict[bytes, int] = {}

    def _table(self, docid: int, field: str) -> WordTable:
        found = self._tables.get((docid, field))
        if found is None:
            raw = self._documents[docid].get_value(OFFSET_SLOTS[field])
            found = self._tables[(docid, field)] = WordTable.read(raw)
        return found

    def read(self, field: str, word: str) -> dict[int, Found]:
        found: dict[int, Found] = {}
        for docid in self.docs:
            rows = self._table(docid, field).of(word)
            if len(rows):
                found[docid] = rows
        return found

    def prefetch(self, words: Iterable[tuple[str, str]]) -> None:
        """Read the frequencies of these (field, word) pairs, and the number of
        articles, in one pass (one round trip per shard)."""
        names = [kind_term(ARTICLES)] + [text_term(f, w, ARTICLES) for f, w in words]
        wanted = [n for n in dict.fromkeys(names) if n not in self._frequencies]
        if not wanted:
            return
        enquire = xapian.Enquire(self.db)
        enquire.set_query(xapian.Query(xapian.Query.OP_OR, [xapian.Query(n) for n in wanted]))
        stats = enquire.get_mset(0, 0)
        self._frequencies.update((n, stats.get_termfreq(n)) for n in wanted)

    def idf(self, field: str, word: str) -> float:
        name = text_term(field, word, ARTICLES)
        self.prefetch([(field, word)])
        return whoosh_idf(self._frequencies[name], self._frequencies[kind_term(ARTICLES)])
