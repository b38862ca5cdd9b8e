"""Query parameters checked before a route runs, the same way on every route.

- A parameter given twice (``executive=a&executive=b``) is a 400 naming it: each
  takes one value, and silently keeping one of them would answer another question.
- Under /api/ an unknown parameter (a typo such as ``exective=``) is a 400 naming
  it, with the parameters the endpoint takes; pages ignore unknown parameters
  (links from elsewhere carry tracking parameters).
- A blank value (empty or spaces only) means "no filter", for every filter and
  for ``speaker`` (``deps.blank_to_none``).
- A query of stop words alone (``the``, ``the of and``) is a 400 explaining that
  such words are not searched on their own, on every route that searches.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request

from corpus_search.errors import NotFoundError, QueryError
from corpus_search.search import SearchService

__all__ = ["no_repeats", "only_known", "check_query", "declared", "safe_name", "clip", "ECHO_LIMIT"]

_WORD = re.compile(r"\w")
_QUOTE_MARKS = re.compile(r'["“”「」]')
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\]|^[/~]|(^|/)\.\.?(/|$)|//")
NAME_SHOWN = 40
ECHO_LIMIT = 80  # characters of the user's input repeated in a message


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _name(name: str) -> str:
    return repr(clip(name, NAME_SHOWN))


async def no_repeats(request: Request) -> None:
    for name in dict.fromkeys(request.query_params.keys()):
        times = len(request.query_params.getlist(name))
        if times > 1:
            raise QueryError(
                f"Parameter {_name(name)} is given {times} times: give it once "
                "(each parameter takes one value)."
            )


def declared(request: Request) -> list[str]:
    """The query parameters the matched route takes, as its OpenAPI schema lists them."""
    route = request.scope.get("route")
    operations: dict[str, Any] = request.app.openapi()["paths"].get(getattr(route, "path", ""), {})
    operation = operations.get(request.method.lower(), {})
    return [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]


async def only_known(request: Request) -> None:
    known = declared(request)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        takes = ", ".join(known) if known else "no parameters"
        raise QueryError(
            f"Unknown parameter {_name(unknown[0])} for {request.url.path}: it takes {takes} "
            "(see /docs)."
        )


def check_query(service: SearchService, q: str) -> None:
    """A QueryError for a query of stop words alone (other problems are the service's)."""
    text = q.strip()
    if not text or len(text) > service.settings.max_query_length:
        return
    if not _WORD.search(text) or _QUOTE_MARKS.search(text):
        return  # punctuation alone, or a phrase: the service explains or searches it
    if service.generation().builder.terms(text):
        return
    raise QueryError(
        f"{clip(text)!r} has only common words (stop words such as the, of, and), which are not "
        'searched on their own: add a more specific word, or put the words in "quotes" to '
        "search for them as a phrase."
    )


def safe_name(name: str, what: str, folders: bool = False) -> None:
    """A 404 for an article id or source file name that could reach outside its
    place: ``..``, an absolute path, a backslash, a control character (and a slash
    at all in an id). Lookups are by name in the index, never by path; this refuses
    such names before they get that far."""
    if _UNSAFE_NAME.search(name) or (not folders and "/" in name) or not name:
        raise NotFoundError(f"No {what} is called {clip(name)!r}.")
