"""The JSON API: routes only. Field names and parameters are contracts."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from corpus_search.web import views
from corpus_search.web.deps import FilterParams, Page, PerPage, Service

__all__ = ["router"]

router = APIRouter()
_ERRORS = {400: {"model": views.ErrorResponse}, 422: {"model": views.ErrorResponse}}


@router.get(
    "/api/search",
    summary="Search articles",
    response_model=views.SearchResponse,
    responses=_ERRORS,
)
def api_search(
    service: Service,
    filters: FilterParams,
    q: str = "",
    page: Page = 1,
    per_page: PerPage = 10,
    format: str = "json",
) -> Response:
    """Articles ranked for a query in Traditional or Simplified Chinese or English, with
    highlighted snippets and facet counts; narrowed by the facet filters. `format=csv`
    returns CSV."""
    results = service.search(q, page, per_page, filters)
    if format == "csv":
        return csv_response(views.search_csv(results))
    return JSONResponse(views.search_json(results))


@router.get(
    "/api/search.csv",
    summary="Search articles, as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **_ERRORS},
)
def api_search_csv(
    service: Service, filters: FilterParams, q: str = "", page: Page = 1, per_page: PerPage = 100
) -> Response:
    """The same results as /api/search, as CSV (one row per article)."""
    return csv_response(views.search_csv(service.search(q, page, per_page, filters)))


@router.get(
    "/api/articles/{article_id}",
    summary="One article",
    response_model=views.ArticleResponse,
    responses={404: {"model": views.ErrorResponse}},
)
def api_article(article_id: str, service: Service) -> JSONResponse:
    """An article's metadata, cleaned passages, entities and quotes."""
    return JSONResponse(views.article_json(service.article(article_id)))


@router.get("/api/quotes", summary="Quotes", response_model=views.QuotesResponse, responses=_ERRORS)
def api_quotes(
    service: Service,
    q: str = "",
    speaker: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> JSONResponse:
    """Quotations with their speakers; `speaker` takes an id or any form of a name."""
    return JSONResponse(views.quotes_json(service.quotes(q, speaker, page, per_page)))


@router.get("/api/executives", summary="Executives", response_model=views.ExecutivesResponse)
def api_executives(service: Service) -> JSONResponse:
    """Every person, names in all forms, with article and quote counts."""
    return JSONResponse(views.executives_json(service.executives()))


@router.get("/healthz", summary="Health", response_model=views.HealthResponse)
def healthz(service: Service) -> JSONResponse:
    """The server is up and its index is readable: how many articles it holds."""
    return JSONResponse(service.health())


def csv_response(text: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="results.csv"'},
    )
