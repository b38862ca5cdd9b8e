"""FastAPI dependencies shared by the JSON and HTML routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from corpus_search.search import Filters, SearchService
from corpus_search.web.script import COOKIE, Converter, choose_script

__all__ = ["Service", "Display", "Page", "PerPage", "FilterParams", "get_service", "get_display"]


def get_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.service
    return service


def get_display(request: Request) -> Converter:
    """The script Chinese text is shown in: ?script=, else the cookie, else as written."""
    return Converter(choose_script(request.query_params.get("script"), request.cookies.get(COOKIE)))


def filter_params(
    executive: Annotated[
        str | None, Query(description="A person: id or any form of the name")
    ] = None,
    topic: Annotated[str | None, Query(description="A topic or event: id or any form")] = None,
    lang: Annotated[str | None, Query(description="zh-Hant, zh-Hans or en")] = None,
    source: Annotated[str | None, Query(description="Publication, as in the facets")] = None,
    year: Annotated[str | None, Query(description="Year of publication")] = None,
) -> Filters:
    """The facet filters; empty values mean no filter."""
    return Filters(
        executive=executive or None,
        topic=topic or None,
        lang=lang or None,
        source=source or None,
        year=year or None,
    )


Service = Annotated[SearchService, Depends(get_service)]
Display = Annotated[Converter, Depends(get_display)]
FilterParams = Annotated[Filters, Depends(filter_params)]
Page = Annotated[int, Query(description="1-based page number")]
PerPage = Annotated[int, Query(description="Results per page (1-100)")]
