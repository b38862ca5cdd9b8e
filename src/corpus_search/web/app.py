"""FastAPI app: routes only. Each route parses input, calls the SearchService and
renders its result as JSON (views.py) or HTML (pages.py + templates).

Around the routes: `Guard` (security headers on every response, a last-resort
500), `RequestBudget` (one time budget per request, cancelled when the client
goes: cancel.py), the error handlers (handlers.py) and the parameter checks
(params.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from corpus_search.config import Settings
from corpus_search.search import SearchService
from corpus_search.web import api, apidocs, handlers, pages, people, reading
from corpus_search.web.cancel import RequestBudget
from corpus_search.web.deps import (
    Display,
    FilterParams,
    Page,
    PerPage,
    Service,
    Speaker,
    get_display,
)
from corpus_search.web.guard import Guard
from corpus_search.web.params import check_query, no_repeats, safe_name
from corpus_search.web.script import COOKIE, COOKIE_MAX_AGE, Script

__all__ = ["create_app", "app_from_env", "router"]

SEARCH_THREADS = 2  # requests a worker process answers at once (more wait their turn)
STATIC_DIR = Path(__file__).resolve().parent / "static"
DESCRIPTION = (
    "Bilingual search over news interviews: who said what, where and when. "
    "Every parameter takes one value: one given twice is refused (400), and so is, "
    "under /api/, one the endpoint does not take. A blank filter (empty or spaces) "
    "means no filter. A query of stop words alone (the, of, and) is refused (400): add "
    'a more specific word, or "quote" the words to search for them as a phrase. '
    'Every error under /api/ is JSON: {"error": message, "status": code}.'
)
router = APIRouter(include_in_schema=False, dependencies=[Depends(no_repeats)])


def create_app(settings: Settings | None = None, service: SearchService | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    service = service or SearchService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Searches are CPU-bound and share one interpreter lock: a few threads keep
        # a worker busy; more only stretch every request and hold more memory.
        to_thread.current_default_thread_limiter().total_tokens = SEARCH_THREADS
        await run_in_threadpool(service.warm_up)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="corpus-search",
        description=DESCRIPTION,
        version="0.1.0",
        docs_url=None,  # Swagger UI comes from a CDN: /docs is our own page (apidocs.py)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = service
    templates = Jinja2Templates(directory=str(settings.templates_dir))
    pages.register_filters(templates.env)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(RequestBudget, service=lambda: service)
    app.add_middleware(Guard, on_error=handlers.install(app, templates))
    app.include_router(api.router)
    app.include_router(router)
    app.openapi = _constrained(app.openapi, settings)  # type: ignore[method-assign]
    return app


def _constrained(
    build: Callable[[], dict[str, Any]], settings: Settings
) -> Callable[[], dict[str, Any]]:
    """The app's OpenAPI schema with the limits that come from its settings."""

    def openapi() -> dict[str, Any]:
        return apidocs.constrain(build(), settings)

    return openapi


def app_from_env() -> FastAPI:
    """The app for a server worker process (``serve --workers``): settings from the
    environment."""
    return create_app(Settings.from_env())


def _render(request: Request, name: str, page: Any) -> Response:
    """A page in base.html's frame; a ?script= choice is remembered in a cookie."""
    templates: Jinja2Templates = request.app.state.templates
    display = get_display(request)
    frame = pages.frame_context(request, display.script, getattr(page, "json_url", None))
    response = templates.TemplateResponse(request, name, {"page": page, "frame": frame})
    if chosen := Script.parse(request.query_params.get("script")):
        response.set_cookie(
            COOKIE, chosen.value, max_age=COOKIE_MAX_AGE, samesite="lax", httponly=True
        )
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    service: Service,
    display: Display,
    filters: FilterParams,
    q: str = "",
    page: Page = 1,
    per_page: PerPage = 10,
) -> Response:
    results = None
    if q.strip():
        check_query(service, q)
        results = service.search(q, page, per_page, filters)
    context = pages.search_context(request, service, display, q, results, filters, per_page)
    return _render(request, "search.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(
    request: Request, article_id: str, service: Service, display: Display, q: str = ""
) -> Response:
    safe_name(article_id, "article")
    view, note = reading.load_article(service, article_id, q)
    context = reading.article_context(request, service, display, view, q, note)
    return _render(request, "article.html", context)


@router.get("/quotes", response_class=HTMLResponse)
def quotes(
    request: Request,
    service: Service,
    display: Display,
    q: str = "",
    speaker: Speaker = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> Response:
    check_query(service, q)
    results = service.quotes(q, speaker, page, per_page)
    context = reading.quotes_context(request, service, display, results, per_page)
    return _render(request, "quotes.html", context)


@router.get("/executives", response_class=HTMLResponse)
def executives(request: Request, service: Service, display: Display, page: Page = 1) -> Response:
    context = people.executives_context(request, display, service.executives(), page)
    return _render(request, "executives.html", context)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request, service: Service) -> Response:
    examples = {
        "/api/search": "/api/search?q=%E5%BC%B5%E5%8B%87",
        "/api/search.csv": "/api/search.csv?q=%E5%BC%B5%E5%8B%87",
        "/api/quotes": "/api/quotes?speaker=zhang-yong",
        "/api/executives": "/api/executives",
        "/healthz": "/healthz",
    }
    first = service.quotes(None, None, 1, 1).quotes  # one stored record, not a scan
    if first:
        examples["/api/articles/{article_id}"] = f"/api/articles/{first[0].article_id}"
    context = apidocs.docs_context(request.app.openapi(), examples)
    return _render(request, "docs.html", context)


@router.get("/sources/{source_file:path}")
def raw_source(source_file: str, service: Service) -> Response:
    safe_name(source_file, "source file", folders=True)
    return Response(service.raw_source(source_file), media_type="text/plain; charset=utf-8")
