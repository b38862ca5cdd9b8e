"""JSON shapes of the API: pydantic response models and converters from the
search service's results. The HTML pages are rendered from the same objects."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib import parse

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from corpus_search.highlight import strip_marks
from corpus_search.models import Hit, Quote, QuoteResults, SearchResults
from corpus_search.search import ArticleView, ExecutiveSummary

__all__ = [
    "SafeJSONResponse",
    "SearchResponse",
    "QuotesResponse",
    "ArticleResponse",
    "ExecutivesResponse",
    "HealthResponse",
    "ErrorResponse",
    "search_json",
    "quotes_json",
    "article_json",
    "executives_json",
    "search_csv",
    "article_url",
    "spreadsheet_safe",
    "CSV_COLUMNS",
    "BOM",
    "last_page",
]

BOM = "\ufeff"  # spreadsheet programs then read the file as UTF-8 (Chinese intact)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "rank",
    "id",
    "source_file",
    "title",
    "lang",
    "date",
    "source",
    "score",
    "executives",
    "topics",
    "snippet",
    "url",
)
LAST_PAGE = "The last page with results (1 when there are none)"
PARTIAL = "True when some shards did not answer: the results are the other shards' alone"
MISSING = "The shards (host:port) that did not answer; empty when all did, or unsharded"
_HTML_SIGNIFICANT = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & written as \\u escapes: the same data to a JSON parser, and
    nothing a browser could take for markup (a query or name echoed in a message)."""

    def render(self, content: Any) -> bytes:
        # On the UTF-8 bytes: no byte of a multi-byte character is ever one of these
        # three, and bytes.replace is some fifty times quicker than str.translate here
        # (2.4 ms for a page of results with its facets).
        body = super().render(content)
        for char, escaped in _HTML_SIGNIFICANT:
            body = body.replace(char, escaped)
        return body


def article_url(article_id: str) -> str:
    """The page of an article, its id percent-encoded as one path segment."""
    return f"/articles/{parse.quote(article_id, safe='')}"


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made plain text by a leading
    apostrophe (OWASP's advice); numbers and other text are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ResultItem(BaseModel):
    id: str
    source_file: str
    title: str
    lang: str
    date: str | None
    score: float
    snippets: list[str] = Field(description="HTML-escaped passages with <mark> around matches")
    url: str
    source: str | None = None
    passages: list[int] = Field(description="Passage index of each snippet (anchor #p<N>)")
    executives: list[str] = Field(description="Ids of the people the article mentions")
    topics: list[str] = Field(description="Ids of the topics and events it mentions")


class Facet(BaseModel):
    value: str
    label: str
    count: int


class SearchResponse(BaseModel):
    query: str
    total: int
    page: int
    per_page: int
    results: list[ResultItem]
    facets: dict[str, list[Facet]]
    filters: dict[str, str]
    took_ms: float
    last_page: int = Field(description=LAST_PAGE)
    partial: bool = Field(False, description=PARTIAL)
    missing_shards: list[str] = Field(default_factory=list, description=MISSING)


class QuoteItem(BaseModel):
    speaker_id: str | None
    speaker: str | None
    speaker_en: str | None
    text: str
    source_file: str
    article_id: str
    passage: int
    url: str
    entities: list[str] = Field(default_factory=list, description="Ids the quote names")
    speaker_role: str | None = Field(None, description="The speaker's role, as stated")
    speaker_found: bool = Field(
        False, description="The speaker was found in the text (not in the lexicon)"
    )


class QuotesResponse(BaseModel):
    query: str
    speaker: str | None
    total: int
    page: int
    per_page: int
    results: list[QuoteItem]
    last_page: int = Field(description=LAST_PAGE)
    partial: bool = Field(False, description=PARTIAL)
    missing_shards: list[str] = Field(default_factory=list, description=MISSING)


class ArticleResponse(BaseModel):
    id: str
    source_file: str
    title: str
    lang: str
    date: str | None
    source: str | None
    passages: list[str]
    entities: list[str]
    passage_entities: list[list[str]] = Field(description="Ids each passage names")
    executives: list[str]
    topics: list[str]
    quotes: list[QuoteItem]


class ExecutiveItem(BaseModel):
    id: str
    name: str
    name_en: str
    names: list[str] = Field(description="Every form of the name: scripts, English, pinyin, 花名")
    title: str
    articles: int = Field(description="Articles naming the person (found people: quoting them)")
    quotes: int
    found_in_text: bool = Field(
        False, description="Found quoted in the articles' text, not in the lexicon"
    )
    role: str = Field("", description="The role as stated (lexicon title, or the text's)")
    organisation: str = Field("", description="The organisation, where the text states it")


class ExecutivesResponse(BaseModel):
    total: int
    results: list[ExecutiveItem]


class HealthResponse(BaseModel):
    status: str
    articles: int
    partial: bool = Field(False, description=PARTIAL)
    missing_shards: list[str] = Field(default_factory=list, description=MISSING)


class ErrorResponse(BaseModel):
    error: str
    status: int


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "source_file": hit.source_file,
        "title": hit.title,
        "lang": hit.lang,
        "date": hit.date,
        "score": hit.score,
        "snippets": [s.html for s in hit.snippets],
        "url": article_url(hit.id),
        "source": hit.source,
        "passages": [s.passage for s in hit.snippets],
        "executives": hit.executives,
        "topics": hit.topics,
    }


def search_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "results": [_hit_json(h) for h in results.hits],
        "facets": {
            name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
            for name, values in results.facets.items()
        },
        "filters": results.filters,
        "took_ms": results.took_ms,
        "last_page": results.pages,
        "partial": results.partial,
        "missing_shards": results.missing_shards,
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "speaker_id": quote.speaker_id,
        "speaker": quote.speaker,
        "speaker_en": quote.speaker_en,
        "text": quote.text,
        "source_file": quote.source_file,
        "article_id": quote.article_id,
        "passage": quote.passage,
        "url": f"{article_url(quote.article_id)}#p{quote.passage}",
        "entities": list(quote.entities),
        "speaker_role": quote.speaker_role,
        "speaker_found": quote.speaker_found,
    }


def quotes_json(results: QuoteResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "speaker": results.speaker,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "results": [quote_json(q) for q in results.quotes],
        "last_page": last_page(results.total, results.per_page),
        "partial": results.partial,
        "missing_shards": results.missing_shards,
    }


def last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def article_json(view: ArticleView) -> dict[str, Any]:
    r = view.record
    return {
        "id": r["id"],
        "source_file": r["source_file"],
        "title": r["title"],
        "lang": r["lang"],
        "date": r.get("date"),
        "source": r.get("source"),
        "passages": list(r["passages"]),
        "entities": list(r.get("entities", [])),
        "passage_entities": [list(e) for e in r.get("passage_entities", [])],
        "executives": [e.id for e in view.executives],
        "topics": [e.id for e in view.topics],
        "quotes": [quote_json(q) for q in view.quotes],
    }


def executives_json(people: list[ExecutiveSummary]) -> dict[str, Any]:
    return {
        "total": len(people),
        "results": [
            {
                "id": p.entity.id,
                "name": p.entity.name,
                "name_en": p.entity.name_en,
                "names": list(p.entity.all_forms),
                "title": p.entity.title,
                "articles": p.articles,
                "quotes": p.quotes,
                "found_in_text": p.found_in_text,
                "role": p.role,
                "organisation": p.organisation,
            }
            for p in people
        ],
    }


def _csv_row(rank: int, hit: Hit) -> list[Any]:
    snippet = strip_marks(hit.snippets[0].html) if hit.snippets else ""
    cells = [
        rank,
        hit.id,
        hit.source_file,
        hit.title,
        hit.lang,
        hit.date or "",
        hit.source or "",
        hit.score,
        " ".join(hit.executives),
        " ".join(hit.topics),
        snippet,
        article_url(hit.id),
    ]
    return [spreadsheet_safe(cell) for cell in cells]


def search_csv(results: SearchResults) -> str:
    """The result list as CSV (one row per article, snippets as plain text), with a
    byte order mark and no cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    offset = (results.page - 1) * results.per_page
    for rank, hit in enumerate(results.hits, start=offset + 1):
        writer.writerow(_csv_row(rank, hit))
    return BOM + out.getvalue()
