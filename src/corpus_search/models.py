"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Article",
    "Quote",
    "Skipped",
    "IngestResult",
    "Snippet",
    "Hit",
    "FacetValue",
    "SearchResults",
    "QuoteResults",
]


@dataclass(frozen=True)
class Article:
    """One cleaned news article, passages kept in their original script."""

    id: str
    source_file: str
    title: str
    lang: str  # "zh-Hant", "zh-Hans" or "en"
    date: str | None  # ISO 8601 (YYYY-MM-DD) where the text states one
    source: str | None  # the publication the text names, e.g. 《阿里足跡》
    passages: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    """A direct or reported quotation, attributed where the text allows."""

    text: str
    article_id: str
    source_file: str
    passage: int  # index into Article.passages
    speaker_id: str | None = None
    speaker: str | None = None  # display name, as the corpus writes it (張勇)
    speaker_en: str | None = None  # English display name (Zhang Yong)
    entities: tuple[str, ...] = ()  # ids of what the quote names, in any form (set at indexing)


@dataclass(frozen=True)
class Skipped:
    """A file the ingest stage could not use, and why."""

    source_file: str
    reason: str


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files_read: int = 0


@dataclass(frozen=True)
class Snippet:
    passage: int  # index into the article's passages, for the #p<N> anchor
    html: str  # escaped text with <mark> around matches


@dataclass
class Hit:
    id: str
    source_file: str
    title: str
    lang: str
    date: str | None
    source: str | None
    score: float
    snippets: list[Snippet]
    executives: list[str]
    topics: list[str]

    @property
    def url(self) -> str:
        return f"/articles/{self.id}"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    filters: dict[str, str]
    took_ms: float

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class QuoteResults:
    query: str
    speaker: str | None
    total: int
    page: int
    per_page: int
    quotes: list[Quote]
