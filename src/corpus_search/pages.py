"""What each HTML page shows, computed in Python: templates only loop and test.

Each page's context is a dataclass; URLs, labels and highlighted fragments are
built here (never in Jinja), from the same result objects the JSON API returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from jinja2 import Environment
from markupsafe import Markup

from corpus_search.models import Hit, Quote, QuoteResults, SearchResults
from corpus_search.search import ArticleView, ExecutiveSummary, Filters, SearchService

__all__ = [
    "SearchPage",
    "ArticlePage",
    "QuotesPage",
    "ExecutivesPage",
    "search_context",
    "article_context",
    "quotes_context",
    "executives_context",
    "error_context",
    "register_filters",
]

LANG_LABELS = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}
FACET_TITLES = {
    "executive": "Executive",
    "topic": "Topic",
    "lang": "Language",
    "source": "Publication",
    "year": "Year",
}


def url(path: str, **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", 1) or k == "q"}
    clean = {k: v for k, v in clean.items() if v not in (None, "")}
    return f"{path}?{urlencode(clean)}" if clean else path


@dataclass
class FacetLink:
    label: str
    count: int
    url: str
    active: bool


@dataclass
class ResultView:
    hit: Hit
    lang_label: str
    snippets: list[tuple[Markup, str]]  # (marked html, link to the passage)
    executives: list[str]


@dataclass
class SearchPage:
    query: str
    results: SearchResults | None
    items: list[ResultView] = field(default_factory=list)
    facets: dict[str, list[FacetLink]] = field(default_factory=dict)
    facet_titles: dict[str, str] = field(default_factory=lambda: dict(FACET_TITLES))
    active_filters: list[tuple[str, str]] = field(default_factory=list)  # (label, remove-url)
    prev_url: str | None = None
    next_url: str | None = None
    json_url: str = "/api/search"
    csv_url: str = "/api/search.csv"
    title: str = "Search"


@dataclass
class PassageView:
    number: int
    html: Markup
    quotes: list[Quote]


@dataclass
class ArticlePage:
    title: str
    record: dict[str, Any]
    lang_label: str
    passages: list[PassageView]
    executives: list[tuple[str, str]]  # (label, quotes url)
    topics: list[str]
    query: str
    back_url: str
    json_url: str
    raw_url: str


@dataclass
class QuotesPage:
    title: str
    results: QuoteResults
    speaker_label: str | None
    cards: list[tuple[Quote, str]]  # (quote, link to its passage)
    prev_url: str | None
    next_url: str | None
    json_url: str


@dataclass
class ExecutivesPage:
    title: str
    people: list[tuple[ExecutiveSummary, str]]  # (summary, quotes url)
    json_url: str


@dataclass
class ErrorPage:
    title: str
    status: int
    message: str


def _params(query: str, filters: Filters, **extra: Any) -> dict[str, Any]:
    return {"q": query, **filters.as_dict(), **extra}


def search_context(
    request: Request,
    service: SearchService,
    query: str,
    results: SearchResults | None,
    filters: Filters,
) -> SearchPage:
    params = _params(query, filters)
    page = SearchPage(query=query, results=results, title=query or "Search")
    page.json_url = url("/api/search", **params)
    page.csv_url = url("/api/search.csv", **params)
    page.active_filters = [
        (f"{FACET_TITLES[k]}: {_facet_label(service, k, v)}", url("/", **{**params, k: None}))
        for k, v in filters.as_dict().items()
    ]
    if results is None:
        return page
    active = filters.as_dict()
    page.facets = {
        name: [
            FacetLink(
                f.label if name != "lang" else LANG_LABELS.get(f.value, f.value),
                f.count,
                url("/", **{**params, name: f.value}),
                active.get(name) == f.value,
            )
            for f in values
        ]
        for name, values in results.facets.items()
        if values
    }
    page.items = [_result_view(service, hit, query) for hit in results.hits]
    if results.page > 1:
        page.prev_url = url("/", **params, page=results.page - 1)
    if results.page < results.pages:
        page.next_url = url("/", **params, page=results.page + 1)
    return page


def _facet_label(service: SearchService, name: str, value: str) -> str:
    entity = service.lexicon.lookup(value) if name in ("executive", "topic") else None
    if entity is not None:
        return f"{entity.name} · {entity.name_en}"
    return LANG_LABELS.get(value, value)


def _result_view(service: SearchService, hit: Hit, query: str) -> ResultView:
    people = [service.lexicon.entities[i] for i in hit.executives]
    return ResultView(
        hit=hit,
        lang_label=LANG_LABELS.get(hit.lang, hit.lang),
        snippets=[
            (Markup(s.html), url(f"/articles/{hit.id}", q=query) + f"#p{s.passage}")
            for s in hit.snippets
        ],
        executives=[f"{p.name} · {p.name_en}" for p in people],
    )


def article_context(request: Request, view: ArticleView, query: str) -> ArticlePage:
    record = view.record
    by_passage: dict[int, list[Quote]] = {}
    for quote in view.quotes:
        by_passage.setdefault(quote.passage, []).append(quote)
    texts = view.highlighted or [escape(p) for p in record["passages"]]
    passages = [
        PassageView(number=n, html=Markup(html), quotes=by_passage.get(n, []))
        for n, html in enumerate(texts)
    ]
    return ArticlePage(
        title=record["title"],
        record=record,
        lang_label=LANG_LABELS.get(record["lang"], record["lang"]),
        passages=passages,
        executives=[
            (f"{e.name} · {e.name_en}", url("/quotes", speaker=e.id)) for e in view.executives
        ],
        topics=[f"{e.name} · {e.name_en}" for e in view.topics],
        query=query,
        back_url=url("/", q=query) if query else "/",
        json_url=f"/api/articles/{record['id']}",
        raw_url=f"/sources/{record['source_file']}",
    )


def quotes_context(request: Request, service: SearchService, results: QuoteResults) -> QuotesPage:
    entity = service.lexicon.entities.get(results.speaker or "")
    label = f"{entity.name} · {entity.name_en}" if entity else None
    params = {"q": results.query, "speaker": results.speaker}
    return QuotesPage(
        title=f"Quotes of {label}" if label else "Quotes",
        results=results,
        speaker_label=label,
        cards=[(q, f"/articles/{q.article_id}#p{q.passage}") for q in results.quotes],
        prev_url=url("/quotes", **params, page=results.page - 1) if results.page > 1 else None,
        next_url=(
            url("/quotes", **params, page=results.page + 1)
            if results.page * results.per_page < results.total
            else None
        ),
        json_url=url("/api/quotes", **params, page=results.page),
    )


def executives_context(request: Request, people: list[ExecutiveSummary]) -> ExecutivesPage:
    return ExecutivesPage(
        title="Executives",
        people=[(p, url("/quotes", speaker=p.entity.id)) for p in people],
        json_url="/api/executives",
    )


def error_context(request: Request, status: int, message: str) -> dict[str, Any]:
    return {"page": ErrorPage(title=f"Error {status}", status=status, message=message)}


def register_filters(env: Environment) -> None:
    env.filters["lang_label"] = lambda code: LANG_LABELS.get(code, code)
