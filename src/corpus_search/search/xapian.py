"""Ranking, totals and facets from a build's Xapian databases (backend ``xapian``).

When the backend setting is ``xapian`` and the build holds Xapian databases
(`index.xapian`), the service asks Xapian (`xapian_backend.engine`) for the
page's ids and scores, the exact total and the facet counts; everything else
(stored fields, snippets, highlights, articles, quotes listed by speaker) is read
from the Whoosh indexes of the same build, as with the Whoosh backend.

A Xapian database object must not be used by two threads at once: the
databases are opened per request thread as needed and lent from a pool.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xapian
from whoosh.query import Query, Term
from whoosh.searching import Searcher

from corpus_search.index.schema import INDEXES
from corpus_search.index.xapian import xapian_directory
from corpus_search.search.budget import Deadline
from corpus_search.xapian_backend import engine
from corpus_search.xapian_backend.store import database_path

__all__ = ["XapianDatabases", "Page", "article_page", "count", "stored_data", "whoosh_numbers"]


class XapianDatabases:
    """A build's Xapian databases (one per index), lent to one thread at a time."""

    def __init__(self, build: Path) -> None:
        self._paths = {name: database_path(xapian_directory(build), name) for name in INDEXES}
        self._free: dict[str, list[xapian.Database]] = {name: [] for name in INDEXES}
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def database(self, name: str) -> Iterator[xapian.Database]:
        with self._lock:
            free = self._free[name]
            db = free.pop() if free else None
        if db is None:
            db = xapian.Database(str(self._paths[name]))
        try:
            yield db
        finally:
            with self._lock:
                if self._closed:
                    db.close()
                else:
                    self._free[name].append(db)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            free = [db for dbs in self._free.values() for db in dbs]
            self._free = {name: [] for name in INDEXES}
        for db in free:
            db.close()


@dataclass
class Page:
    """One page of results: (score, record id) best first, the total and facet counts."""

    top: list[tuple[float, str]]
    total: int
    counts: dict[str, dict[str, int]]
    hits: list[engine.Hit]


def article_page(
    databases: XapianDatabases,
    name: str,
    query: Query,
    filters: Sequence[Term],
    page: int,
    per_page: int,
    chinese: bool | None,
    deadline: Deadline,
) -> Page:
    """A page of index ``name``'s records for ``query`` (facets: of articles only),
    within the request's ``deadline``."""
    facets = engine.FACETS if chinese is not None else ()
    deadline.check()
    with databases.database(name) as db:
        left = deadline.remaining()
        found = engine.search(db, query, filters, page, per_page, chinese, facets, left)
    deadline.check()  # a match stopped by its time limit is not an answer
    return Page(
        top=[(h.score, h.id) for h in found.hits],
        total=found.total,
        counts=found.facets,
        hits=found.hits,
    )


def count(
    databases: XapianDatabases,
    name: str,
    query: Query,
    filters: Sequence[Term],
    deadline: Deadline,
) -> int:
    deadline.check()
    with databases.database(name) as db:
        found = engine.count(db, query, filters, deadline.remaining())
    deadline.check()
    return found


def whoosh_numbers(searcher: Searcher, top: list[tuple[float, str]]) -> list[tuple[float, int]]:
    """The page's records by their Whoosh document number (for stored fields, snippets)."""
    numbers: list[tuple[float, int]] = []
    for score, record_id in top:
        number = searcher.document_number(id=record_id)
        if number is not None:
            numbers.append((score, number))
    return numbers


def stored_data(hits: list[engine.Hit]) -> list[dict[str, Any]]:
    """Each hit's stored ``data`` (a quote's text, speaker, article …)."""
    return [h.stored["data"] for h in hits]
