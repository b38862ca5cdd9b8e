"""FastAPI dependencies and parameter types shared by the JSON and HTML routes.

Each parameter states its constraints, so the OpenAPI schema states them too:
page ≥ 1, per_page ≥ 1 (its upper bound is a setting: see ``apidocs.constrain``),
the languages and formats as enums, a non-blank ``q`` where a query is required.
A blank filter (empty or spaces only) means no filter.

The dependencies are ``async def``: they only read the request, and FastAPI runs
a plain ``def`` dependency in its thread pool, a hand-off to a thread and back for
each. An API request made five such trips before its search (3-4 ms of a request
that searched in 2).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from pydantic import BeforeValidator, Field, StringConstraints

from corpus_search.search import Filters, SearchService
from corpus_search.web.script import COOKIE, Converter, choose_script

__all__ = [
    "Service",
    "Display",
    "Page",
    "PerPage",
    "FilterParams",
    "RequiredQuery",
    "Speaker",
    "Format",
    "get_service",
    "get_display",
    "blank_to_none",
    "NAME_LENGTH",
]

NAME_LENGTH = 200  # longest name, topic or publication a filter takes


async def get_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.service
    return service


def get_display(request: Request) -> Converter:
    """The script Chinese text is shown in: ?script=, else the cookie, else as written."""
    return Converter(choose_script(request.query_params.get("script"), request.cookies.get(COOKIE)))


async def display(request: Request) -> Converter:
    return get_display(request)


def blank_to_none(value: Any) -> Any:
    """A value without its surrounding spaces; blank means "not given"."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _json_when_blank(value: Any) -> Any:
    return blank_to_none(value) or "json"


Blank = BeforeValidator(blank_to_none)


Name = Annotated[str, StringConstraints(max_length=NAME_LENGTH)]
Executive = Annotated[Name | None, Blank, Query(description="A person: id or any form of the name")]
Topic = Annotated[Name | None, Blank, Query(description="A topic or event: id or any form")]
Source = Annotated[Name | None, Blank, Query(description="Publication, as in the facets")]
Speaker = Annotated[
    Name | None,
    Blank,
    Query(description="Only quotes of this person: an id or any form of the name"),
]
Lang = Annotated[
    Literal["zh-Hant", "zh-Hans", "en"] | None, Blank, Query(description="zh-Hant, zh-Hans or en")
]
Year = Annotated[
    Annotated[int, Field(ge=1, le=9999)] | None, Blank, Query(description="Year of publication")
]


async def filter_params(
    executive: Executive = None,
    topic: Topic = None,
    lang: Lang = None,
    source: Source = None,
    year: Year = None,
) -> Filters:
    """The facet filters; blank values mean no filter."""
    return Filters(
        executive=executive,
        topic=topic,
        lang=lang,
        source=source,
        year=None if year is None else str(year),
    )


Service = Annotated[SearchService, Depends(get_service)]
Display = Annotated[Converter, Depends(display)]
FilterParams = Annotated[Filters, Depends(filter_params)]
Page = Annotated[int, Query(ge=1, description="1-based page number")]
PerPage = Annotated[int, Query(ge=1, description="Results per page (1 to the maximum)")]
RequiredQuery = Annotated[
    str,
    Query(
        min_length=1,
        pattern=r"\S",
        description='The query (not blank): every word must occur; "…" makes a phrase.',
    ),
]
Format = Annotated[
    Literal["json", "csv"],
    BeforeValidator(_json_when_blank),
    Query(description="json, or csv for the same results as CSV"),
]
