"""The Xapian databases of a build, when the backend is ``xapian`` (issue 10).

The build writes its Whoosh indexes as always and, beside them in the same build
directory (``xapian``: `xapian_backend.store`), one Xapian database holding the
records of both indexes, from the same prepared records. The swap, manifest,
sources and people of the build are shared: nothing else changes. The database
also keeps, as metadata, what a server without the build's other files needs
(`xapian_backend.store.write_summary`): the people found in the text and the
counts the people pages show.

A full build writes the databases from all the records. An incremental one
copies the live build's database (a copy, not hard links: Xapian rewrites its
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

XAPIAN = "xapian"  # the folder of a build holding its Xapian database
SPOOL = "xapian-spool"  # ... and, while it is built, the records to write into it
BATCH = 500  # records handed to Xapian at a time
Records = dict[str, list[dict[str, Any]]]


def xapian_directory(build: Path) -> Path:
    return build / XAPIAN


def spool_directory(build: Path) -> Path:
    return build / SPOOL


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
    """Does this build hold a Xapian database?"""
    return build is not None and (xapian_directory(build) / "iamglass").exists()


class XapianWriter:
    """Writes a build's Xapian database from the records its processes spooled."""

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
        """Write the database, afresh or the live build's copy updated, once the
        build's people are written (``people.json``)."""
        import xapian

        from corpus_search.index.store import PEOPLE
        from corpus_search.xapian_backend import store
        from corpus_search.xapian_backend.weighting import field_averages

        self.spool.close()
        flags = xapian.DB_CREATE_OR_OVERWRITE if self.base is None else xapian.DB_OPEN
        try:
            db = xapian.WritableDatabase(str(self.target), flags)
            try:
                store.delete_articles(db, sorted(deleted))
                for name in INDEXES:
                    # A new database: the averages of all the records; else its own.
                    averages = None
                    if self.base is None:
                        averages = field_averages(_spooled(self.fresh, name))
                    for batch in _batches(_spooled(self.fresh, name)):
                        store.write_records(db, batch, averages, name)
                store.write_summary(db, (self.fresh / PEOPLE).read_text("utf-8"))
                db.commit()
            finally:
                db.close()
        finally:
            shutil.rmtree(spool_directory(self.fresh), ignore_errors=True)


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == BATCH:
            yield batch
            batch = []
    yield batch
