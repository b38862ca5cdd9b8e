"""FastAPI app: routes only. Each route parses input, calls the SearchService and
renders its result as JSON (views.py) or HTML (pages.py + templates)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from corpus_search import apidocs, pages, reading, views
from corpus_search.config import Settings
from corpus_search.errors import (
    CorpusSearchError,
    IndexMissingError,
    NotFoundError,
    QueryError,
)
from corpus_search.script import COOKIE, COOKIE_MAX_AGE, Converter, Script, choose_script
from corpus_search.search import Filters, SearchService

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_STATUS = {QueryError: 400, NotFoundError: 404, IndexMissingError: 503}


def get_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.service
    return service


def get_display(request: Request) -> Converter:
    """The script Chinese text is shown in: ?script=, else the cookie, else as written."""
    return Converter(choose_script(request.query_params.get("script"), request.cookies.get(COOKIE)))


Service = Annotated[SearchService, Depends(get_service)]
Display = Annotated[Converter, Depends(get_display)]
Page = Annotated[int, Query(description="1-based page number")]
PerPage = Annotated[int, Query(description="Results per page (1-100)")]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def create_app(settings: Settings | None = None, service: SearchService | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="corpus-search",
        description="Bilingual search over news interviews: who said what, where and when.",
        version="0.1.0",
        docs_url=None,  # Swagger UI comes from a CDN: /docs is our own page (apidocs.py)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = service or SearchService(settings)
    templates = Jinja2Templates(directory=str(settings.templates_dir))
    pages.register_filters(templates.env)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    _errors(app, templates)
    _api_routes(app)
    _html_routes(app, templates)
    return app


def _errors(app: FastAPI, templates: Jinja2Templates) -> None:
    def respond(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        page = pages.error_context(request, status, message)
        script = get_display(request).script
        frame = pages.frame_context(request, script, None)
        context = {"page": page, "frame": frame}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    @app.exception_handler(CorpusSearchError)
    async def known(request: Request, exc: CorpusSearchError) -> Response:
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 500)
        return respond(request, status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return respond(request, 422, f"Invalid parameters: {problems}")


def _filters(
    executive: str | None,
    topic: str | None,
    lang: str | None,
    source: str | None,
    year: str | None,
) -> Filters:
    return Filters(
        executive=executive or None,
        topic=topic or None,
        lang=lang or None,
        source=source or None,
        year=year or None,
    )


def _api_routes(app: FastAPI) -> None:
    @app.get(
        "/api/search",
        summary="Search articles",
        response_model=views.SearchResponse,
        responses={400: {"model": views.ErrorResponse}},
    )
    def api_search(
        service: Service,
        q: str = "",
        page: Page = 1,
        per_page: PerPage = 10,
        executive: str | None = None,
        topic: str | None = None,
        lang: str | None = None,
        source: str | None = None,
        year: str | None = None,
        format: str = "json",
    ) -> Response:
        """Articles ranked for a query in Traditional or Simplified Chinese or English, with
        highlighted snippets and facet counts; narrowed by the facet filters. `format=csv`
        returns CSV."""
        filters = _filters(executive, topic, lang, source, year)
        results = service.search(q, page, per_page, filters)
        if format == "csv":
            return _csv(views.search_csv(results))
        return JSONResponse(views.search_json(results))

    @app.get(
        "/api/search.csv",
        summary="Search articles, as CSV",
        response_class=Response,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def api_search_csv(
        service: Service,
        q: str = "",
        page: Page = 1,
        per_page: PerPage = 100,
        executive: str | None = None,
        topic: str | None = None,
        lang: str | None = None,
        source: str | None = None,
        year: str | None = None,
    ) -> Response:
        """The same results as /api/search, as CSV (one row per article)."""
        filters = _filters(executive, topic, lang, source, year)
        return _csv(views.search_csv(service.search(q, page, per_page, filters)))

    @app.get(
        "/api/articles/{article_id}",
        summary="One article",
        response_model=views.ArticleResponse,
        responses={404: {"model": views.ErrorResponse}},
    )
    def api_article(article_id: str, service: Service) -> JSONResponse:
        """An article's metadata, cleaned passages, entities and quotes."""
        return JSONResponse(views.article_json(service.article(article_id)))

    @app.get(
        "/api/quotes",
        summary="Quotes",
        response_model=views.QuotesResponse,
        responses={400: {"model": views.ErrorResponse}},
    )
    def api_quotes(
        service: Service,
        q: str = "",
        speaker: str | None = None,
        page: Page = 1,
        per_page: PerPage = 20,
    ) -> JSONResponse:
        """Quotations with their speakers; `speaker` takes an id or any form of a name."""
        return JSONResponse(views.quotes_json(service.quotes(q, speaker, page, per_page)))

    @app.get("/api/executives", summary="Executives", response_model=views.ExecutivesResponse)
    def api_executives(service: Service) -> JSONResponse:
        """Every person, names in all forms, with article and quote counts."""
        return JSONResponse(views.executives_json(service.executives()))

    @app.get("/healthz", summary="Health", response_model=views.HealthResponse)
    def healthz(service: Service) -> JSONResponse:
        """The server is up and its index is readable: how many articles it holds."""
        return JSONResponse(service.health())


def _csv(text: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="results.csv"'},
    )


def _render(templates: Jinja2Templates, request: Request, name: str, page: Any) -> Response:
    """A page in base.html's frame; a ?script= choice is remembered in a cookie."""
    display = get_display(request)
    frame = pages.frame_context(request, display.script, getattr(page, "json_url", None))
    response = templates.TemplateResponse(request, name, {"page": page, "frame": frame})
    if chosen := Script.parse(request.query_params.get("script")):
        response.set_cookie(COOKIE, chosen.value, max_age=COOKIE_MAX_AGE, samesite="lax")
    return response


def _html_routes(app: FastAPI, templates: Jinja2Templates) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(
        request: Request,
        service: Service,
        display: Display,
        q: str = "",
        page: Page = 1,
        per_page: PerPage = 10,
        executive: str | None = None,
        topic: str | None = None,
        lang: str | None = None,
        source: str | None = None,
        year: str | None = None,
    ) -> Response:
        filters = _filters(executive, topic, lang, source, year)
        results = service.search(q, page, per_page, filters) if q.strip() else None
        context = pages.search_context(request, service, display, q, results, filters, per_page)
        return _render(templates, request, "search.html", context)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article(
        request: Request, article_id: str, service: Service, display: Display, q: str = ""
    ) -> Response:
        view = service.article(article_id, q or None)
        context = reading.article_context(request, service, display, view, q)
        return _render(templates, request, "article.html", context)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes(
        request: Request,
        service: Service,
        display: Display,
        q: str = "",
        speaker: str | None = None,
        page: Page = 1,
        per_page: PerPage = 20,
    ) -> Response:
        results = service.quotes(q, speaker, page, per_page)
        context = reading.quotes_context(request, service, display, results, per_page)
        return _render(templates, request, "quotes.html", context)

    @app.get("/executives", response_class=HTMLResponse, include_in_schema=False)
    def executives(request: Request, service: Service, display: Display) -> Response:
        context = pages.executives_context(request, display, service.executives())
        return _render(templates, request, "executives.html", context)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request, service: Service) -> Response:
        examples = {
            "/api/search": "/api/search?q=%E5%BC%B5%E5%8B%87",
            "/api/search.csv": "/api/search.csv?q=%E5%BC%B5%E5%8B%87",
            "/api/quotes": "/api/quotes?speaker=zhang-yong",
            "/api/executives": "/api/executives",
            "/healthz": "/healthz",
        }
        first = service.quotes(None, None, 1, 1).quotes
        if first:
            examples["/api/articles/{article_id}"] = f"/api/articles/{first[0].article_id}"
        context = apidocs.docs_context(app.openapi(), examples)
        return _render(templates, request, "docs.html", context)

    @app.get("/sources/{source_file}", include_in_schema=False)
    def raw_source(source_file: str, service: Service) -> Response:
        return Response(service.raw_source(source_file), media_type="text/plain; charset=utf-8")
