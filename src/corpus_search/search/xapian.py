"""A build for the ``xapian`` backend opened for searching: its one Xapian database.

A Xapian build (`index.xapian`) holds the records of both indexes in one
database that also keeps the people found in the text and the counts the
people pages show: everything a shard holds. So a local Xapian build is read
exactly as shards are (`sharded.ShardGeneration`: ranked pages, totals,
facets, snippets from each article's words and characters, listings, counts
and vocabulary), through a one-database stand-in for the set of shards that
never has one missing. Only the kept source files (`/sources/`) are read from
the build directory itself.

A Xapian database object must not be used by two threads at once: it is opened
per request thread as needed and lent from a pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import xapian

from corpus_search.index.store import KeptSources
from corpus_search.index.xapian import table_path, xapian_directory
from corpus_search.lexicon import Lexicon
from corpus_search.search.pool import Pool
from corpus_search.search.sharded import ShardGeneration

__all__ = ["LocalDatabase", "XapianGeneration"]

T = TypeVar("T")
log = logging.getLogger(__name__)


class LocalDatabase:
    """A build's Xapian database, read through the interface of a set of shards
    (`xapian_backend.ShardSet`: ``run`` and ``each``) with none ever missing."""

    def __init__(self, build: Path) -> None:
        path = str(xapian_directory(build))
        xapian.Database(path).close()  # a missing or damaged database fails here
        self._pool = Pool(lambda: xapian.Database(path))

    def run(self, work: Callable[[xapian.Database], T]) -> tuple[T, list[str]]:
        with self._pool.lend() as db:
            return work(db), []

    def each(self, work: Callable[[xapian.Database], T]) -> tuple[list[T], list[str]]:
        done, missing = self.run(work)
        return [done], missing

    def close(self) -> None:
        self._pool.close()


class XapianGeneration(ShardGeneration):
    """A local Xapian build. A server loads its articles' facet values
    (`xapian_backend.table`: kept by the build, else read from the database, seconds
    at 100,000 articles) before it serves, or in the background for a build swapped
    in later; until then, and for a one-off search, facets are counted by spies, as
    on shards."""

    def __init__(self, directory: Path, lexicon: Lexicon, translate: bool) -> None:
        self.directory = directory
        self.sources = KeptSources(directory)
        self.database = LocalDatabase(directory)
        super().__init__(self.database, lexicon, translate)
        self._reading: threading.Thread | None = None
        self._starting = threading.Lock()

    def keep_warm(self, wait: bool) -> None:
        with self._starting:
            if self._reading is None:
                self._reading = threading.Thread(
                    target=self._read_table, name="facet-table", daemon=True
                )
                self._reading.start()
        if wait:
            self._reading.join()

    def _read_table(self) -> None:
        try:
            kept = table_path(self.directory)
            self.database.run(lambda db: self.bases.read_table(db, kept))
        except xapian.DatabaseClosedError:
            pass  # a newer build is live
        except Exception:  # facets are still counted, by spies: say why, once
            log.exception("facet values of %s not read; facets counted by spies", self.directory)

    def source(self, name: str) -> bytes | None:
        return self.sources.read(name)

    def close(self) -> None:
        self.database.close()
