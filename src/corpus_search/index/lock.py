"""One build at a time per index path.

Every change to an index (``build``, ``add``, ``remove``, the build ``serve`` runs
when there is none) holds an exclusive lock on a file beside the index path for
its whole run: from reading the live build to swapping in the new one. A second
build of the same index gets a clear error naming the one that holds the lock
(or, where asked, waits for it). The lock is the kernel's (``flock``), so a build
that is killed releases it with its process: no stale lock file to remove by hand.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from corpus_search.errors import BuildLockedError

__all__ = ["build_lock", "lock_path", "locked_build"]

POLL_SECONDS = 0.2
F = TypeVar("F", bound=Callable[..., Any])
_held: set[int] = set()  # descriptors of the locks this process holds


def _forget_in_child() -> None:
    # A forked build worker inherits the descriptor; closing its copy leaves the
    # lock with the parent, so the lock goes when the build's own process does.
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def lock_path(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.build-lock"


@contextmanager
def build_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the build lock of ``index_dir``; waits up to ``wait`` seconds for another
    build to finish, then raises `BuildLockedError`."""
    path = lock_path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(fd, index_dir, wait)
        _held.add(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        yield
    finally:
        _held.discard(fd)
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, index_dir: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise BuildLockedError(_busy(fd, index_dir)) from None
            time.sleep(POLL_SECONDS)


def _busy(fd: int, index_dir: Path) -> str:
    try:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        holder = ""
    by = f" ({holder})" if holder else ""
    return (
        f"another build of the index at {index_dir} is running{by}: "
        "wait for it to finish, or build into another --index"
    )


def locked_build(function: F) -> F:
    """Run ``function(settings, ...)`` holding the build lock of ``settings.index_dir``."""

    @wraps(function)
    def run(settings: Any, *args: Any, **kwargs: Any) -> Any:
        with build_lock(settings.index_dir):
            return function(settings, *args, **kwargs)

    return run  # type: ignore[return-value]
