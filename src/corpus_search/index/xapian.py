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

The records are not held in memory (a build's postings run to gigabytes): each
process that prepares files appends their records to its own spool file in the
new build (the workers theirs, the building process its own), and the
databases are written from the spool files once every file is prepared (read
twice: the averages of a full build first). The spool files are then removed.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from corpus_search.index.schema import INDEXES

__all__ = ["XAPIAN", "Spool", "XapianWriter", "has_xapian", "spool_directory", "xapian_directory"]

XAPIAN = "xapian"  # the folder of a build holding its Xapian databases
SPOOL = "spool"  # ... and, while it is built, the records to write into them
BATCH = 500  # records handed to Xapian at a time
Records = dict[str, list[dict[str, Any]]]


def xapian_directory(build: Path) -> Path:
    return build / XAPIAN


def spool_directory(build: Path) -> Path:
    return xapian_directory(build) / SPOOL


class Spool:
    """One process's records, appended to a file as each prepared file's come."""

    def __init__(self, build: Path, name: str) -> None:
        directory = spool_directory(build)
        directory.mkdir(parents=True, exist_ok=True)
        self._file = (directory / name).open("ab")

    def add(self, records: Records) -> None:
        if any(records.values()):
            pickle.dump(records, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        self._file.close()


def _spooled(build: Path, name: str) -> Iterator[dict[str, Any]]:
    """Every spooled record of index ``name``, spool file by spool file."""
    for path in sorted(spool_directory(build).iterdir()):
        with path.open("rb") as file:
            while True:
                try:
                    records = pickle.load(file)
                except EOFError:
                    break
                yield from records.get(name, [])


def has_xapian(build: Path | None) -> bool:
    """Does this build hold a Xapian database for every index?"""
    if build is None:
        return False
    return all((xapian_directory(build) / name / "iamglass").exists() for name in INDEXES)


class XapianWriter:
    """Writes a build's Xapian databases from the records its processes spooled."""

    def __init__(self, fresh: Path, live: Path | None) -> None:
        self.fresh = fresh
        self.target = xapian_directory(fresh)
        self.base = xapian_directory(live) if live is not None and has_xapian(live) else None
        if self.base is not None:
            shutil.copytree(self.base, self.target)
        self.spool = Spool(fresh, "build")  # the records prepared in this process

    def collect(self, records: Records) -> None:
        self.spool.add(records)

    def write(self, deleted: Iterable[str]) -> None:
        """Write the databases: afresh, or the live build's copy updated."""
        self.spool.close()
        try:
            for name in INDEXES:
                self._write(name, deleted)
        finally:
            shutil.rmtree(spool_directory(self.fresh), ignore_errors=True)

    def _write(self, name: str, deleted: Iterable[str]) -> None:
        import xapian

        from corpus_search.xapian_backend import store
        from corpus_search.xapian_backend.weighting import field_averages

        path = store.database_path(self.target, name)
        if self.base is None:
            averages = field_averages(_spooled(self.fresh, name))
            db = xapian.WritableDatabase(str(path), xapian.DB_CREATE_OR_OVERWRITE)
        else:
            averages = None  # the database's own
            db = xapian.WritableDatabase(str(path), xapian.DB_OPEN)
        try:
            store.delete_articles(db, sorted(deleted))
            for batch in _batches(_spooled(self.fresh, name)):
                store.write_records(db, batch, averages)
            db.commit()
        finally:
            db.close()


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == BATCH:
            yield batch
            batch = []
    yield batch
