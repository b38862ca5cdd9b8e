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
from typing import TYPE_CHECKING, Any, Literal

from whoosh.query import Term

from corpus_search.config import Settings
from corpus_search.errors import IndexMissingError, NotFoundError, QueryError, shown
from corpus_search.highlight import find_spans, mark
from corpus_search.index.schema import ARTICLES, QUOTES
from corpus_search.index.store import index_version, live_directory, no_xapian
from corpus_search.index.xapian import has_xapian
from corpus_search.lexicon import Lexicon, load_lexicon
from corpus_search.models import Hit, QuoteResults, SearchResults, Snippet
from corpus_search.query import parse_query
from corpus_search.search.budget import Deadline, current_deadline
from corpus_search.search.filters import Filters, filter_terms
from corpus_search.search.generation import BuildView, QueryPlan
from corpus_search.search.local import Generation
from corpus_search.search.reading import (
    ArticleView,
    ExecutiveSummary,
    article_meta,
    article_record,
    entities_of,
    executives,
    to_quote,
)

if TYPE_CHECKING:
    from corpus_search.search.sharded import ShardSource

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
        self._generation: BuildView | None = None
        self._version: str | None = None
        self._shards = _shard_source(settings)
        self._serving = False  # set by warm_up: a server's builds are kept warm

    # -- the live build --------------------------------------------------------------
    def generation(self) -> BuildView:
        """The live build, opened once: the one the index link points at now, or the
        shards' (`settings.shards`)."""
        version = self.version()
        current = self._generation
        if current is not None and version == self._version:
            return current
        with self._lock:
            if self._generation is None or version != self._version:
                fresh = self._open()
                if self._serving:  # a build swapped in under a server
                    fresh.keep_warm(wait=False)
                old, self._generation, self._version = self._generation, fresh, version
                if old is not None:
                    old.close()
            return self._generation

    def _open(self) -> BuildView:
        if self._shards is not None:
            from corpus_search.search.sharded import ShardGeneration

            return ShardGeneration(self._shards.shards, self._lexicon, self.translate)
        directory = live_directory(self.settings)
        if directory is None:
            raise IndexMissingError(
                f"no index at {self.settings.index_dir}: run `corpus-search build` "
                "(or `corpus-search serve`, which builds one when missing)"
            )
        if self.settings.backend == "xapian":
            from corpus_search.search.xapian import XapianGeneration

            if not has_xapian(directory):
                raise IndexMissingError(no_xapian(self.settings.index_dir))
            return XapianGeneration(directory, self._lexicon, self.translate)
        return Generation(directory, self._lexicon, self.translate)

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
        """Changes whenever a rebuild swaps in a new index (or a shard's changes, or a
        shard goes or comes back)."""
        if self._shards is not None:
            return self._shards.version()
        return index_version(self.settings)

    def deadline_for(self, q: str, given: Deadline | None = None) -> Deadline:
        """The deadline a call works to: the one it was given, else its request's
        (`budget.pinned`), else a new one."""
        return given or current_deadline() or self.deadline(q)

    def deadline(self, q: str = "", cancelled: threading.Event | None = None) -> Deadline:
        """A deadline ``time_budget`` seconds from now, for the searches of one request
        (``cancelled``: set it when the client has gone, to stop the work)."""
        return Deadline(self.time_budget, q, cancelled)

    def plan(self, q: str) -> tuple[BuildView, QueryPlan]:
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
        found = generation.page(ARTICLES, plan, restrict, page, per_page, deadline)
        snippets = generation.snippets(plan, found, deadline) if found.hits else []
        hits = [
            self._hit(generation, article_meta(stored), score, shown)
            for (score, stored), shown in zip(found.hits, snippets, strict=True)
        ]
        return SearchResults(
            query=plan.raw,
            total=found.total,
            page=page,
            per_page=per_page,
            hits=hits,
            facets=found.facets,
            filters=filters.as_dict(),
            took_ms=round((time.perf_counter() - started) * 1000, 1),
            missing_shards=found.missing_shards,
        )

    def count(
        self, q: str, filters: Filters | None = None, deadline: Deadline | None = None
    ) -> int:
        """How many articles a query finds: no ranking, snippets or facets."""
        deadline = self.deadline_for(q, deadline)
        generation, plan = self.plan(q)
        restrict = filter_terms(filters or Filters(), generation.names)
        return generation.count(plan, restrict, deadline)

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
        self, generation: BuildView, meta: dict[str, Any], score: float, snippets: list[Snippet]
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
            spans = generation.passage_spans(record, plan, self.deadline_for(q))
            highlighted = [mark(p, spans.get(n, [])) for n, p in enumerate(record["passages"])]
        return ArticleView(
            record=record,
            quotes=generation.article_quotes(article_id),
            highlighted=highlighted,
            executives=people,
            topics=topics,
        )

    def articles_meta(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Metadata (title, date, language …) of articles by id, without their text."""
        generation = self.generation()
        out: dict[str, dict[str, Any]] = {}
        for article_id in dict.fromkeys(ids):
            stored = generation.record(article_id)
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
        missing: list[str] = []
        if q and q.strip():
            deadline = self.deadline_for(q, deadline)
            generation, plan = self.plan(q)
            restrict = [Term("speaker_id", speaker_id)] if speaker_id else []
            found = generation.page(QUOTES, plan, restrict, page, per_page, deadline)
            total, missing = found.total, found.missing_shards
            listed = [to_quote(stored["data"]) for _, stored in found.hits]
        else:
            start = (page - 1) * per_page
            total, listed = self.generation().listed_quotes(speaker_id, start, per_page)
        return QuoteResults(
            query=q or "",
            speaker=speaker_id,
            total=total,
            page=page,
            per_page=per_page,
            quotes=listed,
            missing_shards=missing,
        )

    def executives(self) -> list[ExecutiveSummary]:
        return executives(self.generation())

    def raw_source(self, source_file: str) -> bytes:
        """The bytes of an indexed article's source file as the build read them (kept
        in the build: not the file as it is now, and nothing that was not indexed)."""
        data = self.generation().source(source_file)
        if data is None:
            raise NotFoundError(f"No indexed article comes from {shown(source_file)}.")
        return data

    def open(self) -> float:
        """Open the live build and load the dictionaries; the seconds it took."""
        started = time.perf_counter()
        generation = self.generation()
        generation.builder.terms("warm up 預熱")  # jieba, OpenCC and the lexicon's names
        if self._serving:
            generation.keep_warm(wait=True)
        generation.warm_up()
        return time.perf_counter() - started

    def warm_up(self) -> None:
        """Open the index and load the dictionaries now, not on the first request; from
        now on this service serves many requests, and keeps its builds warm."""
        self._serving = True
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
        found = {"status": "ok", "articles": generation.article_total}
        if self._shards is not None:
            _, missing = self._shards.shards.live()
            found |= {"partial": bool(missing), "missing_shards": missing}
        return found


def _shard_source(settings: Settings) -> ShardSource | None:
    """The shards to read instead of a local index, when the settings name some."""
    if not settings.shards:
        return None
    from corpus_search.search.sharded import ShardSource
    from corpus_search.xapian_backend.shards import Shard, ShardSet

    # A shard slower than the request's budget is as good as missing.
    shards = [Shard.parse(a) for a in settings.shards]
    return ShardSource(ShardSet(shards, timeout_ms=settings.query_budget_ms))
