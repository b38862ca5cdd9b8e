"""Preparing and writing files in worker processes, each into its own segments.

Each worker takes a contiguous share of the files (by size), prepares them
(`documents.prepare`) and adds their records to its own Whoosh segment of each
index; the parent only tallies what the workers report and, at the end, commits
their segments into the indexes' tables of contents. Both the analysis and the
posting writing, the two costly parts of a build, so run on every core. For a
Xapian build the workers only prepare, spooling the records its database is
written from (`index.xapian`).

Preparing a file makes hundreds of thousands of short-lived tuples and lists,
and Python's cyclic garbage collector, which runs every few hundred new ones,
kept tracing the build's live data (about a tenth of a build's CPU); collecting
between files still cost a few percent. A build makes almost no cyclic garbage (five
objects in a 250-article run), so the collector is off while files are prepared
and each file's survivors are frozen out of its sight (`between_files`), as are
the dictionaries loaded before the fork (which also keeps their pages shared
with the parent).

This uses two of Whoosh's segment-writer internals, as Whoosh's own
multiprocessing writer does: a writer that does not take the index lock
(``_lk=False``: the parent holds it) and ``_finalize_segment()``.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import queue
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus_search.index.documents import Prepared, prepare
from corpus_search.index.schema import INDEXES
from corpus_search.index.store import open_indexes
from corpus_search.index.writer import BuildWriter
from corpus_search.index.xapian import Spool

__all__ = ["write_in_workers", "shares", "between_files"]

_PR_SET_PDEATHSIG = 1  # prctl(2)
WORKER_MB = 96  # postings held by each worker writer, per index, before a run is spilled
POLL_SECONDS = 1.0


@contextmanager
def between_files() -> Iterator[Callable[[], None]]:
    """No garbage collection while files are prepared: the function given, called
    after each file, moves what the file left alive (records, postings) out of the
    collector's sight (``gc.freeze``), so no collection ever traces the build's
    growing data again. Acyclic garbage is freed by reference counting as usual; the
    little cyclic garbage a build makes stays until the end. On leaving, the frozen
    objects are handed back to the collector, unless some were frozen on entry (a
    forked worker, with its parent's dictionaries): then the process is a worker's,
    and leaves them be."""
    enabled, frozen_before = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        yield gc.freeze
    finally:
        if not frozen_before:
            gc.unfreeze()
        if enabled:
            gc.enable()


def shares(paths: list[Path], workers: int) -> list[list[Path]]:
    """``paths`` cut into at most ``workers`` contiguous runs of similar total size."""
    sizes = [max(1, _size(p)) for p in paths]
    total, runs, current, filled = sum(sizes), [], [], 0
    for path, size in zip(paths, sizes, strict=True):
        current.append(path)
        filled += size
        if filled >= total * (len(runs) + 1) / workers and len(runs) < workers - 1:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _Orphaned(Exception):
    """The build process that started this worker is gone: stop."""


def _send(results: Any, item: tuple[str, Any], parent: int) -> None:
    while True:
        try:
            results.put(item, timeout=POLL_SECONDS)
            return
        except queue.Full:
            if os.getppid() != parent:
                raise _Orphaned from None


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the build process dies (Linux): a worker
    that has finished its files may be waiting, at exit, for its last messages to go
    through a pipe that nobody reads any more. Elsewhere the checks between files
    remain."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before the request was made
        raise _Orphaned


def _work(
    run: int, directory: str, paths: list[str], results: Any, parent: int, keep: bool, whoosh: bool
) -> None:
    try:
        _die_with(parent)
        indexes = open_indexes(Path(directory)) if whoosh else {}
        writers = {
            name: BuildWriter(ix, _lk=False, limitmb=WORKER_MB) for name, ix in indexes.items()
        }
        spool = Spool(Path(directory), f"worker-{run:03d}") if keep else None
        with between_files() as collect:
            for path in paths:
                if os.getppid() != parent:  # the build was killed: its workers go too
                    raise _Orphaned
                done = prepare(Path(path), pairs=keep)
                for name, writer in writers.items():
                    for record in done.records.get(name, []):
                        writer.add_document(**record)
                if spool is not None:
                    spool.add(done.records, done.path)  # for the Xapian database
                done.records = {}
                _send(results, ("file", done), parent)
                collect()
        segments = {}
        for name, writer in writers.items():
            if writer._added:
                segments[name] = writer._finalize_segment()
            else:
                writer._close_segment()
            writer._finish()
        if spool is not None:
            spool.close()
        _send(results, ("done", (run, segments)), parent)
    except _Orphaned:
        return
    except BaseException:
        _send(results, ("error", traceback.format_exc()), parent)


def write_in_workers(
    directory: Path,
    paths: list[Path],
    workers: int,
    on_file: Callable[[Prepared], None],
    keep_records: bool = False,
    whoosh: bool = True,
) -> dict[str, list[Any]]:
    """Prepare and write ``paths`` in worker processes; the new segments of each Whoosh
    index (``whoosh``), or none (``keep_records``: each worker spools its records for
    the Xapian database, `index.xapian`)."""
    context = multiprocessing.get_context("fork")
    results = context.Queue(maxsize=1024)
    runs = shares(paths, workers)
    processes = [
        context.Process(
            target=_work,
            args=(i, str(directory), [str(p) for p in run], results, os.getpid(), keep_records),
            kwargs={"whoosh": whoosh},
        )
        for i, run in enumerate(runs)
    ]
    gc.freeze()  # what is loaded now stays out of the workers' collections
    try:
        for process in processes:
            process.start()
    finally:
        gc.unfreeze()
    segments: dict[str, list[Any]] = {name: [] for name in INDEXES}
    finished: list[tuple[int, dict[str, Any]]] = []
    try:
        while len(finished) < len(processes):
            try:
                kind, payload = results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in processes):
                    raise RuntimeError("a build worker died") from None
                continue
            if kind == "file":
                on_file(payload)
            elif kind == "done":
                finished.append(payload)
            else:
                raise RuntimeError(f"a build worker failed:\n{payload}")
    finally:
        for process in processes:
            if process.is_alive() and len(finished) < len(processes):
                process.terminate()
            process.join()
    # Keep file order: the runs were cut in order, and finish in any order.
    for _, found in sorted(finished, key=lambda f: f[0]):
        for name, segment in found.items():
            segments[name].append(segment)
    return segments
