"""The Xapian database of a build, when the backend is ``xapian`` (issue 10).

A build for the ``xapian`` backend writes, instead of Whoosh's indexes, one Xapian
database (the folder ``xapian`` of the build directory: `xapian_backend.store`)
holding the records of both indexes, prepared as for Whoosh. The swap, manifest,
sources and people of the build are as for Whoosh. The database also keeps, as
metadata, what a server without the build's other files needs
(`xapian_backend.store.write_summary`): the people found in the text and the
counts the people pages show; it is all `search.xapian` reads, locally as on a
shard. Beside it the build keeps its articles' facet values (``facets.npz``,
`xapian_backend.table`), which a local server would otherwise read from the
database each time it starts.

A full build writes the databases from all the records. An incremental one
copies the live build's database (a copy, not hard links: Xapian rewrites its
files in place), deletes the articles the plan deletes and adds the records of
the files it prepared; one that adds many records (MERGE_FROM of the database's,
at least MERGE_MIN) writes them as a new build does, a part per process, and
compacts the live database (its copy, when articles are deleted) and the parts
into one: adding 3.3 million records one by one to a database of as many took
an hour, as long as writing them anew. Field lengths are normalised by averages taken when the
database is first written, over the records of a fixed sample of the folder's
files (`averaging_sample`: every file of a folder of up to AVERAGED_FILES), the
same files on every machine building a shard of it, so that shards weigh and rank
exactly as one database of the whole folder. An update keeps those averages
(`store.write_records`), so the scores of a large or much-updated archive may
differ slightly from Whoosh's (which averages over every record at each search);
result sets do not.

The records are not held in memory (a build's postings run to gigabytes): each
process that prepares files appends their records to its own spool file in the
new build (the workers theirs, the building process its own), and the
database is written from the spool files once every file is prepared: a new
one by a process per core, each writing its part from some of the spool files
(the averages come from the sample files' lengths the spools kept; a shard reads
the sample files another shard writes for their lengths alone), then compacted into one
database; an update by the building process. The spool files are then removed.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from corpus_search.index.schema import ARTICLES, INDEXES, SCORED_FIELDS

__all__ = [
    "XAPIAN",
    "Spool",
    "XapianWriter",
    "averaging_sample",
    "has_xapian",
    "record_totals",
    "spool_directory",
    "table_path",
    "xapian_directory",
]

XAPIAN = "xapian"  # the folder of a build holding its Xapian database
TABLE = "facets.npz"  # beside it: its articles' facet values (`xapian_backend.table`)
SPOOL = "xapian-spool"  # ... and, while it is built, the records to write into it
TOTALS = ".totals"  # beside each spool file: its records' field lengths, summed
SAMPLE = "sample.json"  # in the spool folder: the files the averages are taken over
AVERAGED_FILES = 200
# An update adding at least this share of the database's records, and this many, is
# written in parts and compacted with the live database (see module doc).
MERGE_FROM = 0.2
MERGE_MIN = 20_000
COUNT = "records"
Records = dict[str, list[dict[str, Any]]]


def xapian_directory(build: Path) -> Path:
    return build / XAPIAN


def table_path(build: Path) -> Path:
    return build / TABLE


def spool_directory(build: Path) -> Path:
    return build / SPOOL


Totals = dict[str, dict[str, float]]  # index -> its records' count and summed field lengths


def averaging_sample(names: Mapping[str, str]) -> list[str]:
    """Of the files of a folder (path -> name in the folder), those whose records a new
    database's average field lengths are taken over: the AVERAGED_FILES whose names
    hash lowest. Every machine building a shard of the folder picks the same files,
    so every shard (and one database of the whole folder) weighs field lengths alike
    and ranks alike."""
    ranked = sorted(names, key=lambda p: hashlib.sha1(names[p].encode("utf-8")).digest())
    return ranked[:AVERAGED_FILES]


def record_totals(records: Records) -> Totals:
    """Each index's records counted, with their scored fields' lengths summed."""
    from corpus_search.xapian_backend.weighting import field_length

    totals: Totals = {}
    for name, found in records.items():
        summed = totals.setdefault(name, {COUNT: 0})
        for record in found:
            summed[COUNT] += 1
            for field in SCORED_FIELDS:
                summed[field] = summed.get(field, 0) + field_length(record.get(field))
    return totals


def _add_totals(into: Totals, more: Totals) -> None:
    for name, summed in more.items():
        target = into.setdefault(name, {COUNT: 0})
        for key, value in summed.items():
            target[key] = target.get(key, 0) + value


class Spool:
    """One process's records, appended to a file as each prepared file's come, with
    their field lengths summed, and those of the averaging sample's files (`SAMPLE`)
    kept by file (for the averages a new database weighs by)."""

    def __init__(self, build: Path, name: str) -> None:
        directory = spool_directory(build)
        directory.mkdir(parents=True, exist_ok=True)
        self._path = directory / name
        self._file = self._path.open("ab")
        self._totals: Totals = {}
        self._sample = _read_sample(build)
        self._measured: dict[str, Totals] = {}
        self._ids: list[str] = []  # of the articles spooled

    def add(self, records: Records, path: str = "") -> None:
        if not any(records.values()):
            return
        pickle.dump(records, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._ids += [str(record["id"]) for record in records.get(ARTICLES, [])]
        found = record_totals(records)
        _add_totals(self._totals, found)
        if path in self._sample:
            self._measured[path] = found

    def measure(self, records: Records, path: str) -> None:
        """Keep the field lengths of a sample file this build does not write (another
        shard's)."""
        if path in self._sample and any(records.values()):
            self._measured[path] = record_totals(records)

    def close(self) -> None:
        self._file.close()
        totals = {"all": self._totals, "sample": self._measured, "ids": self._ids}
        self._path.with_suffix(TOTALS).write_text(json.dumps(totals), "utf-8")


def _read_sample(build: Path) -> frozenset[str]:
    try:
        return frozenset(json.loads((spool_directory(build) / SAMPLE).read_text("utf-8")))
    except (OSError, ValueError):
        return frozenset()


def _spool_files(build: Path) -> list[Path]:
    return sorted(
        p for p in spool_directory(build).iterdir() if p.suffix != TOTALS and p.name != SAMPLE
    )


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
    """Each index's average field lengths over the records of the averaging sample's
    files (`averaging_sample`), or, without any, over every spooled record."""
    whole: Totals = {name: {COUNT: 0} for name in INDEXES}
    measured: dict[str, Totals] = {}
    for path in spool_directory(build).glob(f"*{TOTALS}"):
        totals = json.loads(path.read_text("utf-8"))
        _add_totals(whole, totals["all"])
        measured.update(totals["sample"])
    sums: Totals = whole
    if measured:
        sums = {name: {COUNT: 0} for name in INDEXES}
        for found in measured.values():
            _add_totals(sums, found)
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

    def __init__(self, fresh: Path, live: Path | None, sample: Iterable[str] = ()) -> None:
        """``sample``: the files a new database's averages are taken over
        (`averaging_sample`); an update keeps the averages it has."""
        self.fresh = fresh
        self.target = xapian_directory(fresh)
        self.base = xapian_directory(live) if live is not None and has_xapian(live) else None
        if self.base is None:  # read by every process's spool (the workers' too)
            spool_directory(fresh).mkdir(parents=True, exist_ok=True)
            (spool_directory(fresh) / SAMPLE).write_text(json.dumps(list(sample)), "utf-8")
        self.spool = Spool(fresh, "build")  # the records prepared in this process

    @property
    def averaging(self) -> bool:
        """Does this build take new averages (a new database)?"""
        return self.base is None

    def collect(self, records: Records, path: str = "") -> None:
        self.spool.add(records, path)

    def measure(self, records: Records, path: str) -> None:
        """The field lengths of a sample file written elsewhere (another shard's)."""
        self.spool.measure(records, path)

    def write(self, deleted: Iterable[str], workers: int = 1) -> None:
        """Write the database, afresh or the live build's copy updated, once the
        build's people are written (``people.json``). A new database is written by
        up to ``workers`` processes, a part each, then compacted into one."""
        import xapian

        from corpus_search.index.store import PEOPLE
        from corpus_search.xapian_backend import engine, store

        self.spool.close()
        try:
            if self.base is None:
                averages: dict[str, dict[str, float]] | None = self._write_new(workers)
            else:
                averages = self._merge(sorted(deleted), workers)
                if averages is None:  # updated in place
                    shutil.copytree(self.base, self.target)
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
                engine.save_table(db, table_path(self.fresh))  # of what was committed
            finally:
                db.close()
        finally:
            shutil.rmtree(spool_directory(self.fresh), ignore_errors=True)

    def _write_new(self, workers: int) -> dict[str, dict[str, float]]:
        """A new database of every spooled record; the averages it is weighed by."""
        averages = _averages(self.fresh)
        parts = self._write_parts(averages, workers)
        if parts != [str(self.target)]:
            _compact(parts, self.target, parts)
        return averages

    def _write_parts(self, averages: dict[str, dict[str, float]], workers: int) -> list[str]:
        """The spooled records written into new databases by up to ``workers``
        processes: the target itself when one part will do."""
        import multiprocessing

        groups = _balanced(_spool_files(self.fresh), max(1, workers))
        if len(groups) <= 1 and self.base is None:
            _write_part(str(self.target), groups[0] if groups else [], averages)
            return [str(self.target)]
        parts = [str(self.fresh / f"{SPOOL}-part-{n}") for n in range(len(groups))]
        with multiprocessing.get_context("fork").Pool(len(groups)) as pool:
            pool.starmap(
                _write_part, [(p, g, averages) for p, g in zip(parts, groups, strict=True)]
            )
        return parts

    def _merge(self, deleted: list[str], workers: int) -> dict[str, dict[str, float]] | None:
        """Write an update that adds many records (see module doc) as parts compacted
        with the live database, deleting its ``deleted`` articles first (from a copy);
        the averages kept, or None when it adds too few to pay for a compaction (or
        the live database lacks an index's averages, or holds an id being added)."""
        import xapian

        from corpus_search.xapian_backend import store

        live = xapian.Database(str(self.base))
        try:
            adding, ids = _spooled(self.fresh)
            if adding < max(MERGE_MIN, MERGE_FROM * live.get_doccount()):
                return None
            kept = {}
            for name in INDEXES:
                found = store.read_averages(live, name)
                if found is None:
                    return None
                kept[name] = found
            if _holds_any(live, ids, set(deleted)):
                return None
        finally:
            live.close()
        first = str(self.base)
        if deleted:
            first = str(self.fresh / f"{SPOOL}-live")
            shutil.copytree(self.base, first)
            db = xapian.WritableDatabase(first, xapian.DB_OPEN)
            try:
                store.delete_articles(db, deleted)
                db.commit()
            finally:
                db.close()
        parts = self._write_parts(kept, workers)
        _compact([first, *parts], self.target, [*parts, *([first] if deleted else [])])
        return kept


def _compact(sources: list[str], target: Path, written: list[str]) -> None:
    """These databases compacted into one at ``target`` (each's docids after the
    previous one's); then those ``written`` for it are removed."""
    import xapian

    combined = xapian.Database()
    for source in sources:
        combined.add_database(xapian.Database(source))
    combined.compact(str(target))
    combined.close()
    for source in written:
        shutil.rmtree(source, ignore_errors=True)


def _spooled(build: Path) -> tuple[int, list[str]]:
    """How many records the build's processes spooled, and their articles' ids."""
    count, ids = 0, []
    for path in spool_directory(build).glob(f"*{TOTALS}"):
        totals = json.loads(path.read_text("utf-8"))
        count += sum(int(summed.get(COUNT, 0)) for summed in totals["all"].values())
        ids += totals.get("ids", [])
    return count, ids


def _holds_any(db: Any, ids: Iterable[str], deleted: set[str]) -> bool:
    """Does the database hold, other than among ``deleted``, an article of these ids?"""
    from corpus_search.xapian_backend.terms import boolean_term

    return any(i not in deleted and db.term_exists(boolean_term("id", i)) for i in ids)
