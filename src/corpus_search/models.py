"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Article",
    "Draft",
    "FileRead",
    "FileReport",
    "Quote",
    "Renamed",
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
    url: str | None = None  # where it was published, when the source file says


@dataclass(frozen=True)
class Draft:
    """An article as a format reader found it, before cleaning: the headline on the
    first line of ``text``, then the body, one paragraph a line; metadata the file
    states (HTML meta tags, JSON fields) beside it."""

    key: str  # the article id it asks for: the file stem, or the record's id
    text: str
    date: str | None = None
    source: str | None = None
    lang: str | None = None
    url: str | None = None
    part: str | None = None  # where in the file, for one of several records ("line 3")


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
    speaker_role: str | None = None  # the speaker's title as stated (lexicon title, or the text's)
    speaker_found: bool = False  # True: a person found in the text, not in the lexicon


@dataclass(frozen=True)
class Skipped:
    """A file (or one record of a file: ``part``, e.g. "line 3") not used, and why."""

    source_file: str
    reason: str
    part: str | None = None

    def __str__(self) -> str:
        where = f"{self.source_file} {self.part}" if self.part else self.source_file
        return f"{where}: {self.reason}"


@dataclass
class FileRead:
    """The articles of one file, how it was read, and the records left out."""

    format: str  # "text", "html", "json" or "jsonl"
    encoding: str
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    keys: list[str | None] = field(default_factory=list)  # the id each draft asked for


@dataclass(frozen=True)
class Renamed:
    """An article whose id another file (or record) had first: it got ``given``."""

    source_file: str
    wanted: str
    given: str


@dataclass(frozen=True)
class FileReport:
    """What a build did with one file of the folder."""

    file: str  # path relative to the source folder
    status: str  # "indexed", "unchanged", "skipped" or "elsewhere" (another shard's)
    articles: int = 0
    format: str | None = None
    encoding: str | None = None
    reason: str | None = None  # why it was skipped

    def __str__(self) -> str:
        if self.status in ("skipped", "elsewhere"):
            return f"{self.file}: {self.status}, {self.reason}"
        count = f"{self.articles} article{'' if self.articles == 1 else 's'}"
        return f"{self.file}: {self.status}, {count} ({self.format}, {self.encoding})"


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
    missing_shards: list[str] = field(default_factory=list)  # shards that did not answer

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def partial(self) -> bool:
        """Some shards did not answer: these are the others' results."""
        return bool(self.missing_shards)


@dataclass
class QuoteResults:
    query: str
    speaker: str | None
    total: int
    page: int
    per_page: int
    quotes: list[Quote]
    missing_shards: list[str] = field(default_factory=list)  # shards that did not answer

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)
