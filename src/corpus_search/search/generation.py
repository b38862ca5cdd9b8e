"""What every opened build offers the service, wherever its records are.

A build is opened when the service first needs it and whenever a rebuild has
swapped in a new one: `local.Generation` reads a build directory (Whoosh, and
its Xapian database with the ``xapian`` backend), `sharded.ShardGeneration`
reads Xapian shards on other machines. Both are a `BuildView`: the service asks
them for a ranked page, its snippets, an article, quotes and counts, and never
looks at how they are stored.

`BuildView` holds what both compute alike, once per build: the people found in
the text merged with the lexicon (``names``: speakers, executives and facet
filters are looked up there; the query builder and suggestions keep to the
lexicon, the only names the analyzer tags), the query builder, each query
string's plan, and a cache for whatever else a build computes once.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from whoosh.fields import Schema
from whoosh.query import Query, Term

from corpus_search.highlight import Span
from corpus_search.index.people import FoundPerson
from corpus_search.lexicon import Lexicon
from corpus_search.models import FacetValue, Quote, Snippet
from corpus_search.normalise import canonical_key
from corpus_search.query import Highlights, ParsedQuery, QueryBuilder, query_language
from corpus_search.search.budget import Deadline
from corpus_search.translate import NoTranslation, load_translator

__all__ = ["BuildView", "QueryPlan", "Page", "found_names"]

PLANS_CACHED = 2048
T = TypeVar("T")


@dataclass(frozen=True)
class QueryPlan:
    """Everything a query string expands to, built once per string and build."""

    raw: str  # the query as typed, trimmed
    ranked: Query  # what results must match, and are ranked by
    any_part: Query  # any single part: for choosing and marking passages
    marks: Highlights
    chinese: bool  # a Chinese query (prefers Chinese articles)


@dataclass
class Page:
    """One page of an index's records: (score, stored fields) best first, the exact
    total, the facets (of articles), and the shards that did not answer."""

    hits: list[tuple[float, dict[str, Any]]]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    docs: list[int] = field(default_factory=list)  # a local build's document numbers
    missing_shards: list[str] = field(default_factory=list)
    snippets: list[list[Snippet]] | None = None  # when found with the page (shards)


class BuildView(ABC):
    """One opened build, as the service reads it."""

    def __init__(
        self,
        lexicon: Lexicon,
        found: list[FoundPerson],
        schema: Schema,
        translate: bool,
        known: set[str],
        known_exact: set[str],
    ) -> None:
        self.lexicon = lexicon
        self.found = found  # the people found quoted in the text, not in the lexicon
        self.schema = schema
        translator = load_translator() if translate else NoTranslation()
        self.builder = QueryBuilder(
            schema, translator, known, lexicon, known_exact, found_names(found)
        )
        self.plan = lru_cache(maxsize=PLANS_CACHED)(self._plan)
        self._cache: dict[str, object] = {}
        self._cache_lock = threading.Lock()

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

    def cached(self, key: str, factory: Callable[[], T]) -> T:
        """``factory()``, computed once for this build (thread-safe)."""
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = factory()
            return self._cache[key]  # type: ignore[no-any-return]

    @cached_property
    def names(self) -> Lexicon:
        """The lexicon and the people found in the text, as one lexicon (the lexicon's
        entries win a name both have)."""
        return Lexicon([*self.lexicon.entities.values(), *(p.entity for p in self.found)])

    # -- what each kind of build answers -------------------------------------------------
    @property
    @abstractmethod
    def article_total(self) -> int:
        """How many articles the build holds."""

    @property
    @abstractmethod
    def article_counts(self) -> dict[str, int]:
        """How many articles name each entity."""

    @property
    @abstractmethod
    def quote_counts(self) -> Counter[str]:
        """How many quotes each speaker has."""

    @abstractmethod
    def page(
        self,
        index: str,
        plan: QueryPlan,
        restrict: list[Term],
        page: int,
        per_page: int,
        deadline: Deadline,
    ) -> Page:
        """A page of index ``index``'s records for ``plan`` among those with every term
        of ``restrict``; for articles with facets and the language preference."""

    @abstractmethod
    def count(self, plan: QueryPlan, restrict: list[Term], deadline: Deadline) -> int:
        """How many articles ``plan`` finds among those with every term of ``restrict``."""

    @abstractmethod
    def snippets(self, plan: QueryPlan, found: Page, deadline: Deadline) -> list[list[Snippet]]:
        """The marked passages of each article of a page, in its order."""

    @abstractmethod
    def record(self, article_id: str) -> dict[str, Any] | None:
        """An article's stored fields (None: no such article)."""

    @abstractmethod
    def passage_spans(
        self, record: dict[str, Any], plan: QueryPlan, deadline: Deadline
    ) -> dict[int, list[Span]]:
        """Per passage of an article (`reading.article_record`), the spans to mark."""

    @abstractmethod
    def article_quotes(self, article_id: str) -> list[Quote]:
        """An article's quotes, in their order in it."""

    @abstractmethod
    def listed_quotes(
        self, speaker_id: str | None, start: int, count: int
    ) -> tuple[int, list[Quote]]:
        """Quotes in the order they were added to the index (of one speaker, if given):
        the total, and ``count`` of them from ``start`` on, without visiting the rest."""

    @abstractmethod
    def terms(self, field: str) -> Iterator[tuple[str, int]]:
        """The articles' words in a field, each with the number of articles holding it."""

    @abstractmethod
    def sounds(self) -> dict[str, str]:
        """The sounds of the Chinese words, as the build computed them (may be empty)."""

    @abstractmethod
    def source(self, name: str) -> bytes | None:
        """The bytes the build read for an indexed source file (None: not kept here)."""

    def warm_up(self) -> None:  # noqa: B027 (a hook: most builds have nothing to do)
        """Do now what the first requests would otherwise wait for (nothing, unless a
        kind of build says so)."""

    def keep_warm(self, wait: bool) -> None:  # noqa: B027 (a hook, as warm_up)
        """For a server, which answers many requests from this build: read what makes
        each of them cheaper, now (``wait``) or in the background (nothing, unless a
        kind of build says so)."""

    @abstractmethod
    def close(self) -> None:
        """Let go of what the build holds open."""


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
