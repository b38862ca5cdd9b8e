"""One opened build: its indexes, pooled searchers, and what is computed once for it.

A `Generation` is opened when the service first needs a build and whenever a
rebuild has swapped in a new one. It opens the build directory the index link
resolves to (so a request never mixes two builds), keeps searchers open in a
pool shared by the request threads, and computes once what requests would
otherwise recompute: the facet columns, the per-entity counts, the vocabulary
the query builder prunes translations with, and each query string's plan.

It also reads the people found in the text of the build's articles
(``people.json``, see `index.people`): ``names`` is the lexicon and them, where
speakers, executives and the facet filters are looked up; the query builder and
the suggestions keep to the lexicon (``lexicon``), the only names the analyzer
tags.

With the ``xapian`` backend and a build that has Xapian databases, ``xapian``
lends them (`search.xapian`) for ranking, totals and facets; else it is None.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from whoosh.index import Index
from whoosh.query import Query
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from corpus_search.index.people import FoundPerson, read_people
from corpus_search.index.schema import ARTICLES, QUOTES
from corpus_search.index.store import open_indexes, read_manifest
from corpus_search.lexicon import Lexicon
from corpus_search.normalise import canonical_key
from corpus_search.query import (
    LANGUAGE_BOOST,
    Highlights,
    ParsedQuery,
    QueryBuilder,
    query_language,
)
from corpus_search.search.facets import FacetTable
from corpus_search.search.vector import FieldLengths
from corpus_search.translate import NoTranslation, load_translator

if TYPE_CHECKING:
    from corpus_search.search.xapian import XapianDatabases

__all__ = ["Generation", "QueryPlan"]

PLANS_CACHED = 2048
SCORED_FIELDS = ("title", "body", "exact")
T = TypeVar("T")


@dataclass(frozen=True)
class QueryPlan:
    """Everything a query string expands to, built once per string and build."""

    raw: str  # the query as typed, trimmed
    ranked: Query  # what results must match, and are ranked by
    any_part: Query  # any single part: for choosing and marking passages
    marks: Highlights
    chinese: bool  # a Chinese query (prefers Chinese articles)


class _Pool:
    """Open searchers of one index, lent to one request thread at a time."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._free: list[Searcher] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        with self._lock:
            searcher = self._free.pop() if self._free else None
        if searcher is None:
            searcher = self._index.searcher(weighting=BM25F())
        try:
            yield searcher
        finally:
            with self._lock:
                if self._closed:
                    searcher.close()
                else:
                    self._free.append(searcher)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            free, self._free = self._free, []
        for searcher in free:
            searcher.close()


class Generation:
    def __init__(
        self, directory: Path, lexicon: Lexicon, translate: bool, backend: str = "whoosh"
    ) -> None:
        self.directory = directory
        self.lexicon = lexicon
        self.indexes = open_indexes(directory)
        self._pools = {name: _Pool(ix) for name, ix in self.indexes.items()}
        # Ranking, totals and facets from Xapian: the backend asks for it, the build has it.
        self.xapian = _xapian(directory) if backend == "xapian" else None
        self.schema = self.indexes[ARTICLES].schema
        with self.searcher(ARTICLES) as searcher:
            reader = searcher.reader()
            self.lengths = {ARTICLES: FieldLengths(searcher, SCORED_FIELDS)}
            self.facets = FacetTable.read(reader)
            self.alive = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
            known = set(reader.field_terms("body")) | set(reader.field_terms("title"))
            exact = set(reader.field_terms("exact"))
        self.chinese = self.facets.chinese()
        chinese = np.asarray(self.chinese, dtype=bool)
        favoured = 1.0 + LANGUAGE_BOOST
        # Score factors per document for a Chinese and for an English query.
        self.factors = {
            True: np.where(chinese, favoured, 1.0),
            False: np.where(chinese, 1.0, favoured),
        }
        translator = load_translator() if translate else NoTranslation()
        self.builder = QueryBuilder(
            self.schema, translator, known, lexicon, exact, found_names(self.found)
        )
        self.plan = lru_cache(maxsize=PLANS_CACHED)(self._plan)
        self._cache: dict[str, object] = {}
        self._cache_lock = threading.Lock()

    @contextmanager
    def searcher(self, name: str) -> Iterator[Searcher]:
        with self._pools[name].searcher() as searcher:
            yield searcher

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        if self.xapian is not None:
            self.xapian.close()

    def field_lengths(self, name: str) -> FieldLengths:
        """Document lengths of one index's scored fields, read once."""

        def read() -> FieldLengths:
            with self.searcher(name) as searcher:
                return FieldLengths(searcher, SCORED_FIELDS)

        return self.lengths.get(name) or self.cached(f"lengths:{name}", read)

    def cached(self, key: str, factory: Callable[[], T]) -> T:
        """``factory()``, computed once for this build (thread-safe)."""
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = factory()
            return self._cache[key]  # type: ignore[no-any-return]

    def _plan(self, parsed: ParsedQuery) -> QueryPlan:
        builder = self.builder
        # The free text is analysed and translated once, for both queries.
        concepts = builder.concepts(parsed.free_text) if parsed.free_text else []
        ranked = builder.ranked(parsed, concepts)
        any_part = builder.any_part(parsed, concepts)
        builder.check_cost(ranked, any_part)
        return QueryPlan(
            raw=parsed.raw,
            ranked=ranked,
            any_part=any_part,
            marks=builder.highlight_terms(any_part),
            chinese=query_language(parsed.raw) == "zh",
        )

    # -- computed once per build -------------------------------------------------------
    @cached_property
    def article_counts(self) -> dict[str, int]:
        """How many articles name each entity."""
        return self.facets.entity_counts(self.alive)

    @cached_property
    def quote_counts(self) -> Counter[str]:
        """How many quotes each speaker has."""
        with self.searcher(QUOTES) as searcher:
            reader = searcher.reader()
            if not reader.has_column("speaker_id"):
                return Counter()
            speakers = list(reader.column_reader("speaker_id"))
            return Counter(speakers[d] for d in reader.all_doc_ids() if speakers[d])

    @cached_property
    def found(self) -> list[FoundPerson]:
        """The people found quoted in the build's text, not in the lexicon."""
        return read_people(self.directory)

    @cached_property
    def names(self) -> Lexicon:
        """The lexicon and the people found in the text, as one lexicon (the lexicon's
        entries win a name both have)."""
        return Lexicon([*self.lexicon.entities.values(), *(p.entity for p in self.found)])

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return read_manifest(self.directory)

    @cached_property
    def digests(self) -> dict[str, str]:
        """Source file name -> the content hash of the bytes indexed (kept in the build)."""
        files = self.manifest.get("files", {})
        return {e["name"]: e["digest"] for e in files.values() if e.get("id") and e.get("name")}

    @cached_property
    def paths(self) -> dict[str, Path]:
        """Source file name -> where the indexed file was read from."""
        files = self.manifest.get("files", {})
        return {e["name"]: Path(p) for p, e in files.items() if e.get("id") and e.get("name")}


def _xapian(directory: Path) -> XapianDatabases | None:
    from corpus_search.index.xapian import has_xapian
    from corpus_search.search.xapian import XapianDatabases

    return XapianDatabases(directory) if has_xapian(directory) else None


def found_names(people: list[FoundPerson]) -> dict[str, str]:
    """Each Latin spelling of a person found in the text with a Chinese name (its
    canonical key) -> the name in canonical Han: what `QueryBuilder` needs to find
    林曉峰's Chinese articles from ``Lin Xiaofeng``."""
    names: dict[str, str] = {}
    for person in people:
        entity = person.entity
        if entity.zh_forms:
            for form in entity.latin_forms:
                names.setdefault(canonical_key(form), entity.zh_forms[0])
    return names
