"""A Whoosh build directory opened for searching: its indexes, pooled searchers,
and what is computed once for it (`generation.BuildView`).

`Generation` opens the build directory the index link resolves to (so a
request never mixes two builds), keeps searchers open in a pool shared by the
request threads, and reads once what requests would otherwise recompute: the
facet columns, the per-entity counts, the vocabulary the query builder prunes
translations with. The people found in the text come from the build's
``people.json`` (`index.people`).

A build for the ``xapian`` backend is read by `search.xapian` instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import Index
from whoosh.query import Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from corpus_search.highlight import Span
from corpus_search.index.people import read_people
from corpus_search.index.schema import ARTICLES, QUOTES, SCORED_FIELDS
from corpus_search.index.sounds import read_sounds
from corpus_search.index.store import KeptSources, open_indexes
from corpus_search.lexicon import Lexicon
from corpus_search.models import Quote, Snippet
from corpus_search.query import LANGUAGE_BOOST
from corpus_search.search.budget import Deadline
from corpus_search.search.facets import FacetTable
from corpus_search.search.generation import BuildView, Page, QueryPlan
from corpus_search.search.pool import Pool
from corpus_search.search.ranking import rank
from corpus_search.search.snippets import (
    ArticleText,
    WhooshOccurrences,
    article_text,
    page_snippets,
    passage_spans,
)
from corpus_search.search.vector import FieldLengths, term_docs

__all__ = ["Generation"]


def _searchers(index: Index) -> Pool[Searcher]:
    """Open searchers of one index (Whoosh's BM25F: `ranking` computes its own)."""
    return Pool(lambda: index.searcher(weighting=BM25F()))


def _to_quote(stored: dict[str, Any]) -> Quote:
    from corpus_search.search.reading import to_quote

    return to_quote(stored["data"])


class Generation(BuildView):
    def __init__(self, directory: Path, lexicon: Lexicon, translate: bool) -> None:
        self.directory = directory
        self.indexes = open_indexes(directory)
        self.sources = KeptSources(directory)
        self._pools = {name: _searchers(ix) for name, ix in self.indexes.items()}
        with self.searcher(ARTICLES) as searcher:
            reader = searcher.reader()
            self.lengths = {ARTICLES: FieldLengths(searcher, SCORED_FIELDS)}
            self.facets = FacetTable.read(reader)
            self.alive = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
            known = set(reader.field_terms("body")) | set(reader.field_terms("title"))
            exact = set(reader.field_terms("exact"))
        schema = self.indexes[ARTICLES].schema
        super().__init__(lexicon, read_people(directory), schema, translate, known, exact)
        chinese = np.asarray(self.facets.chinese(), dtype=bool)
        favoured = 1.0 + LANGUAGE_BOOST
        # Score factors per document for a Chinese and for an English query.
        self.factors = {
            True: np.where(chinese, favoured, 1.0),
            False: np.where(chinese, 1.0, favoured),
        }

    @contextmanager
    def searcher(self, name: str) -> Iterator[Searcher]:
        with self._pools[name].lend() as searcher:
            yield searcher

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()

    def field_lengths(self, name: str) -> FieldLengths:
        """Document lengths of one index's scored fields, read once."""

        def read() -> FieldLengths:
            with self.searcher(name) as searcher:
                return FieldLengths(searcher, SCORED_FIELDS)

        return self.lengths.get(name) or self.cached(f"lengths:{name}", read)

    # -- ranked pages ------------------------------------------------------------------
    def page(
        self,
        index: str,
        plan: QueryPlan,
        restrict: list[Term],
        page: int,
        per_page: int,
        deadline: Deadline,
    ) -> Page:
        lengths = self.field_lengths(index)
        articles = index == ARTICLES
        factors = self.factors[plan.chinese] if articles else None
        with self.searcher(index) as searcher:
            allowed = [term_docs(searcher, lengths, t.fieldname, t.text) for t in restrict]
            depth = page * per_page
            ranked = rank(searcher, lengths, plan.ranked, depth, allowed, factors, deadline)
            window = ranked.top[(page - 1) * per_page :]
            hits = [(score, searcher.stored_fields(d)) for score, d in window]
        facets = self.facets.facets(ranked.matched, self.names) if articles else {}
        return Page(hits, ranked.total, facets, docs=[d for _, d in window])

    def count(self, plan: QueryPlan, restrict: list[Term], deadline: Deadline) -> int:
        lengths = self.field_lengths(ARTICLES)
        with self.searcher(ARTICLES) as searcher:
            allowed = [term_docs(searcher, lengths, t.fieldname, t.text) for t in restrict]
            return rank(searcher, lengths, plan.ranked, 1, allowed, deadline=deadline).total

    def snippets(self, plan: QueryPlan, found: Page, deadline: Deadline) -> list[list[Snippet]]:
        texts = [article_text(d, s) for d, (_, s) in zip(found.docs, found.hits, strict=True)]
        with self.searcher(ARTICLES) as searcher:
            occurrences = WhooshOccurrences(searcher, sorted(found.docs), deadline)
            chosen = page_snippets(occurrences, plan.any_part, plan.marks, texts)
        return [chosen[d] for d in found.docs]

    # -- articles, quotes ----------------------------------------------------------------
    def record(self, article_id: str) -> dict[str, Any] | None:
        with self.searcher(ARTICLES) as searcher:
            doc = searcher.document_number(id=article_id)
            return None if doc is None else searcher.stored_fields(doc) | {"doc": doc}

    def passage_spans(
        self, record: dict[str, Any], plan: QueryPlan, deadline: Deadline
    ) -> dict[int, list[Span]]:
        text = ArticleText(record["doc"], record["title"], record["passages"])
        with self.searcher(ARTICLES) as searcher:
            occurrences = WhooshOccurrences(searcher, [text.doc], deadline)
            return passage_spans(occurrences, [text], plan.marks)[text.doc]

    def article_quotes(self, article_id: str) -> list[Quote]:
        with self.searcher(QUOTES) as searcher:
            found = [_to_quote(d) for d in searcher.documents(article_id=article_id)]
        return sorted(found, key=lambda q: q.passage)

    def listed_quotes(
        self, speaker_id: str | None, start: int, count: int
    ) -> tuple[int, list[Quote]]:
        with self.searcher(QUOTES) as searcher:
            if speaker_id:
                total = self.quote_counts.get(speaker_id, 0)
                docs: Iterator[int] = iter(sorted(searcher.document_numbers(speaker_id=speaker_id)))
            else:
                total = searcher.doc_count()
                docs = searcher.reader().all_doc_ids()
            window = list(islice(docs, start, start + count))
            return total, [_to_quote(searcher.stored_fields(d)) for d in window]

    # -- computed once per build -------------------------------------------------------
    @property
    def article_total(self) -> int:
        return int(len(self.alive))

    @cached_property
    def article_counts(self) -> dict[str, int]:
        return self.facets.entity_counts(self.alive)

    @cached_property
    def quote_counts(self) -> Counter[str]:
        with self.searcher(QUOTES) as searcher:
            reader = searcher.reader()
            if not reader.has_column("speaker_id"):
                return Counter()
            speakers = list(reader.column_reader("speaker_id"))
            return Counter(speakers[d] for d in reader.all_doc_ids() if speakers[d])

    def terms(self, field: str) -> Iterator[tuple[str, int]]:
        with self.searcher(ARTICLES) as searcher:
            for raw, info in searcher.reader().iter_field(field):
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                yield term, info.doc_frequency()

    def sounds(self) -> dict[str, str]:
        return read_sounds(self.directory)

    def source(self, name: str) -> bytes | None:
        return self.sources.read(name)
