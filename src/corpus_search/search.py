"""SearchService: the one place that searches. Web routes and CLI commands call it.

It opens the index lazily, reopens it when a rebuild has swapped in a new one,
ranks articles (BM25F over title and body), picks each article's best passages
as highlighted snippets, computes facets, and serves quotes and executives.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.query import And, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from corpus_search.config import Settings
from corpus_search.errors import IndexMissingError, NotFoundError, QueryError
from corpus_search.highlight import excerpt, find_spans, mark
from corpus_search.index import index_version, open_index, read_manifest
from corpus_search.lexicon import Entity, Lexicon, load_lexicon
from corpus_search.models import (
    FacetValue,
    Hit,
    Quote,
    QuoteResults,
    SearchResults,
    Snippet,
)
from corpus_search.query import Highlights, QueryBuilder, language_factor, parse_query
from corpus_search.translate import NoTranslation, load_translator

__all__ = ["SearchService", "Filters", "ArticleView", "ExecutiveSummary"]

PEOPLE = ("person",)
TOPICS = ("topic", "event")
SNIPPETS_PER_HIT = 3
LEAD_PRIOR = 0.5
FILTER_NAMES = ("executive", "topic", "lang", "source", "year")
LANGS = ("zh-Hant", "zh-Hans", "en")


@dataclass(frozen=True)
class Filters:
    executive: str | None = None
    topic: str | None = None
    lang: str | None = None
    source: str | None = None
    year: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k in FILTER_NAMES if (v := getattr(self, k))}


@dataclass
class ArticleView:
    record: dict[str, Any]
    quotes: list[Quote]
    highlighted: list[str] | None  # passages as marked HTML, when a query is given
    executives: list[Entity]
    topics: list[Entity]


@dataclass
class ExecutiveSummary:
    entity: Entity
    articles: int
    quotes: int


def _quote(data: dict[str, Any]) -> Quote:
    return Quote(**(data | {"entities": tuple(data.get("entities") or ())}))


class SearchService:
    def __init__(
        self, settings: Settings, lexicon: Lexicon | None = None, translate: bool = True
    ) -> None:
        self.settings = settings
        self.translate = translate
        self.lexicon = lexicon or load_lexicon()
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._version: str | None = None
        self._builder: QueryBuilder | None = None

    # -- index lifecycle ---------------------------------------------------
    def _current(self) -> tuple[Index, QueryBuilder]:
        version = index_version(self.settings)
        with self._lock:
            if self._index is None or self._builder is None or version != self._version:
                ix = open_index(self.settings)
                with ix.reader() as reader:
                    known = set(reader.field_terms("body")) | set(reader.field_terms("title"))
                    exact = set(reader.field_terms("exact"))
                self._builder = QueryBuilder(
                    ix.schema,
                    load_translator() if self.translate else NoTranslation(),
                    known,
                    self.lexicon,
                    known_exact=exact,
                )
                self._index, self._version = ix, version
            return self._index, self._builder

    def _searcher(self) -> tuple[Searcher, QueryBuilder]:
        ix, builder = self._current()
        return ix.searcher(weighting=BM25F()), builder

    # -- search ------------------------------------------------------------
    def search(
        self, q: str, page: int = 1, per_page: int = 10, filters: Filters | None = None
    ) -> SearchResults:
        started = time.perf_counter()
        parsed = parse_query(q, self.settings.max_query_length)
        self._check_page(page, per_page)
        filters = filters or Filters()
        searcher, builder = self._searcher()
        with searcher:
            query = builder.ranked(parsed)
            restrict = And([Term("kind", "article"), *self._filter_terms(filters)])
            everything = searcher.search(query, filter=restrict, limit=None)
            facets = self._facets(everything)
            scored = [(h.score * language_factor(parsed.raw, h["lang"]), h) for h in everything]
            ranked = [h for _, h in sorted(scored, key=lambda pair: -pair[0])]
            scores = {id(h): score for score, h in scored}
            window = ranked[(page - 1) * per_page : page * per_page]
            passages = builder.any_part(parsed)
            marks = builder.highlight_terms(passages)
            hits = [self._hit(searcher, passages, marks, h, scores[id(h)]) for h in window]
        took = (time.perf_counter() - started) * 1000
        return SearchResults(
            query=parsed.raw,
            total=len(ranked),
            page=page,
            per_page=per_page,
            hits=hits,
            facets=facets,
            filters=filters.as_dict(),
            took_ms=round(took, 1),
        )

    def _check_page(self, page: int, per_page: int) -> None:
        if page < 1:
            raise QueryError(f"page must be 1 or more (got {page}).")
        if not 1 <= per_page <= self.settings.max_per_page:
            raise QueryError(
                f"per_page must be between 1 and {self.settings.max_per_page} (got {per_page})."
            )

    def _filter_terms(self, filters: Filters) -> list[Query]:
        terms: list[Query] = []
        for name, wanted in (("executive", True), ("topic", False)):
            value = getattr(filters, name)
            if value:
                entity = self.lexicon.lookup(value)
                if entity is None or entity.is_person != wanted:
                    where = "/api/executives" if wanted else "the topic facet of /api/search"
                    raise QueryError(f"Unknown {name} {value!r}: see {where}.")
                terms.append(Term("entities", entity.id))
        if filters.lang:
            if filters.lang not in LANGS:
                raise QueryError(f"lang must be one of {', '.join(LANGS)} (got {filters.lang!r}).")
            terms.append(Term("lang", filters.lang))
        if filters.source:
            terms.append(Term("source", filters.source))
        if filters.year:
            terms.append(Term("year", filters.year))
        return terms

    def _hit(
        self, searcher: Searcher, passages: Query, marks: Highlights, h: Any, score: float
    ) -> Hit:
        record = h["data"]
        entities = record.get("entities", [])
        return Hit(
            id=record["id"],
            source_file=record["source_file"],
            title=record["title"],
            lang=record["lang"],
            date=record.get("date"),
            source=record.get("source"),
            score=round(score, 4),
            snippets=self._snippets(searcher, passages, marks, record),
            executives=self._of_kind(entities, PEOPLE),
            topics=self._of_kind(entities, TOPICS),
        )

    def _of_kind(self, ids: list[str], kinds: tuple[str, ...]) -> list[str]:
        return [i for i in ids if (e := self.lexicon.entities.get(i)) and e.kind in kinds]

    def _snippets(
        self, searcher: Searcher, query: Query, marks: Highlights, record: dict
    ) -> list[Snippet]:
        """The article's best passages for ``query`` (any part of the user's query)."""
        restrict = And([Term("kind", "passage"), Term("article_id", record["id"])])
        found = searcher.search(query, filter=restrict, limit=SNIPPETS_PER_HIT * 4)
        # A mild lead prior: among equally good passages, the earlier one (where a
        # name or idea is introduced) is the better snippet.
        scored = sorted(found, key=lambda h: -h.score * (1 + LEAD_PRIOR / (1 + h["passage"])))
        numbers = [int(h["passage"]) for h in scored[:SNIPPETS_PER_HIT]] or [0]
        passages = record["passages"]
        terms, sequences = marks
        schema = searcher.schema
        snippets = []
        for n in numbers:
            if n >= len(passages):
                continue
            text = passages[n]
            spans = find_spans(
                text, terms, sequences, schema["body"].analyzer, schema["exact"].analyzer
            )
            snippets.append(Snippet(passage=n, html=excerpt(text, spans)))
        return snippets

    def _facets(self, results: Any) -> dict[str, list[FacetValue]]:
        counts: dict[str, Counter[str]] = {k: Counter() for k in FILTER_NAMES}
        for h in results:
            record = h["data"]
            for entity_id in record.get("entities", []):
                entity = self.lexicon.entities.get(entity_id)
                if entity and entity.kind in PEOPLE:
                    counts["executive"][entity_id] += 1
                elif entity and entity.kind in TOPICS:
                    counts["topic"][entity_id] += 1
            counts["lang"][record["lang"]] += 1
            if record.get("source"):
                counts["source"][record["source"]] += 1
            if record.get("date"):
                counts["year"][record["date"][:4]] += 1
        return {
            name: [FacetValue(v, self._label(name, v), n) for v, n in c.most_common()]
            for name, c in counts.items()
        }

    def _label(self, facet: str, value: str) -> str:
        entity = self.lexicon.entities.get(value) if facet in ("executive", "topic") else None
        if entity is None:
            return value
        return f"{entity.name} · {entity.name_en}" if entity.name != entity.name_en else entity.name

    # -- articles ----------------------------------------------------------
    def article(self, article_id: str, q: str | None = None) -> ArticleView:
        searcher, builder = self._searcher()
        with searcher:
            stored = searcher.document(kind="article", id=article_id)
            if stored is None:
                raise NotFoundError(f"No article with id {article_id!r}.")
            record = stored["data"]
            quotes = [
                _quote(d["data"]) for d in searcher.documents(kind="quote", article_id=article_id)
            ]
            highlighted = None
            if q and q.strip():
                highlighted = self._marked(builder, record["passages"], q)
        entities = [
            self.lexicon.entities[i]
            for i in record.get("entities", [])
            if i in self.lexicon.entities
        ]
        return ArticleView(
            record=record,
            quotes=sorted(quotes, key=lambda x: x.passage),
            highlighted=highlighted,
            executives=[e for e in entities if e.kind in PEOPLE],
            topics=[e for e in entities if e.kind in TOPICS],
        )

    # -- quotes and executives ---------------------------------------------
    def quotes(
        self, q: str | None = None, speaker: str | None = None, page: int = 1, per_page: int = 20
    ) -> QuoteResults:
        self._check_page(page, per_page)
        parts: list[Query] = [Term("kind", "quote")]
        speaker_id = None
        if speaker:
            entity = self.lexicon.lookup(speaker)
            if entity is None or entity.kind not in PEOPLE:
                raise QueryError(f"Unknown speaker {speaker!r}: see /api/executives.")
            speaker_id = entity.id
            parts.append(Term("speaker_id", speaker_id))
        searcher, builder = self._searcher()
        with searcher:
            if q and q.strip():
                query = builder.ranked(parse_query(q, self.settings.max_query_length))
                results = searcher.search(query, filter=And(parts), limit=None)
                found = [_quote(h["data"]) for h in results]
            else:
                docs = searcher.documents(kind="quote")
                found = [_quote(d["data"]) for d in docs]
                found = [x for x in found if speaker_id is None or x.speaker_id == speaker_id]
                found.sort(key=lambda x: (x.source_file, x.passage))
        window = found[(page - 1) * per_page : page * per_page]
        return QuoteResults(
            query=q or "",
            speaker=speaker_id,
            total=len(found),
            page=page,
            per_page=per_page,
            quotes=window,
        )

    def executives(self) -> list[ExecutiveSummary]:
        searcher, _ = self._searcher()
        with searcher:
            articles: Counter[str] = Counter()
            for d in searcher.documents(kind="article"):
                articles.update(set(d["data"].get("entities", [])))
            quotes = Counter(d["speaker_id"] for d in searcher.documents(kind="quote"))
        return [
            ExecutiveSummary(entity=e, articles=articles[e.id], quotes=quotes[e.id])
            for e in self.lexicon.people()
        ]

    def raw_source(self, source_file: str) -> bytes:
        """The stored bytes of an indexed article's source file, as it was read."""
        searcher, _ = self._searcher()
        with searcher:
            if searcher.document(kind="article", source_file=source_file) is None:
                raise NotFoundError(f"No indexed article comes from {source_file!r}.")
        source = Path(str(read_manifest(self.settings).get("source") or self.settings.source_dir))
        try:
            return (source / source_file).read_bytes()
        except OSError as exc:
            raise NotFoundError(f"{source_file} is no longer in {source}.") from exc

    def warm_up(self) -> None:
        """Open the index and load the dictionaries now, not on the first request."""
        try:
            self.search("warm up 預熱")
        except IndexMissingError:
            pass  # served as 503 with an explanation until an index is built

    def highlight(self, texts: list[str], q: str | None) -> list[str]:
        """Each text as escaped HTML, with the query's matches marked (none without a query)."""
        if not q or not q.strip():
            return [mark(t, []) for t in texts]
        _, builder = self._current()
        return self._marked(builder, texts, q)

    def _marked(self, builder: QueryBuilder, texts: list[str], q: str) -> list[str]:
        parsed = parse_query(q, self.settings.max_query_length)
        terms, sequences = builder.highlight_terms(builder.any_part(parsed))
        schema = builder.schema
        return [
            mark(
                t,
                find_spans(t, terms, sequences, schema["body"].analyzer, schema["exact"].analyzer),
            )
            for t in texts
        ]

    def version(self) -> str:
        """Changes whenever a rebuild swaps in a new index."""
        return index_version(self.settings)

    def article_records(self) -> list[dict[str, Any]]:
        """Every indexed article's stored record: metadata and passages."""
        searcher, _ = self._searcher()
        with searcher:
            return [d["data"] for d in searcher.documents(kind="article")]

    def health(self) -> dict[str, Any]:
        searcher, _ = self._searcher()
        with searcher:
            count = sum(1 for _ in searcher.document_numbers(kind="article"))
        return {"status": "ok", "articles": count}
