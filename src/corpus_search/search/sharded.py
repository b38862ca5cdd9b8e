"""A build spread over Xapian shards on other machines, read as one (`serve --shards`);
a local Xapian build is read the same way (`search.xapian`).

Each shard is the Xapian database of one machine's build (`build --shard I/N`),
served by `shard-serve`. Nothing else of those builds is here: everything comes
from the shards, through `xapian_backend.ShardSet`, which joins the live ones
into one database (Xapian merges their statistics and results):

- ranked pages, totals and facets, as the local Xapian backend computes them;
- stored fields (an article's passages and metadata, a quote) from the
  documents' data;
- snippets and an article's marks from each page article's words with their
  characters, kept in its document (`xapian_backend.occurrences`): chosen and
  marked as from Whoosh's postings;
- the people found in the text, and the counts the people pages show, from each
  shard's summary (`xapian_backend.store.summary`), merged;
- the vocabulary (translation pruning, suggestions) from the shards' terms.

A shard that does not answer is left out: its records are missing from the
answers, which name it (``missing_shards``). The build is reopened whenever
the set of live shards or any shard's build changes (`ShardSource.version`).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import xapian
from whoosh.query import Term

from corpus_search.errors import NotFoundError
from corpus_search.highlight import Span
from corpus_search.index.people import merge_found
from corpus_search.index.schema import ARTICLES, QUOTES, build_schema
from corpus_search.lexicon import Lexicon
from corpus_search.models import Quote, Snippet
from corpus_search.search.budget import Deadline
from corpus_search.search.facets import labelled
from corpus_search.search.generation import BuildView, Page, QueryPlan
from corpus_search.search.reading import to_quote
from corpus_search.search.snippets import ArticleText, article_text, page_snippets, passage_spans
from corpus_search.xapian_backend import engine
from corpus_search.xapian_backend.occurrences import XapianOccurrences
from corpus_search.xapian_backend.shards import ShardSet
from corpus_search.xapian_backend.store import BUILD, summary
from corpus_search.xapian_backend.terms import (
    TEXT_PREFIXES,
    boolean_term,
    kind_term,
)

__all__ = ["Databases", "ShardGeneration", "ShardSource"]

COLUMNS = ("lang", "source", "year")
T = TypeVar("T")


class Databases(Protocol):
    """What the shards are read through (`ShardSet`, or one local database)."""

    def run(self, work: Callable[[xapian.Database], T]) -> tuple[T | None, list[str]]:
        """``work`` on the live databases joined, and the names of those missing."""
        ...

    def each(self, work: Callable[[xapian.Database], T]) -> tuple[list[T], list[str]]:
        """``work`` on each live database alone, and the names of those missing."""
        ...


class ShardSource:
    """The shards of `serve --shards`, and a version that changes when their builds do."""

    def __init__(self, shards: ShardSet, check_every: float = 1.0) -> None:
        self.shards = shards
        self.check_every = check_every
        self._version = ""
        self._checked = float("-inf")

    def version(self) -> str:
        """Each live shard's build, and which shards are missing (read at most every
        ``check_every`` seconds)."""
        if time.monotonic() - self._checked >= self.check_every:
            builds, missing = self.shards.each(lambda db: db.get_metadata(BUILD).decode())
            self._version = json.dumps([builds, missing])
            self._checked = time.monotonic()
        return self._version


def _records(
    db: xapian.Database, q: xapian.Query, start: int = 0, count: int | None = None
) -> list[engine.Hit]:
    """Records matching a boolean query in the order they were added (on shards joined,
    taking turns), the page of them fetched in one round trip per shard. Nothing is
    sorted: the match stops once it has the page."""
    enquire = xapian.Enquire(db)
    enquire.set_query(q)
    enquire.set_weighting_scheme(xapian.BoolWeight())
    enquire.set_docid_order(xapian.Enquire.ASCENDING)
    wanted = db.get_doccount() if count is None else count
    return engine.hits(enquire.get_mset(start, wanted))


def _snippets(
    db: xapian.Database, hits: list[engine.Hit], plan: QueryPlan, deadline: Deadline
) -> list[list[Snippet]]:
    """Each hit's snippets, from the words and characters its document keeps (`offsets`)."""
    documents = {h.docid: h.document for h in hits if h.document is not None}
    texts = [article_text(h.docid, h.stored) for h in hits]
    occurrences = XapianOccurrences(db, documents, deadline)
    chosen = page_snippets(occurrences, plan.any_part, plan.marks, texts)
    return [chosen[h.docid] for h in hits]


def _both(a: bytes, b: bytes) -> xapian.Query:
    return xapian.Query(xapian.Query.OP_FILTER, xapian.Query(a), xapian.Query(b))


class ShardGeneration(BuildView):
    def __init__(self, shards: Databases, lexicon: Lexicon, translate: bool) -> None:
        self.shards = shards
        self.bases = engine.Bases()  # what queries matching most records are counted from
        summaries, _ = shards.each(summary)  # a missing shard changes the version: reopened
        counts = [c for c, _ in summaries]
        self._articles = sum(int(c.get("articles", 0)) for c in counts)
        self._quotes = sum(int(c.get("quotes", 0)) for c in counts)
        self._entities: Counter[str] = Counter()
        self._speakers: Counter[str] = Counter()
        for c in counts:
            self._entities.update(c.get("entities", {}))
            self._speakers.update(c.get("speakers", {}))
        found = merge_found(people for _, people in summaries)
        known = {t for field in ("body", "title") for t, _ in self.terms(field)}
        exact = {t for t, _ in self.terms("exact")}
        schema = build_schema(ARTICLES)
        super().__init__(lexicon, found, schema, translate, known, exact)

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
        articles = index == ARTICLES
        chinese = plan.chinese if articles else None
        facets = engine.FACETS if articles else ()

        def work(db: xapian.Database) -> tuple[engine.Results, list[list[Snippet]] | None]:
            left = deadline.remaining()
            found = engine.search(
                db, plan.ranked, restrict, page, per_page, chinese, facets, left, index, self.bases
            )
            deadline.check()  # a match stopped by its time limit is not an answer
            # The snippets now: the hits' docids hold only while the same shards are joined.
            shown = _snippets(db, found.hits, plan, deadline) if articles and found.hits else None
            return found, shown

        deadline.check()
        done, missing = self.shards.run(work)
        if done is None:
            return Page(
                [], 0, labelled({}, dict.fromkeys(COLUMNS, {}), self.names), missing_shards=missing
            )
        found, shown = done
        if articles:
            counts = found.facets
            columns = {name: counts.get(name, {}) for name in COLUMNS}
            facet_values = labelled(counts.get("entities", {}), columns, self.names)
        hits = [(h.score, h.stored) for h in found.hits]
        return Page(
            hits,
            found.total,
            facet_values if articles else {},
            missing_shards=missing,
            snippets=shown,
        )

    def warm_up(self) -> None:
        """The counts of every article, which common queries are counted from."""
        self.shards.run(lambda db: engine.warm(db, self.bases))

    def count(self, plan: QueryPlan, restrict: list[Term], deadline: Deadline) -> int:
        deadline.check()
        found, _ = self.shards.run(
            lambda db: engine.count(db, plan.ranked, restrict, deadline.remaining())
        )
        deadline.check()
        return found or 0

    def snippets(self, plan: QueryPlan, found: Page, deadline: Deadline) -> list[list[Snippet]]:
        return found.snippets or [[] for _ in found.hits]

    # -- articles, quotes ----------------------------------------------------------------
    def record(self, article_id: str) -> dict[str, Any] | None:
        wanted = _both(boolean_term("id", article_id), kind_term(ARTICLES))
        found, missing = self.shards.run(lambda db: [h.stored for h in _records(db, wanted)])
        if not found and missing:
            raise NotFoundError(
                f"No article with id {article_id!r} on the shards that answer (not "
                f"answering: {', '.join(missing)}); try again once they are back."
            )
        return found[0] if found else None

    def passage_spans(
        self, record: dict[str, Any], plan: QueryPlan, deadline: Deadline
    ) -> dict[int, list[Span]]:
        wanted = _both(boolean_term("id", record["id"]), kind_term(ARTICLES))

        def work(db: xapian.Database) -> dict[int, list[Span]]:
            for match in _records(db, wanted):
                documents = {match.docid: match.document}
                text = ArticleText(match.docid, record["title"], record["passages"])
                occurrences = XapianOccurrences(db, documents, deadline)
                return passage_spans(occurrences, [text], plan.marks)[match.docid]
            return {}

        found, _ = self.shards.run(work)
        return found or {}

    def article_quotes(self, article_id: str) -> list[Quote]:
        wanted = _both(boolean_term("article_id", article_id), kind_term(QUOTES))
        found, _ = self.shards.run(lambda db: [h.stored for h in _records(db, wanted)])
        return sorted((to_quote(s["data"]) for s in found or []), key=lambda q: q.passage)

    def listed_quotes(
        self, speaker_id: str | None, start: int, count: int
    ) -> tuple[int, list[Quote]]:
        """Quotes in the order they were added, the total from the shards' summaries."""
        wanted = xapian.Query(kind_term(QUOTES))
        total = self._quotes
        if speaker_id:
            wanted = _both(kind_term(QUOTES), boolean_term("speaker_id", speaker_id))
            total = self._speakers.get(speaker_id, 0)
        found, _ = self.shards.run(
            lambda db: [h.stored for h in _records(db, wanted, start, count)]
        )
        return total, [to_quote(s["data"]) for s in found or []]

    # -- counts and words, from the shards -------------------------------------------
    @property
    def article_total(self) -> int:
        return self._articles

    @property
    def article_counts(self) -> dict[str, int]:
        return dict(self._entities)

    @property
    def quote_counts(self) -> Counter[str]:
        return self._speakers

    def terms(self, field: str) -> Iterator[tuple[str, int]]:
        prefix = TEXT_PREFIXES[field].encode()

        def walk(db: xapian.Database) -> list[tuple[str, int]]:
            return [
                (t.term[len(prefix) :].decode("utf-8", "replace"), t.termfreq)
                for t in db.allterms(prefix)
            ]

        found, _ = self.shards.run(walk)
        yield from found or []

    def sounds(self) -> dict[str, str]:
        return {}  # computed as needed (`index.sounds.sound_of`)

    def source(self, name: str) -> bytes | None:
        raise NotFoundError(
            f"{name!r}: the source files of a sharded index stay on the shards' machines "
            "(each build keeps its own under sources/)."
        )

    def close(self) -> None:
        """Nothing to let go: connections belong to the request threads (`ShardSet`)."""
