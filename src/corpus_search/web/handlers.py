"""Every error in the shape of its route: JSON under /api/ and /healthz, a page elsewhere.

The JSON shape is the API's contract: ``{"error": message, "status": code}``, for
a bad parameter (400, whether its type, its range or its value is wrong: one
status, as ``per_page=0`` and ``per_page=1000`` are the same mistake), an unknown
address (404), a wrong method (405), a missing index (503) and an unexpected
failure (500, a generic message: the traceback goes to the log only). Input
repeated in a message is cut short, so a 100 KB parameter does not come back as a
100 KB answer. A refused search is shown with its search box, to correct it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from corpus_search.errors import CorpusSearchError, IndexMissingError, NotFoundError, QueryError
from corpus_search.web import pages
from corpus_search.web.deps import get_display
from corpus_search.web.params import ECHO_LIMIT, clip
from corpus_search.web.views import SafeJSONResponse

__all__ = [
    "install",
    "wants_json",
    "clip_echoes",
    "validation_message",
    "ErrorPage",
    "error_context",
]

MESSAGE_LIMIT = 600  # the longest message, whatever it repeats
STATUS = {QueryError: 400, NotFoundError: 404, IndexMissingError: 503}
UNEXPECTED = "Something went wrong on our side; it has been logged. Please try again later."


SEARCH_FORMS = {"/": "Search articles", "/quotes": "Search quotes"}
QUERY_SHOWN = 500  # characters of a refused query put back in the search box


@dataclass
class ErrorPage:
    title: str
    status: int
    message: str
    json_url: str | None = None
    search_action: str | None = None  # a search box to try again (a bad query)
    search_label: str = ""
    query: str = ""


def error_context(request: Request, status: int, message: str) -> ErrorPage:
    page = ErrorPage(title=f"Error {status}", status=status, message=message)
    path = request.url.path
    if status == 400 and path in SEARCH_FORMS:
        page.search_action, page.search_label = path, SEARCH_FORMS[path]
        page.query = request.query_params.get("q", "")[:QUERY_SHOWN]
    return page


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/healthz"


def clip_echoes(message: str, request: Request) -> str:
    """The message with each long parameter value it repeats cut short."""
    values = [*request.query_params.values(), *map(str, request.path_params.values())]
    for value in sorted(set(values), key=len, reverse=True):
        if len(value) > ECHO_LIMIT:
            for form in {value, value.strip(), repr(value)[1:-1], repr(value.strip())[1:-1]}:
                message = message.replace(form, clip(form))
    return clip(message, MESSAGE_LIMIT)


def _problem(error: dict[str, Any]) -> str:
    name = str(error["loc"][-1]) if error.get("loc") else "request"
    if error.get("type") == "missing":
        return f"{name} is required"
    if name == "q" and error.get("type") in ("string_too_short", "string_pattern_mismatch"):
        return "q is empty: type a name, a topic or a phrase to search for"
    return f"{name}: {error.get('msg', 'invalid')}"


def validation_message(exc: RequestValidationError) -> str:
    return "Invalid parameters: " + "; ".join(_problem(e) for e in exc.errors()) + "."


def _http_message(request: Request, exc: HTTPException) -> str:
    path = clip(request.url.path)
    if exc.status_code == 404 and wants_json(request):
        return f"No API endpoint at {path}: the endpoints are listed at /docs and /openapi.json."
    if exc.status_code == 404:
        return f"There is no page at {path}. Search from the start page, or see /docs."
    if exc.status_code == 405:
        return f"{request.method} is not allowed at {path}: use GET."
    return str(exc.detail)


def install(app: FastAPI, templates: Jinja2Templates) -> Any:
    """Register the handlers; return the one for unexpected exceptions (for `Guard`)."""

    def respond(request: Request, status: int, message: str, **headers: str) -> Response:
        message = clip_echoes(message, request)
        if wants_json(request):
            body = {"error": message, "status": status}
            return SafeJSONResponse(body, status_code=status, headers=headers or None)
        page = error_context(request, status, message)
        script = get_display(request).script
        frame = pages.frame_context(request, script, None, limit=QUERY_SHOWN)
        context = {"page": page, "frame": frame}
        return templates.TemplateResponse(
            request, "error.html", context, status_code=status, headers=headers or None
        )

    @app.exception_handler(CorpusSearchError)
    async def known(request: Request, exc: CorpusSearchError) -> Response:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 500)
        return respond(request, status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 400, validation_message(exc))

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        return respond(request, exc.status_code, _http_message(request, exc), **(exc.headers or {}))

    def unexpected(request: Request, exc: Exception) -> Response:
        try:
            return respond(request, 500, UNEXPECTED)
        except Exception:  # the error page itself failed: plain words, still no traceback
            return PlainTextResponse(UNEXPECTED, status_code=500)

    return unexpected
