"""The Xapian database of a build, when the backend is ``xapian`` (issue 10).

A build for the ``xapian`` backend writes, instead of Whoosh's indexes, one Xapian
database (the folder ``xapian`` of the build directory: `xapian_backend.store`)
holding the records of both indexes, prepared as for Whoosh. The swap, manifest,
sources and people of the build are as for Whoosh. The database also keeps, as
metadata, what a server without the build's other files needs
(`xapian_backend.store.write_summary`): the people found in the text and the
counts the people pages show; it is all `search.xapian` reads, locally as on a
shard.

A full build writes the databases from all the records. An incremental one
copies the live build's database (a copy, not hard links: Xapian rewrites its
files in place), deletes the articles the plan deletes and adds the records of
the files it prepared. Field lengths stay normalised by the averages of the build
that first wrote the databases (`store.write_records`), so after updates the
scores may drift slightly from Whoosh's (which re-averages); result sets do not.

The records are not held in memory (a build's postings run to gigabytes): each
process that prepares files appends their records to its own spool file in the
new build (the workers theirs, the building process its own), and the
database is written from the spool files once every file is prepared: a new
one by a process per core, each writing its part from some of the spool files
(the averages come from the sums each spool kept), then compacted into one
database; an update by the building process. The spool files are then removed.
"""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from corpus_search.index.schema import INDEXES, SCORED_FIELDS

__all__ = ["XAPIAN", "Spool", "XapianWriter", "has_xapian", "spool_directory", "xapian_directory"]

XAPIAN = "xapian"  # the folder of a build holding its Xapian database
SPOOL = "xapian-spool"  # ... and, while it is built, the records to write into it
TOTALS = ".totals"  # beside each spool file: its records' field lengths, summed
COUNT = "records"
Records = dict[str, list[dict[str, Any]]]


def xapian_directory(build: Path) -> Path:
    return build / XAPIAN


def spool_directory(build: Path) -> Path:
    return build / SPOOL


class Spool:
    """One process's records, appended to a file as each prepared file's come, with
    the sums of their field lengths (for the averages a new database weighs by)."""

    def __init__(self, build: Path, name: str) -> None:
        directory = spool_directory(build)
        directory.mkdir(parents=True, exist_ok=True)
        self._path = directory / name
        self._file = self._path.open("ab")
        self._totals: dict[str, dict[str, float]] = {}

    def add(self, records: Records) -> None:
        from corpus_search.xapian_backend.weighting import field_length

        if not any(records.values()):
            return
        pickle.dump(records, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        for name, found in records.items():
            totals = self._totals.setdefault(name, {COUNT: 0})
            for record in found:
                totals[COUNT] += 1
                for field in SCORED_FIELDS:
                    totals[field] = totals.get(field, 0) + field_length(record.get(field))

    def close(self) -> None:
        self._file.close()
        self._path.with_suffix(TOTALS).write_text(json.dumps(self._totals), "utf-8")


def _spool_files(build: Path) -> list[Path]:
    return sorted(p for p in spool_directory(build).iterdir() if p.suffix != TOTALS)


def _chunks(paths: Iterable[Path]) -> Iterator[Records]:
    """The spooled records of these spool files, as they were added."""
    for path in paths:
        with path.open("rb") as file:
            while True:
                try:
                    yield pickle.load(file)
                except EOFError:
                    break


def _averages(build: Path) -> dict[str, dict[str, float]]:
    """Each index's average field lengths over every spooled record."""
    sums: dict[str, dict[str, float]] = {name: {COUNT: 0} for name in INDEXES}
    for path in spool_directory(build).glob(f"*{TOTALS}"):
        for name, totals in json.loads(path.read_text("utf-8")).items():
            for key, value in totals.items():
                sums[name][key] = sums[name].get(key, 0) + value
    return {
        name: {f: totals.get(f, 0) / totals[COUNT] if totals[COUNT] else 0.0 for f in SCORED_FIELDS}
        for name, totals in sums.items()
    }


def _write_part(target: str, paths: list[Path], averages: dict[str, dict[str, float]]) -> None:
    """A new database at ``target`` of these spool files' records (a worker's part)."""
    import xapian

    from corpus_search.xapian_backend import store

    db = xapian.WritableDatabase(target, xapian.DB_CREATE_OR_OVERWRITE)
    try:
        for records in _chunks(paths):
            for name in INDEXES:
                store.write_records(db, records.get(name, []), averages[name], name, True)
        db.commit()
    finally:
        db.close()


def _balanced(paths: list[Path], parts: int) -> list[list[Path]]:
    """The spool files dealt into ``parts`` groups of about the same size."""
    groups: list[list[Path]] = [[] for _ in range(parts)]
    sizes = [0] * parts
    for path in sorted(paths, key=lambda p: -p.stat().st_size):
        smallest = sizes.index(min(sizes))
        groups[smallest].append(path)
        sizes[smallest] += path.stat().st_size
    return [g for g in groups if g]


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

    def write(self, deleted: Iterable[str], workers: int = 1) -> None:
        """Write the database, afresh or the live build's copy updated, once the
        build's people are written (``people.json``). A new database is written by
        up to ``workers`` processes, a part each, then compacted into one."""
        import xapian

        from corpus_search.index.store import PEOPLE
        from corpus_search.xapian_backend import store

        self.spool.close()
        try:
            averages = self._write_new(workers) if self.base is None else None
            db = xapian.WritableDatabase(str(self.target), xapian.DB_OPEN)
            try:
                if averages is not None:  # kept for later updates (compaction may not)
                    store.keep_averages(db, averages)
                else:
                    store.delete_articles(db, sorted(deleted))
                    for records in _chunks(_spool_files(self.fresh)):
                        for name in INDEXES:
                            store.write_records(db, records.get(name, []), None, name)
                store.write_summary(db, (self.fresh / PEOPLE).read_text("utf-8"))
                db.commit()
            finally:
                db.close()
        finally:
            shutil.rmtree(spool_directory(self.fresh), ignore_errors=True)

    def _write_new(self, workers: int) -> dict[str, dict[str, float]]:
        """A new database of every spooled record; the averages it is weighed by."""
        import multiprocessing

        import xapian

        averages = _averages(self.fresh)
        groups = _balanced(_spool_files(self.fresh), max(1, workers))
        if len(groups) <= 1:
            _write_part(str(self.target), groups[0] if groups else [], averages)
            return averages
        parts = [str(self.fresh / f"{SPOOL}-part-{n}") for n in range(len(groups))]
        with multiprocessing.get_context("fork").Pool(len(groups)) as pool:
            pool.starmap(
                _write_part, [(p, g, averages) for p, g in zip(parts, groups, strict=True)]
            )
        combined = xapian.Database()
        for part in parts:
            combined.add_database(xapian.Database(part))
        combined.compact(str(self.target))
        combined.close()
        for part in parts:
            shutil.rmtree(part, ignore_errors=True)
        return averages
