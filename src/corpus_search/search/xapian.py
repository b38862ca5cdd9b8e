"""Ranking, totals and facets from a build's Xapian database (backend ``xapian``).

When the backend setting is ``xapian`` and the build holds a Xapian database
(`index.xapian`), the service asks Xapian (`xapian_backend.engine`) for the
page's records (scores and stored fields), the exact total and the facet
counts; snippets, highlights, whole articles and quote listings are read from
the Whoosh indexes of the same build, as with the Whoosh backend.

A Xapian database object must not be used by two threads at once: the
database is opened per request thread as needed and lent from a pool.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import xapian
from whoosh.query import Query, Term

from corpus_search.index.xapian import xapian_directory
from corpus_search.search.budget import Deadline
from corpus_search.search.pool import Pool
from corpus_search.xapian_backend import engine

__all__ = ["article_page", "count", "xapian_databases"]


def xapian_databases(build: Path) -> Pool[xapian.Database]:
    """A build's Xapian database, opened as needed, lent to one thread at a time."""
    path = str(xapian_directory(build))
    return Pool(lambda: xapian.Database(path))


def article_page(
    databases: Pool[xapian.Database],
    name: str,
    query: Query,
    filters: Sequence[Term],
    page: int,
    per_page: int,
    chinese: bool | None,
    deadline: Deadline,
) -> engine.Results:
    """A page of index ``name``'s records for ``query`` (facets: of articles only),
    within the request's ``deadline``: their scores and stored fields, the total and
    the facet counts."""
    facets = engine.FACETS if chinese is not None else ()
    deadline.check()
    with databases.lend() as db:
        left = deadline.remaining()
        found = engine.search(db, query, filters, page, per_page, chinese, facets, left, name)
    deadline.check()  # a match stopped by its time limit is not an answer
    return found


def count(
    databases: Pool[xapian.Database],
    name: str,
    query: Query,
    filters: Sequence[Term],
    deadline: Deadline,
) -> int:
    deadline.check()
    with databases.lend() as db:
        found = engine.count(db, query, filters, deadline.remaining(), name)
    deadline.check()
    return found
