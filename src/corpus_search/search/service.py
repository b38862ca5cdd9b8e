"""SearchService: the one place that searches. Web routes and CLI commands call it.

It follows the live build (`Generation`, reopened when a rebuild swaps in a new
one) and answers: ranked articles with snippets and facets, one article whole,
quotes, executives and the stored source files. People are those of the lexicon
and those found quoted in the build's text (`Generation.names`): a speaker, an
executive filter or facet names either, by any form of the name.

Every call that runs a query has a time budget (`budget.Deadline`, ``time_budget``
seconds: QueryTooCostly past it). A caller making several searches for one request,
or able to tell when its client has gone, passes its own ``deadline``.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Literal

from whoosh.query import Term

from corpus_search.config import Settings
from corpus_search.errors import IndexMissingError, NotFoundError, QueryError, shown
from corpus_search.highlight import find_spans, mark
from corpus_search.index.schema import ARTICLES, QUOTES
from corpus_search.index.store import index_version, live_directory, source_bytes
from corpus_search.lexicon import Lexicon, load_lexicon
from corpus_search.models import FacetValue, Hit, Quote, QuoteResults, SearchResults, Snippet
from corpus_search.query import parse_query
from corpus_search.search.budget import Deadline, current_deadline
from corpus_search.search.filters import Filters, filter_terms
from corpus_search.search.generation import Generation, QueryPlan
from corpus_search.search.ranking import rank
from corpus_search.search.reading import (
    ArticleView,
    ExecutiveSummary,
    article_meta,
    article_quotes,
    article_record,
    entities_of,
    executives,
    listed_quotes,
    to_quote,
)
from corpus_search.search.snippets import (
    ArticleText,
    article_text,
    page_snippets,
    passage_spans,
)
from corpus_search.search.vector import term_docs
from corpus_search.search.xapian import article_page as xapian_page
from corpus_search.search.xapian import count as xapian_count
from corpus_search.search.xapian import stored_data, whoosh_numbers

__all__ = ["SearchService", "MAX_DEPTH"]

MAX_DEPTH = 10_000  # deepest result listed: page * per_page


class SearchService:
    def __init__(
        self,
        settings: Settings,
        lexicon: Lexicon | None = None,
        translate: bool = True,
        time_budget: float | None | Literal["settings"] = "settings",
    ) -> None:
        self.settings = settings
        self.translate = translate
        if time_budget == "settings":
            time_budget = settings.query_budget_ms / 1000
        self.time_budget = time_budget  # seconds per request; None: unlimited
        self._lexicon = lexicon or load_lexicon()
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._version: str | None = None

    # -- the live build --------------------------------------------------------------
    def generation(self) -> Generation:
        """The build the index link points at now, opened once."""
        version = index_version(self.settings)
        current = self._generation
        if current is not None and version == self._version:
            return current
        with self._lock:
            if self._generation is None or version != self._version:
                directory = live_directory(self.settings)
                if directory is None:
                    raise IndexMissingError(
                        f"no index at {self.settings.index_dir}: run `corpus-search build` "
                        "(or `corpus-search serve`, which builds one when missing)"
                    )
                backend = self.settings.backend
                fresh = Generation(directory, self._lexicon, self.translate, backend)
                old, self._generation, self._version = self._generation, fresh, version
                if old is not None:
                    old.close()
            return self._generation

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon and the people found in the live build's text (`Generation.names`):
        every person a speaker, executive or filter may name; the lexicon alone while
        there is no build."""
        try:
            return self.generation().names
        except IndexMissingError:
            return self._lexicon

    def version(self) -> str:
        """Changes whenever a rebuild swaps in a new index."""
        return index_version(self.settings)

    def deadline_for(self, q: str, given: Deadline | None = None) -> Deadline:
        """The deadline a call works to: the one it was given, else its request's
        (`budget.pinned`), else a new one."""
        return given or current_deadline() or self.deadline(q)

    def deadline(self, q: str = "", cancelled: threading.Event | None = None) -> Deadline:
        """A deadline ``time_budget`` seconds from now, for the searches of one request
        (``cancelled``: set it when the client has gone, to stop the work)."""
        return Deadline(self.time_budget, q, cancelled)

    def plan(self, q: str) -> tuple[Generation, QueryPlan]:
        generation = self.generation()
        parsed = parse_query(q, self.settings.max_query_length)
        return generation, generation.plan(parsed)

    # -- search ------------------------------------------------------------------------
    def search(
        self,
        q: str,
        page: int = 1,
        per_page: int = 10,
        filters: Filters | None = None,
        deadline: Deadline | None = None,
    ) -> SearchResults:
        started = time.perf_counter()
        self._check_page(page, per_page)
        deadline = self.deadline_for(q, deadline)
        generation, plan = self.plan(q)
        filters = filters or Filters()
        restrict = filter_terms(filters, generation.names)
        ranked_page = self._xapian_page if generation.xapian is not None else self._whoosh_page
        window, total, facets = ranked_page(generation, plan, restrict, page, per_page, deadline)
        with generation.searcher(ARTICLES) as searcher:
            stored = [(score, d, searcher.stored_fields(d)) for score, d in window]
            texts = [article_text(d, fields) for _, d, fields in stored]
            snippets = page_snippets(searcher, plan.any_part, plan.marks, texts, deadline)
        hits = [
            self._hit(generation, article_meta(fields), score, snippets[d])
            for score, d, fields in stored
        ]
        return SearchResults(
            query=plan.raw,
            total=total,
            page=page,
            per_page=per_page,
            hits=hits,
            facets=facets,
            filters=filters.as_dict(),
            took_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def _whoosh_page(
        self,
        generation: Generation,
        plan: QueryPlan,
        restrict: list[Term],
        page: int,
        per_page: int,
        deadline: Deadline,
    ) -> tuple[list[tuple[float, int]], int, dict[str, list[FacetValue]]]:
        """The page's (score, document number), the total and the facets, by Whoosh."""
        lengths = generation.field_lengths(ARTICLES)
        factors = generation.factors[plan.chinese]
        with generation.searcher(ARTICLES) as searcher:
            allowed = [term_docs(searcher, lengths, t.fieldname, t.text) for t in restrict]
            depth = page * per_page
            ranked = rank(searcher, lengths, plan.ranked, depth, allowed, factors, deadline)
        facets = generation.facets.facets(ranked.matched, generation.names)
        return ranked.top[(page - 1) * per_page :], ranked.total, facets

    def _xapian_page(
        self,
        generation: Generation,
        plan: QueryPlan,
        restrict: list[Term],
        page: int,
        per_page: int,
        deadline: Deadline,
    ) -> tuple[list[tuple[float, int]], int, dict[str, list[FacetValue]]]:
        """The same as `_whoosh_page`, ranked, counted and faceted by Xapian."""
        assert generation.xapian is not None
        found = xapian_page(
            generation.xapian,
            ARTICLES,
            plan.ranked,
            restrict,
            page,
            per_page,
            plan.chinese,
            deadline,
        )
        with generation.searcher(ARTICLES) as searcher:
            window = whoosh_numbers(searcher, found.top)
        return window, found.total, generation.facets.counted(found.counts, generation.names)

    def count(
        self, q: str, filters: Filters | None = None, deadline: Deadline | None = None
    ) -> int:
        """How many articles a query finds: no ranking, snippets or facets."""
        deadline = self.deadline_for(q, deadline)
        generation, plan = self.plan(q)
        restrict = filter_terms(filters or Filters(), generation.names)
        if generation.xapian is not None:
            return xapian_count(generation.xapian, ARTICLES, plan.ranked, restrict, deadline)
        lengths = generation.field_lengths(ARTICLES)
        with generation.searcher(ARTICLES) as searcher:
            allowed = [term_docs(searcher, lengths, t.fieldname, t.text) for t in restrict]
            return rank(searcher, lengths, plan.ranked, 1, allowed, deadline=deadline).total

    def _check_page(self, page: int, per_page: int) -> None:
        if page < 1:
            raise QueryError(f"page must be 1 or more (got {page}).")
        if not 1 <= per_page <= self.settings.max_per_page:
            raise QueryError(
                f"per_page must be between 1 and {self.settings.max_per_page} (got {per_page})."
            )
        if page * per_page > MAX_DEPTH:
            raise QueryError(
                f"page {page} is too deep: results are listed down to number {MAX_DEPTH:,} "
                f"(page {MAX_DEPTH // per_page} at {per_page} per page). Narrow the search "
                "with more words or a filter."
            )

    def _hit(
        self, generation: Generation, meta: dict[str, Any], score: float, snippets: list[Snippet]
    ) -> Hit:
        people, topics = entities_of(generation, meta["entities"])
        return Hit(
            id=meta["id"],
            source_file=meta["source_file"],
            title=meta["title"],
            lang=meta["lang"],
            date=meta["date"],
            source=meta["source"],
            score=round(score, 4),
            snippets=snippets,
            executives=[e.id for e in people],
            topics=[e.id for e in topics],
        )

    # -- articles, quotes, people ------------------------------------------------------
    def article(self, article_id: str, q: str | None = None) -> ArticleView:
        generation = self.generation()
        record = article_record(generation, article_id)
        people, topics = entities_of(generation, record["entities"])
        highlighted = None
        if q and q.strip():
            _, plan = self.plan(q)
            text = ArticleText(record["doc"], record["title"], record["passages"])
            with generation.searcher(ARTICLES) as searcher:
                reader = searcher.reader()
                spans = passage_spans(reader, [text], plan.marks, self.deadline_for(q))[text.doc]
            highlighted = [mark(p, spans.get(n, [])) for n, p in enumerate(text.passages)]
        return ArticleView(
            record=record,
            quotes=article_quotes(generation, article_id),
            highlighted=highlighted,
            executives=people,
            topics=topics,
        )

    def articles_meta(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Metadata (title, date, language …) of articles by id, without their text."""
        generation = self.generation()
        out: dict[str, dict[str, Any]] = {}
        with generation.searcher(ARTICLES) as searcher:
            for article_id in dict.fromkeys(ids):
                stored = searcher.document(id=article_id)
                if stored is not None:
                    out[article_id] = article_meta(stored)
        return out

    def quotes(
        self,
        q: str | None = None,
        speaker: str | None = None,
        page: int = 1,
        per_page: int = 20,
        deadline: Deadline | None = None,
    ) -> QuoteResults:
        self._check_page(page, per_page)
        speaker_id = None
        if speaker:
            entity = self.lexicon.lookup(speaker)
            if entity is None or not entity.is_person:
                raise QueryError(f"Unknown speaker {shown(speaker)}: see /api/executives.")
            speaker_id = entity.id
        if q and q.strip():
            total, found = self._ranked_quotes(q, speaker_id, page, per_page, deadline)
        else:
            start = (page - 1) * per_page
            total, found = listed_quotes(self.generation(), speaker_id, start, per_page)
        return QuoteResults(
            query=q or "",
            speaker=speaker_id,
            total=total,
            page=page,
            per_page=per_page,
            quotes=found,
        )

    def _ranked_quotes(
        self, q: str, speaker_id: str | None, page: int, per_page: int, deadline: Deadline | None
    ) -> tuple[int, list[Quote]]:
        """The total and one page of the quotes ``q`` finds (of one speaker, if given)."""
        deadline = self.deadline_for(q, deadline)
        generation, plan = self.plan(q)
        if generation.xapian is not None:
            restrict = [Term("speaker_id", speaker_id)] if speaker_id else []
            databases = generation.xapian
            found = xapian_page(
                databases, QUOTES, plan.ranked, restrict, page, per_page, None, deadline
            )
            return found.total, [to_quote(data) for data in stored_data(found.hits)]
        lengths = generation.field_lengths(QUOTES)
        with generation.searcher(QUOTES) as searcher:
            allowed = []
            if speaker_id:
                allowed.append(term_docs(searcher, lengths, "speaker_id", speaker_id))
            depth = page * per_page
            ranked = rank(searcher, lengths, plan.ranked, depth, allowed, None, deadline)
            window = ranked.top[(page - 1) * per_page :]
            return ranked.total, [to_quote(searcher.stored_fields(d)["data"]) for _, d in window]

    def executives(self) -> list[ExecutiveSummary]:
        return executives(self.generation())

    def raw_source(self, source_file: str) -> bytes:
        """The bytes of an indexed article's source file as the build read them (kept
        in the build: not the file as it is now, and nothing that was not indexed)."""
        generation = self.generation()
        digest = generation.digests.get(source_file)
        data = source_bytes(generation.directory, digest) if digest else None
        if data is None:
            raise NotFoundError(f"No indexed article comes from {shown(source_file)}.")
        return data

    def open(self) -> float:
        """Open the live build and load the dictionaries; the seconds it took."""
        started = time.perf_counter()
        generation = self.generation()
        generation.builder.terms("warm up 預熱")  # jieba, OpenCC and the lexicon's names
        return time.perf_counter() - started

    def warm_up(self) -> None:
        """Open the index and load the dictionaries now, not on the first request."""
        try:
            self.open()
            self.search("warm up 預熱")
        except IndexMissingError:
            pass  # served as 503 with an explanation until an index is built

    def highlight(
        self, texts: list[str], q: str | None, deadline: Deadline | None = None
    ) -> list[str]:
        """Each text as escaped HTML, with the query's matches marked (none without a query)."""
        if not q or not q.strip():
            return [mark(t, []) for t in texts]
        deadline = self.deadline_for(q, deadline)
        generation, plan = self.plan(q)
        terms, sequences = plan.marks
        schema = generation.schema
        body, exact = schema["body"].analyzer, schema["exact"].analyzer
        marked = []
        for text in texts:
            deadline.check()
            marked.append(mark(text, find_spans(text, terms, sequences, body, exact)))
        return marked

    def health(self) -> dict[str, Any]:
        generation = self.generation()
        return {"status": "ok", "articles": int(len(generation.alive))}
