"""The JSON API: routes only. Field names and parameters are contracts.

Every route refuses a parameter given twice, and a parameter it does not take
(``params.py``); every error is ``{"error", "status"}`` (``handlers.py``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from corpus_search.web import views
from corpus_search.web.deps import (
    FilterParams,
    Format,
    Page,
    PerPage,
    RequiredQuery,
    Service,
    Speaker,
)
from corpus_search.web.params import check_query, no_repeats, only_known, safe_name

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(no_repeats), Depends(only_known)])
_ERROR: dict[str, Any] = {"model": views.ErrorResponse}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        **_ERROR,
        "description": "A bad query or parameter: of the wrong type, out of its range, "
        "unknown, or given twice",
    },
    "4XX": {**_ERROR, "description": "Another client error (405: a method other than GET)"},
    500: {**_ERROR, "description": "An unexpected failure (a generic message)"},
    503: {**_ERROR, "description": "No index has been built yet"},
}


@router.get(
    "/api/search",
    summary="Search articles",
    response_model=views.SearchResponse,
    responses={200: {"content": {"text/csv": {}}}, **_ERRORS},
)
def api_search(
    service: Service,
    filters: FilterParams,
    q: RequiredQuery,
    page: Page = 1,
    per_page: PerPage = 10,
    format: Format = "json",
) -> Response:
    """Articles ranked for a query in Traditional or Simplified Chinese or English, with
    highlighted snippets and facet counts; narrowed by the facet filters. `format=csv`
    returns CSV. A page past the end has no results, the true `total` and `last_page`."""
    check_query(service, q)
    results = service.search(q, page, per_page, filters)
    if format == "csv":
        return csv_response(views.search_csv(results))
    return views.SafeJSONResponse(views.search_json(results))


@router.get(
    "/api/search.csv",
    summary="Search articles, as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **_ERRORS},
)
def api_search_csv(
    service: Service,
    filters: FilterParams,
    q: RequiredQuery,
    page: Page = 1,
    per_page: PerPage = 100,
) -> Response:
    """The same results as /api/search, as CSV (one row per article), UTF-8 with a byte
    order mark; a cell that a spreadsheet would run as a formula starts with `'`."""
    check_query(service, q)
    return csv_response(views.search_csv(service.search(q, page, per_page, filters)))


@router.get(
    "/api/articles/{article_id}",
    summary="One article",
    response_model=views.ArticleResponse,
    responses={404: {**_ERROR, "description": "No article has this id"}, **_ERRORS},
)
def api_article(article_id: str, service: Service) -> views.SafeJSONResponse:
    """An article's metadata, cleaned passages, entities and quotes."""
    safe_name(article_id, "article")
    return views.SafeJSONResponse(views.article_json(service.article(article_id)))


@router.get("/api/quotes", summary="Quotes", response_model=views.QuotesResponse, responses=_ERRORS)
def api_quotes(
    service: Service,
    q: str = "",
    speaker: Speaker = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> views.SafeJSONResponse:
    """Quotations with their speakers; `speaker` takes an id or any form of a name (blank:
    everyone). Without `q`, every quote is listed."""
    check_query(service, q)
    return views.SafeJSONResponse(views.quotes_json(service.quotes(q, speaker, page, per_page)))


@router.get(
    "/api/executives",
    summary="Executives",
    response_model=views.ExecutivesResponse,
    responses=_ERRORS,
)
def api_executives(service: Service) -> views.SafeJSONResponse:
    """Every person, names in all forms, with article and quote counts."""
    return views.SafeJSONResponse(views.executives_json(service.executives()))


@router.get(
    "/healthz",
    summary="Health",
    response_model=views.HealthResponse,
    responses=_ERRORS,
)
def healthz(service: Service) -> views.SafeJSONResponse:
    """The server is up and its index is readable: how many articles it holds."""
    return views.SafeJSONResponse(service.health())


def csv_response(text: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="results.csv"'},
    )
