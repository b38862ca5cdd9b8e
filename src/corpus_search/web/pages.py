"""What each HTML page shows, computed in Python: templates only loop and test.

Each page's context is a dataclass; URLs, labels, highlighted fragments, charts
and script conversion (繁/简/原文) are done here (never in Jinja), from the same
result objects the JSON API returns. This module has the frame, the shared link
helpers and the search page; the article and quotes pages live in ``reading.py``,
the executives page in ``people.py``, error pages in ``handlers.py`` and the API
reference in ``apidocs.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from jinja2 import Environment
from markupsafe import Markup

from corpus_search.lexicon import Entity
from corpus_search.models import FacetValue, Hit, SearchResults
from corpus_search.search import Filters, SearchService
from corpus_search.web import suggest
from corpus_search.web.charts import Bar, bar_chart
from corpus_search.web.script import Converter, Script, ToggleLink, toggle_links, written_lang
from corpus_search.web.views import article_url, last_page

__all__ = [
    "Link",
    "Frame",
    "SearchPage",
    "frame_context",
    "search_context",
    "entity_link",
    "pager",
    "past_end",
    "url",
    "register_filters",
    "LANG_LABELS",
]

LANG_LABELS = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}
FACET_TITLES = {
    "executive": "Executive",
    "topic": "Topic",
    "lang": "Language",
    "source": "Publication",
    "year": "Year",
}
FACETS_SHOWN = 6
# A facet lists at most this many values (the rest are counted, not listed): at 10,000
# news articles a common word's results name over a thousand people, and listing them
# all took 50 ms of the page and 200 KB of it.
FACETS_LISTED = 60
CHART_BARS = 8
PER_PAGE = 10
EXAMPLES = ("張勇", "直播", "Double 11", '"flexible production"', "家洛 經營力", "马云")
NAV = (("Search", "/"), ("Quotes", "/quotes"), ("Executives", "/executives"), ("API", "/docs"))


def url(path: str, **params: Any) -> str:
    """``path`` with the given query parameters; empty ones and page 1 are left out."""
    clean = {
        k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)
    }
    return f"{path}?{urlencode(clean)}" if clean else path


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    lang: str | None = None  # `lang` of the label when it differs from the page's
    count: int | None = None
    current: bool = False
    note: str = ""  # a longer description (title attribute)


@dataclass
class Frame:
    """What base.html shows around every page."""

    nav: list[Link]
    scripts: list[ToggleLink]
    script: Script
    json_url: str | None


def frame_context(
    request: Request, script: Script, json_url: str | None, limit: int | None = None
) -> Frame:
    """The frame of a page; with ``limit`` (an error page), its script links leave out
    parameter values longer than that, and lead to / from a path longer than that."""
    path = request.url.path
    section = "/" + path.strip("/").split("/")[0] if path != "/" else "/"
    section = {"/articles": "/"}.get(section, section)
    params = request.query_params.multi_items()
    if limit is not None:
        params = [(k, v) for k, v in params if len(k) + len(v) <= limit]
        path = path if len(path) <= limit else "/"
    return Frame(
        nav=[Link(label, href, current=href == section) for label, href in NAV],
        scripts=toggle_links(path, params, script),
        script=script,
        json_url=json_url,
    )


def entity_link(display: Converter, entity: Entity, href: str, count: int | None = None) -> Link:
    """A person or topic as `中文名 · English name`, in the chosen script."""
    both = entity.name != entity.name_en
    label = f"{entity.name} · {entity.name_en}" if both else entity.name
    return Link(display.text(label), href, display.lang("zh-Hant"), count, note=entity.title)


def pager(path: str, params: dict[str, Any], page: int, pages: int) -> list[Link]:
    """Numbered page links: the first, the last, and two either side of the current one."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[Link] = []
    for n in shown:
        if links and n - int(links[-1].label) > 1:
            links.append(Link("…", ""))
        links.append(Link(str(n), url(path, **params, page=n), current=n == page))
    return links if pages > 1 else []


def past_end(path: str, params: dict[str, Any], page: int, pages: int, total: int) -> Link | None:
    """For a page past the last one: what happened, and a link to the last page."""
    if not total or page <= pages:
        return None
    results = f"{total} result{'s' if total != 1 else ''}"
    fill = f"fill{'s' if total == 1 else ''} {pages} page{'s' if pages != 1 else ''}"
    return Link(
        f"Go to the last page ({pages})",
        url(path, **params, page=pages),
        note=f"Page {page} is past the end: the {results} {fill}.",
    )


def paging(
    path: str, params: dict[str, Any], page: int, per_page: int, total: int, shown: int
) -> dict[str, Any]:
    """What a paged list shows around its items (``shown`` of them on ``page``): the
    page links, previous and next, the way back from past the end, and "11–20 of 57"."""
    pages = last_page(total, per_page)
    first = (page - 1) * per_page
    return {
        "pages": pager(path, params, page, pages),
        "prev_url": url(path, **params, page=min(page - 1, pages)) if page > 1 else None,
        "next_url": url(path, **params, page=page + 1) if page < pages else None,
        "past_end": past_end(path, params, page, pages, total),
        "range_label": f"{first + 1}–{first + shown} of {total}" if shown else "",
    }


# -- search ---------------------------------------------------------------------


@dataclass
class SnippetView:
    html: Markup
    url: str
    label: str  # "¶ 7"


@dataclass
class ResultView:
    rank: int
    title: str
    url: str
    lang: str  # `lang` of the title and snippets as shown
    lang_code: str  # the article's language as written
    lang_label: str
    source: str
    date: str
    source_file: str
    executives: list[Link]
    snippets: list[SnippetView]


@dataclass
class FacetGroup:
    name: str
    title: str
    shown: list[Link]
    more: list[Link]
    unlisted: int = 0  # values with fewer results, not listed


@dataclass
class SearchPage:
    title: str
    query: str  # as typed (the search box keeps it)
    query_label: str = ""  # as shown, in the chosen script
    searched: bool = False
    total: int = 0
    took_ms: float = 0.0
    range_label: str = ""
    items: list[ResultView] = field(default_factory=list)
    facets: list[FacetGroup] = field(default_factory=list)
    charts: list[tuple[str, Markup]] = field(default_factory=list)  # (caption, svg)
    active_filters: list[Link] = field(default_factory=list)  # each links to its removal
    pages: list[Link] = field(default_factory=list)
    prev_url: str | None = None
    next_url: str | None = None
    did_you_mean: list[Link] = field(default_factory=list)
    relaxed: list[Link] = field(default_factory=list)  # the query with one term left out
    unfiltered: Link | None = None  # the same query without its filters
    examples: list[Link] = field(default_factory=list)
    json_url: str | None = None
    csv_url: str | None = None
    past_end: Link | None = None  # a page past the last: the way back to the last one
    missing_shards: list[str] = field(default_factory=list)  # shards that did not answer


def _params(query: str, filters: Filters, per_page: int) -> dict[str, Any]:
    return {"q": query, **filters.as_dict(), "per_page": per_page if per_page != PER_PAGE else None}


def search_context(
    request: Request,
    service: SearchService,
    display: Converter,
    query: str,
    results: SearchResults | None,
    filters: Filters,
    per_page: int = PER_PAGE,
) -> SearchPage:
    page = SearchPage(title=query or "Search", query=query, query_label=display.text(query))
    if results is None:
        page.examples = [
            Link(
                display.text(e),
                url("/", q=display.text(e)),
                None if e.isascii() else display.lang(written_lang(e)),
            )
            for e in EXAMPLES
        ]
        return page
    params = _params(query, filters, per_page)
    page.searched, page.total, page.took_ms = True, results.total, results.took_ms
    page.missing_shards = results.missing_shards
    page.json_url = url("/api/search", **params, page=results.page)
    page.csv_url = url("/api/search.csv", **params, page=results.page)
    page.active_filters = [
        Link(
            f"{FACET_TITLES[k]}: {_value_label(service, display, k, v)}",
            url("/", **{**params, k: None}),
        )
        for k, v in filters.as_dict().items()
    ]
    page.facets = _facets(display, results, params)
    page.charts = _charts(display, results)
    first = (results.page - 1) * results.per_page
    page.items = [
        _result_view(service, display, hit, query, params, first + i + 1)
        for i, hit in enumerate(results.hits)
    ]
    shown = len(page.items)
    for name, value in paging(
        "/", params, results.page, results.per_page, results.total, shown
    ).items():
        setattr(page, name, value)
    if results.total == 0:
        _help_for_nothing(page, service, display, query, filters, params)
    return page


def _value_label(service: SearchService, display: Converter, name: str, value: str) -> str:
    entity = service.lexicon.lookup(value) if name in ("executive", "topic") else None
    if entity is not None:
        return entity_link(display, entity, "").label
    return display.text(LANG_LABELS.get(value, value))


def _facet_link(display: Converter, name: str, f: FacetValue, params: dict[str, Any]) -> Link:
    current = params.get(name) == f.value
    label = LANG_LABELS.get(f.value, f.label) if name == "lang" else f.label
    lang = f.value if name == "lang" else "zh-Hant" if name in ("executive", "topic") else None
    target = url("/", **{**params, name: None if current else f.value})
    note = "Remove this filter" if current else f"Show only these {f.count}"
    return Link(
        display.text(label), target, display.lang(lang) if lang else None, f.count, current, note
    )


def _facets(display: Converter, results: SearchResults, params: dict[str, Any]) -> list[FacetGroup]:
    groups = []
    for name, title in FACET_TITLES.items():
        values = results.facets.get(name) or []
        if name == "year":
            values = sorted(values, key=lambda f: f.value, reverse=True)
        links = [_facet_link(display, name, f, params) for f in _listed(values, params.get(name))]
        if links:
            shown, more = links[:FACETS_SHOWN], links[FACETS_SHOWN:]
            groups.append(FacetGroup(name, title, shown, more, len(values) - len(links)))
    return groups


def _listed(values: list[FacetValue], current: str | None) -> list[FacetValue]:
    """The values a facet lists: the FACETS_LISTED with most results (they come largest
    first; years, newest first), and the value filtered on wherever it falls."""
    listed = values[:FACETS_LISTED]
    chosen = [f for f in values[FACETS_LISTED:] if f.value == current]
    return listed + chosen


def _charts(display: Converter, results: SearchResults) -> list[tuple[str, Markup]]:
    if not results.total:
        return []
    years = sorted(results.facets.get("year") or [], key=lambda f: f.value)
    bars = [Bar(f.value, f.count) for f in years]
    undated = results.total - sum(f.count for f in years)
    if undated:
        bars.append(Bar("no date", undated, muted=True))
    people = [
        Bar(display.text(f.label), f.count, display.lang("zh-Hant"))
        for f in (results.facets.get("executive") or [])[:CHART_BARS]
    ]
    charts = [("Per year", bar_chart("chart-year", "Results per year", bars))]
    if people:
        chart = bar_chart("chart-executive", "Results per executive", people)
        charts.append(("Per executive", chart))
    return charts


def _result_view(
    service: SearchService,
    display: Converter,
    hit: Hit,
    query: str,
    params: dict[str, Any],
    rank: int,
) -> ResultView:
    link = url(article_url(hit.id), q=query)
    people = [service.lexicon.entities[i] for i in hit.executives if i in service.lexicon.entities]
    return ResultView(
        rank=rank,
        title=display.text(hit.title),
        url=link,
        lang=display.lang(hit.lang),
        lang_code=hit.lang,
        lang_label=display.text(LANG_LABELS.get(hit.lang, hit.lang)),
        source=display.text(hit.source),
        date=hit.date or "",
        source_file=hit.source_file,
        executives=[
            entity_link(display, p, url("/", **{**params, "executive": p.id})) for p in people
        ],
        snippets=[
            SnippetView(display.html(s.html), f"{link}#p{s.passage}", f"¶ {s.passage}")
            for s in hit.snippets
        ],
    )


def _help_for_nothing(
    page: SearchPage,
    service: SearchService,
    display: Converter,
    query: str,
    filters: Filters,
    params: dict[str, Any],
) -> None:
    """No results: spelling suggestions, the query with a term left out, no filters."""

    def link(s: suggest.Suggestion, note: str = "") -> Link:
        href = url("/", **{**params, "q": s.query})
        return Link(display.text(s.query), href, count=s.total, note=display.text(note))

    page.did_you_mean = [link(s) for s in suggest.did_you_mean(service, query, filters)]
    page.relaxed = [
        link(s, f"without {s.dropped}") for s in suggest.drop_one_term(service, query, filters)
    ]
    if filters.as_dict():
        total = suggest.count(service, query, Filters())
        if total:
            page.unfiltered = Link(display.text(query), url("/", q=query), count=total)


def register_filters(env: Environment) -> None:
    env.filters["lang_label"] = lambda code: LANG_LABELS.get(code, code)
