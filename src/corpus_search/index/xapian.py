"""The Xapian databases of a build, when the backend is ``xapian`` (issue 10).

The build writes its Whoosh indexes as always and, beside them in the same build
directory (``xapian/articles``, ``xapian/quotes``: `xapian_backend.store`), a
Xapian database per index, from the same prepared records. The swap, manifest,
sources and people of the build are shared: nothing else changes.

A full build writes the databases from all the records. An incremental one
copies the live build's databases (a copy, not hard links: Xapian rewrites its
files in place), deletes the articles the plan deletes and adds the records of
the files it prepared. Field lengths stay normalised by the averages of the build
that first wrote the databases (`store.write_records`), so after updates the
scores may drift slightly from Whoosh's (which re-averages); result sets do not.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from corpus_search.index.schema import INDEXES

__all__ = ["XAPIAN", "XapianWriter", "has_xapian", "xapian_directory"]

XAPIAN = "xapian"  # the folder of a build holding its Xapian databases


def xapian_directory(build: Path) -> Path:
    return build / XAPIAN


def has_xapian(build: Path | None) -> bool:
    """Does this build hold a Xapian database for every index?"""
    if build is None:
        return False
    return all((xapian_directory(build) / name / "iamglass").exists() for name in INDEXES)


class XapianWriter:
    """Collects the records a build writes, then writes them to its Xapian databases."""

    def __init__(self, fresh: Path, live: Path | None) -> None:
        self.target = xapian_directory(fresh)
        self.base = xapian_directory(live) if live is not None and has_xapian(live) else None
        self.records: dict[str, list[dict[str, Any]]] = {name: [] for name in INDEXES}

    def collect(self, records: dict[str, list[dict[str, Any]]]) -> None:
        for name in INDEXES:
            self.records[name] += records.get(name, [])

    def write(self, deleted: Iterable[str]) -> None:
        """Write the databases: afresh, or the live build's copy updated."""
        from corpus_search.xapian_backend import store

        if self.base is None:
            store.build(self.target, self.records)
            return
        shutil.copytree(self.base, self.target)
        for name in INDEXES:
            _update(store.database_path(self.target, name), deleted, self.records[name])


def _update(path: Path, deleted: Iterable[str], records: list[dict[str, Any]]) -> None:
    import xapian

    from corpus_search.xapian_backend import store

    db = xapian.WritableDatabase(str(path), xapian.DB_OPEN)
    try:
        store.delete_articles(db, sorted(deleted))
        store.write_records(db, records)
        db.commit()
    finally:
        db.close()
