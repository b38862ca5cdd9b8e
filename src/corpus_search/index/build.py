"""Building the index: full builds, incremental builds, adding and removing files.

Every change goes the same way: a new build directory (empty, or hard links to
the live build for an incremental change), the changed files prepared in
parallel worker processes (`documents.prepare`: read, clean, quote, analyse
once), one writer per index deleting and adding records, a manifest recording
each file's content hash (and the people found in its text, merged over all
files into ``people.json``: `index.people`), then the atomic swap (`store.swap`).
Whatever fails, the previous build keeps serving.

An incremental build re-processes only the files that are new or whose content
changed since the live build (`plan`), and removes the articles of files that
are gone. Every file of the folder is accounted for in the report: indexed,
unchanged, or skipped with the reason (`folder`, `formats`).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.writing import MERGE_SMALL

from corpus_search.config import Settings, default_workers
from corpus_search.errors import CorpusSearchError, IndexBuildError
from corpus_search.folder import file_problem, list_folder
from corpus_search.index import longterms
from corpus_search.index.documents import Prepared, prepare
from corpus_search.index.ids import ShardSpec
from corpus_search.index.lock import locked_build
from corpus_search.index.parallel import between_files, write_in_workers
from corpus_search.index.people import write_people
from corpus_search.index.plan import (
    Entry,
    Plan,
    compare,
    entry_ids,
    entry_renamed,
    entry_skipped,
    keep_shard,
    plan_folder,
    recheck,
    settle,
)
from corpus_search.index.report import BuildReport
from corpus_search.index.schema import ARTICLES, INDEXES
from corpus_search.index.sounds import read_sounds, write_sounds
from corpus_search.index.store import (
    fingerprint,
    fresh_directory,
    keep_source,
    live_directory,
    open_indexes,
    prune_sources,
    read_manifest,
    serves,
    swap,
    write_manifest,
)
from corpus_search.index.writer import BuildWriter
from corpus_search.index.xapian import XapianWriter, averaging_sample
from corpus_search.models import FileReport, Skipped

__all__ = ["BuildReport", "Progress", "rebuild", "add_files", "remove_articles", "default_workers"]

Progress = Callable[[int], None]  # called with how many more files are done
PARALLEL_FROM = 24  # fewer changed files than this are prepared in this process
WRITER_MB = 256
_MB = 2**20
longterms.install()  # a very long article's words (workers are forked after this)


@locked_build
def rebuild(
    settings: Settings,
    *,
    full: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    on_plan: Callable[[int], None] | None = None,
    max_bytes: int | None = None,
    shard: ShardSpec | None = None,
) -> BuildReport:
    """Bring the index in line with ``settings.source_dir`` and swap it in atomically.

    Incremental when a current build of the same folder exists (unless ``full``);
    files over ``max_bytes`` (default: the MAX_FILE_MB setting) are skipped. With
    ``shard``, only that shard's files are indexed (`ids`), and later builds of
    the index keep to it."""
    started = time.perf_counter()
    max_bytes = max_bytes or settings.max_file_mb * _MB
    report = _report(settings, workers, max_bytes)
    source = settings.source_dir.resolve()
    listing = list_folder(settings.source_dir, max_bytes)
    paths = [found.path for found in listing.files]
    live = None if full else _reusable(settings)
    if not serves(live, settings.backend):
        live = None  # a build for the other backend: every file is read again
    previous = read_manifest(live) if live else {}
    shard = shard or _shard_of(previous)
    if previous.get("source") != str(source) or previous.get("shard") != _text(shard):
        live, previous = None, {}  # another folder or shard: start afresh
    known = dict(previous.get("files", {}))
    kept = {k: v for k, v in known.items() if not Path(k).is_relative_to(source)}
    plan = plan_folder(paths, {k: v for k, v in known.items() if k not in kept}, report)
    plan.files.update(recheck(kept, plan, report))
    plan.shown = {str(found.path): found.name for found in listing.files}
    report.skipped += listing.skipped
    report.mode = "incremental" if live else "full"
    report.files_read = len(paths)
    settle(plan, report)
    # A new Xapian database's averages come from these files (`index.xapian`).
    sample = averaging_sample(plan.shown) if settings.backend == "xapian" else []
    elsewhere: dict[str, int] = {}
    if shard is not None:
        elsewhere = keep_shard(plan, shard)
        report.shard = str(shard)
    elif not live and not plan.prepare:
        raise IndexBuildError(_nothing_read(settings, report))
    if on_plan:
        on_plan(len(plan.prepare))
    if live and not plan.prepare and not plan.delete:
        _account(plan, report, listing.skipped, started)
        return report  # nothing changed: the live build stays as it is
    measured = [Path(p) for p in sample if p in elsewhere]  # other shards' files, measured
    report.phases["plan"] = round(time.perf_counter() - started, 3)
    return _apply(
        settings,
        live,
        plan,
        report,
        progress,
        started,
        str(source),
        listing.skipped,
        (sample, measured),
    )


@locked_build
def add_files(
    settings: Settings,
    files: Iterable[Path],
    *,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> BuildReport:
    """Index these files (new or changed) into the live build, wherever they are."""
    started = time.perf_counter()
    max_bytes = max_bytes or settings.max_file_mb * _MB
    report = _report(settings, None, max_bytes)
    live = _reusable(settings, required=True, backend=settings.backend)
    manifest = read_manifest(live)
    plan = Plan(files=dict(manifest.get("files", {})))
    plan.shown = {path: entry.get("file", path) for path, entry in plan.files.items()}
    paths, refused = [], []
    for path in (Path(f).absolute() for f in files):
        if not path.is_file():
            raise IndexBuildError(f"not a file: {path}")
        problem = file_problem(path, max_bytes)
        if problem:
            refused.append(Skipped(str(path), problem))
            continue
        paths.append(path.resolve())
        plan.shown.setdefault(str(paths[-1]), _shown(paths[-1], manifest.get("source")))
    report.files_read = len(paths)
    compare(paths, plan, report)
    settle(plan, report)
    shard = _shard_of(manifest)
    if shard is not None:
        report.shard = str(shard)
        for path, owner in keep_shard(plan, shard).items():
            del plan.files[path]  # never this shard's: the manifest need not know it
            reason = f"belongs to shard {owner} of {shard.count}: add it there"
            refused.append(Skipped(plan.shown.get(path, path), reason))
    report.skipped += refused
    report.mode, report.source = "incremental", manifest.get("source") or report.source
    source = manifest.get("source")
    return _apply(settings, live, plan, report, progress, started, source, refused)


@locked_build
def remove_articles(settings: Settings, ids: Iterable[str]) -> BuildReport:
    """Take these articles out of the live build (a file of several articles is read
    again, whole, by the next build of its folder)."""
    started = time.perf_counter()
    report = _report(settings, 1, 0)
    live = _reusable(settings, required=True, backend=settings.backend)
    manifest = read_manifest(live)
    files: dict[str, Entry] = dict(manifest.get("files", {}))
    by_id = {i: path for path, entry in files.items() for i in entry_ids(entry)}
    wanted = list(dict.fromkeys(ids))
    unknown = [i for i in wanted if i not in by_id]
    shard = _shard_of(manifest)
    if unknown and shard is not None:
        owners = ", ".join(f"{i!r} (shard {shard.owner(i)})" for i in unknown)
        raise IndexBuildError(
            f"not on this shard ({shard}, numbered from 0): {owners}; remove them there"
        )
    if unknown:
        raise IndexBuildError(f"no article with id {', '.join(map(repr, unknown))} in the index")
    plan = Plan(delete=set(wanted), files=files)
    for path in dict.fromkeys(by_id[i] for i in wanted):
        _forget(plan, path, set(wanted))
    report.removed, report.mode = len(wanted), "incremental"
    return _apply(settings, live, plan, report, None, started, manifest.get("source"))


def _shard_of(manifest: dict[str, Any]) -> ShardSpec | None:
    """The shard a build was made for (None: not sharded)."""
    return ShardSpec.parse(manifest["shard"]) if manifest.get("shard") else None


def _text(shard: ShardSpec | None) -> str | None:
    return None if shard is None else str(shard)


def _shown(path: Path, source: str | None) -> str:
    """A file's name in the report: its path in the source folder, or its full path."""
    if source and path.is_relative_to(source):
        return path.relative_to(source).as_posix()
    return str(path)


def _forget(plan: Plan, path: str, ids: set[str]) -> None:
    """Take ids out of a file's entry; the entry goes when none is left, else its hash
    does (so the next build reads the file again)."""
    entry = plan.files[path]
    left = [i if i not in ids else None for i in entry.get("ids", entry_ids(entry))]
    if not any(left):
        del plan.files[path]
        return
    plan.files[path] = entry | {"digest": "", "ids": left, "id": next(i for i in left if i)}


# -- planning ---------------------------------------------------------------------


def _report(settings: Settings, workers: int | None, max_bytes: int) -> BuildReport:
    return BuildReport(
        source=str(settings.source_dir.resolve()),
        index=str(settings.index_dir),
        fingerprint=fingerprint(),
        workers=workers or default_workers(),
        max_file_mb=round(max_bytes / _MB, 3),
    )


def _reusable(settings: Settings, required: bool = False, backend: str = "") -> Path | None:
    """The live build, if this version wrote it (else a full build is needed); with
    ``backend``, it must be a build for that backend, to be updated."""
    live = live_directory(settings)
    if live is not None and backend and not serves(live, backend):
        raise IndexBuildError(
            f"the index at {settings.index_dir} was built for the other backend (no "
            f"{'Xapian database' if backend == 'xapian' else 'Whoosh indexes'} to update): "
            f"run `corpus-search build --backend {backend}` first, or pass the backend it "
            "was built with"
        )
    if live is not None and read_manifest(live).get("fingerprint") == fingerprint():
        return live
    if required:
        raise IndexBuildError(
            f"no current index at {settings.index_dir}: run `corpus-search build` first"
        )
    return None


def _nothing_read(settings: Settings, report: BuildReport) -> str:
    reasons = "; ".join(str(s) for s in report.skipped[:5])
    return (
        f"no article could be read from {settings.source_dir} ({report.files_read} "
        f"file(s) tried{': ' + reasons if reasons else ''}); previous index kept"
    )


# -- applying ---------------------------------------------------------------------


def _apply(
    settings: Settings,
    live: Path | None,
    plan: Plan,
    report: BuildReport,
    progress: Progress | None,
    started: float,
    source: str | None,
    unread: list[Skipped] | None = None,
    averaging: tuple[list[str], list[Path]] = ([], []),
) -> BuildReport:
    """Write the plan into a new build and swap it in. ``averaging``: the files a new
    Xapian database's averages are taken over, and those of them another shard
    writes (read here only for their lengths)."""
    # A build for one backend: Whoosh's indexes, or one Xapian database (`index.xapian`).
    on_xapian = settings.backend == "xapian"
    fresh = fresh_directory(settings.index_dir, live, whoosh=not on_xapian)
    try:
        sample, measured = averaging
        xapian = XapianWriter(fresh, live, sample) if on_xapian else None
        if xapian is not None and xapian.averaging and measured:
            with report.stage("measure"):  # other shards' sample files
                for path in measured:
                    xapian.measure(prepare(path).records, str(path))
        indexes = {} if on_xapian else open_indexes(fresh)
        _write(fresh, indexes, plan, report, progress, xapian)
        with report.stage("finish"):
            write_people(fresh, _people(plan))
        if xapian is not None:
            with report.stage("xapian"):
                xapian.write(plan.delete, report.workers)
        else:
            with report.stage("finish"):
                write_sounds(fresh, indexes[ARTICLES], read_sounds(live) if live else {})
        _account(plan, report, unread or [], started)
        if live is None and not report.articles and report.shard is None:
            raise IndexBuildError(_nothing_read(settings, report))
        prune_sources(fresh, {e["digest"] for e in plan.files.values() if entry_ids(e)})
        manifest = report.to_dict() | {"source": source, "files": plan.files}
        del manifest["file_reports"]  # the files map says it all
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
    plan: Plan,
    report: BuildReport,
    progress: Progress | None,
    xapian: XapianWriter | None = None,
) -> None:
    """Write the plan into the Whoosh ``indexes`` (none: a Xapian build), and hand every
    record to ``xapian``."""
    # Whoosh's own writer, with each field's lengths read once when it flushes.
    writers = {name: BuildWriter(ix, limitmb=WRITER_MB) for name, ix in indexes.items()}
    try:
        for article_id in sorted(plan.delete):
            for writer in writers.values():
                writer.delete_by_term("article_id", article_id)

        def record(done: Prepared) -> None:
            if done.data is not None and done.skipped is None:
                keep_source(directory, done.digest, done.data)
            done.data = None
            if xapian is not None:
                xapian.collect(done.records, done.path)
            done.records = {}
            _record(done, plan, report)
            if progress:
                progress(1)

        keep = xapian is not None
        with report.stage("prepare"):
            added = _prepare_all(directory, writers, plan, report.workers, record, keep)
        with report.stage("commit"):
            for name, writer in writers.items():
                writer.commit(mergetype=_adding(added[name]))
    except BaseException:
        for writer in writers.values():
            if not writer.is_closed:
                writer.cancel()
        raise


def _prepare_all(
    directory: Path,
    writers: dict[str, Any],
    plan: Plan,
    workers: int,
    record: Callable[[Prepared], None],
    keep_records: bool = False,
) -> dict[str, list[Any]]:
    """Prepare the plan's files, in workers when there are enough of them (those with
    a `Job` here); the segments the workers wrote, by index (``keep_records``: the
    workers spool each file's records for Xapian too: `index.xapian`)."""

    def add(done: Prepared) -> None:
        for name, writer in writers.items():
            for doc in done.records.get(name, []):
                writer.add_document(**doc)
        record(done)

    added: dict[str, list[Any]] = {name: [] for name in INDEXES}
    plain = [p for p in plan.prepare if str(p) not in plan.jobs]
    if workers > 1 and len(plain) >= PARALLEL_FROM:
        _warm_up()  # forked workers start with the dictionaries loaded
        added = write_in_workers(
            directory, plain, workers, record, keep_records, whoosh=bool(writers)
        )
        plain = []
    with between_files() as collect:
        for path in plain:
            add(prepare(path, pairs=keep_records))
            collect()
        for path, job in plan.jobs.items():  # another name or other ids: prepared here
            add(prepare(Path(path), job, pairs=keep_records))
            collect()
    return added


def _adding(segments: list[Any]) -> Callable[[Any, list[Any]], list[Any]]:
    """Whoosh's usual merge policy, then the segments the workers wrote."""

    def merge(writer: Any, existing: list[Any]) -> list[Any]:
        return list(MERGE_SMALL(writer, existing)) + segments

    return merge


def _people(plan: Plan) -> list[tuple[list[str], list[Any]]]:
    """Each file's article ids in the build and the people found in them, in path order
    (the same for a full and an incremental build)."""
    return [(entry_ids(entry), entry.get("people", [])) for _, entry in sorted(plan.files.items())]


def _record(done: Prepared, plan: Plan, report: BuildReport) -> None:
    """What the manifest and the report say of one prepared file."""
    shown = plan.shown.get(done.path, done.path)
    keys = plan.keys.get(done.path, done.keys)  # what the build gave out ids for
    entry: Entry = {"digest": done.digest, "name": done.name, "file": shown, "keys": keys}
    if done.skipped is not None:
        plan.files[done.path] = entry | {"skipped": done.skipped.reason}
        return
    was = plan.files.get(done.path)
    if was and entry_ids(was):
        report.updated += 1
    else:
        report.added += 1
    job = plan.jobs.get(done.path)
    given = list(job.ids) if job else keys
    plan.files[done.path] = entry | {
        "format": done.format,
        "encoding": done.encoding,
        "ids": done.article_ids,
        "id": done.article_id,
    }
    if done.dropped:
        plan.files[done.path]["dropped"] = [[s.part, s.reason] for s in done.dropped]
    if done.people:
        plan.files[done.path]["people"] = done.people
    if given != keys:
        plan.files[done.path]["given"] = given
    report.passages += done.passages
    report.quotes += done.quotes
    report.attributed_quotes += done.attributed


def _account(plan: Plan, report: BuildReport, unread: list[Skipped], started: float) -> None:
    """The report's file list, what was skipped (files, records), and totals."""
    fresh = {str(p) for p in plan.prepare}
    files = [_file_report(plan, path, path in fresh) for path in plan.files]
    files += [FileReport(s.source_file, "skipped", reason=s.reason) for s in unread]
    report.file_reports = sorted(files, key=lambda f: f.file)
    skipped, renamed = list(unread), []
    for path, entry in plan.files.items():
        skipped += entry_skipped(plan, path, entry)
        renamed += entry_renamed(plan, path, entry)
    report.skipped = sorted(skipped, key=lambda s: s.source_file)
    report.renamed = sorted(renamed, key=lambda r: r.source_file)
    report.articles = sum(len(entry_ids(e)) for e in plan.files.values())
    report.finish_timing(started)


def _file_report(plan: Plan, path: str, fresh: bool) -> FileReport:
    entry = plan.files[path]
    shown = plan.shown.get(path, entry.get("file", path))
    if entry.get("skipped"):
        return FileReport(shown, "skipped", reason=entry["skipped"])
    if "shard" in entry:
        return FileReport(shown, "elsewhere", reason=f"shard {entry['shard']}'s")
    status = "indexed" if fresh else "unchanged"
    return FileReport(
        shown, status, len(entry_ids(entry)), entry.get("format"), entry.get("encoding")
    )


def _warm_up() -> None:
    """Load the dictionaries every worker needs once, before the workers are forked:
    the analysis's, and the tagger's that finds unknown names (2.5 s each time)."""
    from corpus_search.analysis import analyse
    from corpus_search.segment import tagged

    analyse("張勇 warm up 预热")
    tagged("集團總裁林曉峰表示")
