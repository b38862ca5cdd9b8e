"""Building the index: full builds, incremental builds, adding and removing files.

Every change goes the same way: a new build directory (empty, or hard links to
the live build for an incremental change), the changed files prepared in
parallel worker processes (`documents.prepare`: read, clean, quote, analyse
once), one writer per index deleting and adding records, a manifest recording
each file's content hash, then the atomic swap (`store.swap`). Whatever fails,
the previous build keeps serving.

An incremental build re-processes only the files that are new or whose content
changed since the live build, and removes the articles of files that are gone.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.writing import MERGE_SMALL

from corpus_search.config import Settings
from corpus_search.errors import CorpusSearchError, IndexBuildError
from corpus_search.index.documents import Prepared, digest, prepare
from corpus_search.index.lock import locked_build
from corpus_search.index.parallel import write_in_workers
from corpus_search.index.schema import ARTICLES, INDEXES
from corpus_search.index.sounds import read_sounds, write_sounds
from corpus_search.index.store import (
    fingerprint,
    fresh_directory,
    live_directory,
    open_indexes,
    read_manifest,
    swap,
    write_manifest,
)
from corpus_search.ingest import article_files
from corpus_search.metadata import make_id
from corpus_search.models import Skipped

__all__ = ["BuildReport", "Progress", "rebuild", "add_files", "remove_articles", "default_workers"]

Progress = Callable[[int], None]  # called with how many more files are done
PARALLEL_FROM = 24  # fewer changed files than this are prepared in this process
WRITER_MB = 256


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


@dataclass
class BuildReport:
    source: str
    index: str
    mode: str = "full"  # "full" or "incremental"
    files_read: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0  # articles in the index after the build
    passages: int = 0  # of the articles (re)processed
    quotes: int = 0
    attributed_quotes: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    workers: int = 1
    seconds: float = 0.0
    fingerprint: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def lines(self) -> list[str]:
        out = [
            f"source   {self.source}",
            f"index    {self.index}",
            f"build    {self.mode}, {self.workers} worker(s)",
            f"files    {self.files_read} read, {len(self.skipped)} skipped",
            f"changes  {self.added} new, {self.updated} changed, {self.removed} removed, "
            f"{self.unchanged} unchanged",
            f"articles {self.articles}",
            f"passages {self.passages}",
            f"quotes   {self.quotes} ({self.attributed_quotes} attributed)",
            f"time     {self.seconds:.2f} s",
        ]
        out += [f"skipped  {s.source_file}: {s.reason}" for s in self.skipped]
        return out


@dataclass
class _Plan:
    """What a build changes: files to prepare and article ids to delete."""

    prepare: list[Path] = field(default_factory=list)
    delete: set[str] = field(default_factory=set)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # the manifest's map


@locked_build
def rebuild(
    settings: Settings,
    *,
    full: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> BuildReport:
    """Bring the index in line with ``settings.source_dir`` and swap it in atomically.

    Incremental when a current build of the same folder exists (unless ``full``)."""
    started = time.perf_counter()
    report = _report(settings, workers)
    source = settings.source_dir.resolve()
    paths = article_files(settings.source_dir)
    live = None if full else _reusable(settings)
    previous = read_manifest(live) if live else {}
    if previous.get("source") != str(source):
        live, previous = None, {}  # another folder: start afresh
    known = dict(previous.get("files", {}))
    kept = {k: v for k, v in known.items() if not _inside(Path(k), source)}
    plan = _plan(paths, {k: v for k, v in known.items() if k not in kept}, report)
    plan.files.update(_recheck(kept, plan, report))
    report.mode = "incremental" if live else "full"
    report.files_read = len(paths)
    if not live and not plan.prepare:
        raise IndexBuildError(_nothing_read(settings, report))
    if on_plan:
        on_plan(len(plan.prepare))
    if live and not plan.prepare and not plan.delete:
        report.articles = sum(1 for e in plan.files.values() if e.get("id"))
        report.seconds = round(time.perf_counter() - started, 3)
        return report  # nothing changed: the live build stays as it is
    return _apply(settings, live, plan, report, progress, started, str(source))


@locked_build
def add_files(
    settings: Settings, files: Iterable[Path], *, progress: Progress | None = None
) -> BuildReport:
    """Index these files (new or changed) into the live build, wherever they are."""
    started = time.perf_counter()
    report = _report(settings, None)
    live = _reusable(settings, required=True)
    manifest = read_manifest(live)
    plan = _Plan(files=dict(manifest.get("files", {})))
    paths = [Path(f).resolve() for f in files]
    report.files_read = len(paths)
    for path in paths:
        if not path.is_file():
            raise IndexBuildError(f"not a file: {path}")
    _compare(paths, plan, report)
    report.mode = "incremental"
    return _apply(settings, live, plan, report, progress, started, manifest.get("source"))


@locked_build
def remove_articles(settings: Settings, ids: Iterable[str]) -> BuildReport:
    """Take these articles out of the live build."""
    started = time.perf_counter()
    report = _report(settings, 1)
    live = _reusable(settings, required=True)
    manifest = read_manifest(live)
    files = dict(manifest.get("files", {}))
    by_id = {entry.get("id"): path for path, entry in files.items() if entry.get("id")}
    wanted = list(dict.fromkeys(ids))
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise IndexBuildError(f"no article with id {', '.join(map(repr, unknown))} in the index")
    plan = _Plan(delete=set(wanted), files=files)
    for article_id in wanted:
        del plan.files[by_id[article_id]]
    report.removed, report.mode = len(wanted), "incremental"
    return _apply(settings, live, plan, report, None, started, manifest.get("source"))


# -- planning ---------------------------------------------------------------------


def _report(settings: Settings, workers: int | None) -> BuildReport:
    return BuildReport(
        source=str(settings.source_dir.resolve()),
        index=str(settings.index_dir),
        fingerprint=fingerprint(),
        workers=workers or default_workers(),
    )


def _reusable(settings: Settings, required: bool = False) -> Path | None:
    """The live build, if this version wrote it (else a full build is needed)."""
    live = live_directory(settings)
    if live is not None and read_manifest(live).get("fingerprint") == fingerprint():
        return live
    if required:
        raise IndexBuildError(
            f"no current index at {settings.index_dir}: run `corpus-search build` first"
        )
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path.parent == folder


def _plan(paths: list[Path], known: dict[str, dict[str, Any]], report: BuildReport) -> _Plan:
    plan = _Plan()
    resolved = [p.resolve() for p in paths]
    present = {str(p) for p in resolved}
    plan.files = {k: v for k, v in known.items() if k in present}
    for gone in set(known) - set(plan.files):
        if known[gone].get("id"):
            plan.delete.add(known[gone]["id"])
            report.removed += 1
    _compare(resolved, plan, report)
    return plan


def _recheck(kept: dict[str, dict[str, Any]], plan: _Plan, report: BuildReport) -> dict[str, Any]:
    """Files added from outside the source folder stay, re-read if they changed."""
    present = {k: v for k, v in kept.items() if Path(k).is_file()}
    for gone in set(kept) - set(present):
        if kept[gone].get("id"):
            plan.delete.add(kept[gone]["id"])
            report.removed += 1
    _compare([Path(k) for k in present], plan, report, present)
    return {k: v for k, v in present.items() if Path(k) not in plan.prepare}


def _compare(
    paths: list[Path],
    plan: _Plan,
    report: BuildReport,
    known: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Files whose content hash differs from the manifest's are to be prepared."""
    known = plan.files if known is None else known
    for path in paths:
        entry = known.get(str(path))
        if entry is None:
            plan.prepare.append(path)
            continue
        try:
            same = digest(path.read_bytes()) == entry.get("digest")
        except OSError:
            same = False
        if same:
            report.unchanged += 1
            if entry.get("skipped"):
                report.skipped.append(Skipped(path.name, entry["skipped"]))
        else:
            plan.prepare.append(path)
            if entry.get("id"):
                plan.delete.add(entry["id"])


def _nothing_read(settings: Settings, report: BuildReport) -> str:
    reasons = "; ".join(f"{s.source_file}: {s.reason}" for s in report.skipped[:5])
    return (
        f"no article could be read from {settings.source_dir} ({report.files_read} "
        f"file(s) tried{': ' + reasons if reasons else ''}); previous index kept"
    )


# -- applying ---------------------------------------------------------------------


def _apply(
    settings: Settings,
    live: Path | None,
    plan: _Plan,
    report: BuildReport,
    progress: Progress | None,
    started: float,
    source: str | None,
) -> BuildReport:
    fresh = fresh_directory(settings.index_dir, live)
    try:
        indexes = open_indexes(fresh)
        _write(fresh, indexes, plan, report, progress)
        write_sounds(fresh, indexes[ARTICLES], read_sounds(live) if live else {})
        if live is None and not any(e.get("id") for e in plan.files.values()):
            raise IndexBuildError(_nothing_read(settings, report))
        report.articles = sum(1 for e in plan.files.values() if e.get("id"))
        report.seconds = round(time.perf_counter() - started, 3)
        manifest = report.to_dict() | {"source": source, "files": plan.files}
        write_manifest(fresh, manifest)
        swap(settings.index_dir, fresh)
    except CorpusSearchError:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    except Exception as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise IndexBuildError(f"index build failed, previous index kept: {exc}") from exc
    return report


def _write(
    directory: Path,
    indexes: dict[str, Index],
    plan: _Plan,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    writers = {name: ix.writer(limitmb=WRITER_MB) for name, ix in indexes.items()}
    try:
        for article_id in sorted(plan.delete):
            for writer in writers.values():
                writer.delete_by_term("article_id", article_id)
        paths = _unique_ids(plan, report)

        def record(done: Prepared) -> None:
            _record(done, plan, report)
            if progress:
                progress(1)

        added: dict[str, list[Any]] = {name: [] for name in INDEXES}
        if report.workers > 1 and len(paths) >= PARALLEL_FROM:
            _warm_up()  # forked workers start with the dictionaries loaded
            added = write_in_workers(directory, paths, report.workers, record)
        else:
            for done in map(prepare, paths):
                for name in INDEXES:
                    for doc in done.records.get(name, []):
                        writers[name].add_document(**doc)
                record(done)
        for name, writer in writers.items():
            writer.commit(mergetype=_adding(added[name]))
    except BaseException:
        for writer in writers.values():
            if not writer.is_closed:
                writer.cancel()
        raise


def _adding(segments: list[Any]) -> Callable[[Any, list[Any]], list[Any]]:
    """Whoosh's usual merge policy, then the segments the workers wrote."""

    def merge(writer: Any, existing: list[Any]) -> list[Any]:
        return list(MERGE_SMALL(writer, existing)) + segments

    return merge


def _unique_ids(plan: _Plan, report: BuildReport) -> list[Path]:
    """The files to prepare, less those whose article id another file already has
    (a.txt and a.md): they are reported as skipped."""
    taken = {
        e["id"]: k for k, e in plan.files.items() if e.get("id") and e["id"] not in plan.delete
    }
    keep = []
    for path in plan.prepare:
        article_id = make_id(path.stem)
        if article_id in taken and taken[article_id] != str(path):
            reason = f"same article id {article_id!r} as {Path(taken[article_id]).name}"
            skipped = Skipped(path.name, reason)
            report.skipped.append(skipped)
            plan.files[str(path)] = {"digest": "", "name": path.name, "skipped": reason}
            continue
        taken[article_id] = str(path)
        keep.append(path)
    return keep


def _record(done: Prepared, plan: _Plan, report: BuildReport) -> None:
    """What the manifest and the report say of one prepared file."""
    entry: dict[str, Any] = {"digest": done.digest, "name": Path(done.path).name}
    if done.skipped is not None:
        report.skipped.append(done.skipped)
        plan.files[done.path] = entry | {"skipped": done.skipped.reason}
        return
    was = plan.files.get(done.path)
    if was and was.get("id"):
        report.updated += 1
    else:
        report.added += 1
    plan.files[done.path] = entry | {"id": done.article_id}
    report.passages += done.passages
    report.quotes += done.quotes
    report.attributed_quotes += done.attributed


def _warm_up() -> None:
    from corpus_search.analysis import analyse

    analyse("張勇 warm up 预热")
