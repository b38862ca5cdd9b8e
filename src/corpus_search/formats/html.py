"""HTML pages (`.html`, `.htm`, or any file that starts as a page does).

trafilatura parses the page and keeps its main content: the body paragraphs,
never scripts, styles, navigation, boilerplate or reader comments. The title,
date and publication (site name) come from the page's meta tags where it has
them. The result is an ordinary draft: the same cleaning rules as plain text
run on it.
"""

from __future__ import annotations

from typing import Any

from corpus_search.errors import IngestError
from corpus_search.metadata import make_id
from corpus_search.models import Draft

__all__ = ["html_drafts"]

_DATES = {"extensive_search": False, "original_date": True}  # meta tags, not the text


def html_drafts(page: str, stem: str) -> list[Draft]:
    """The one article of an HTML page; its id comes from the file name."""
    doc = _extract(page)
    body = (doc.text or "").strip() if doc is not None else ""
    if not body:
        raise IngestError("no main text found in the HTML page")
    headline = " ".join((doc.title or "").split())
    first, _, rest = body.partition("\n")
    if headline and " ".join(first.split()) == headline:
        body = rest  # the page's own heading: the headline once is enough
    return [
        Draft(
            key=make_id(stem),
            text=f"{headline}\n{body}" if headline else body,
            date=doc.date,
            source=doc.sitename or None,
            url=doc.url or None,
        )
    ]


def _extract(page: str) -> Any:
    from trafilatura import bare_extraction  # loaded when a build meets a page

    return bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        date_extraction_params=_DATES,
    )
