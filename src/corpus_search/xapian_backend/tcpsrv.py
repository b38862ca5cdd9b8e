"""One shard database served to remote clients by Xapian's own `xapian-tcpsrv`.

`xapian-tcpsrv` (Debian's ``xapian-tools``: ``scripts/install-xapian``) listens on
one address and forks a process per connection, each opening the database read
only. It runs here in a session of its own, so that stopping it stops the
connections it forked as well: a stopped shard is gone for its clients at once.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO

import xapian

from corpus_search.errors import ShardServerError

__all__ = ["TCPSRV", "ShardServerError", "ShardServer", "executable", "free_port"]

TCPSRV = "xapian-tcpsrv"
_POLL = 0.05  # seconds between two readiness checks


def executable() -> str | None:
    """Where xapian-tcpsrv is installed (None: not installed)."""
    return shutil.which(TCPSRV)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the OS's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _answers(host: str, port: int) -> bool:
    """Does a Xapian server answer there (its greeting read, the connection closed)?"""
    try:
        xapian.remote_open(host, port, 2000, 500).close()
    except (xapian.NetworkError, xapian.DatabaseError):
        return False
    return True


class ShardServer:
    """xapian-tcpsrv serving ``directory`` read-only on ``host``:``port`` (a free
    port when 0). Use as a context manager, or call start() and stop()."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = directory
        self.host = host
        self.port = port or free_port(host)
        self.process: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None  # its stderr (a file: a pipe could fill up)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def command(self) -> list[str]:
        program = executable()
        if program is None:
            raise ShardServerError(f"{TCPSRV} is not installed: run scripts/install-xapian")
        port, where = str(self.port), str(self.directory)
        return [program, "--quiet", "--interface", self.host, "--port", port, where]

    def start(self, timeout: float = 10.0) -> ShardServer:
        """Start serving; returns once the server answers (ShardServerError if not)."""
        if self.running():
            return self
        self._errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.command(),
            stdout=subprocess.DEVNULL,
            stderr=self._errors,
            start_new_session=True,
        )
        self._wait_ready(time.monotonic() + timeout)
        return self

    def _wait_ready(self, deadline: float) -> None:
        assert self.process is not None
        while not _answers(self.host, self.port):
            if self.process.poll() is not None:
                said = self._said()
                self.stop()
                raise ShardServerError(f"{TCPSRV} on {self.address} exited: {said}")
            if time.monotonic() > deadline:
                self.stop()
                raise ShardServerError(f"{TCPSRV} on {self.address} did not answer in time")
            time.sleep(_POLL)

    def _said(self) -> str:
        """What the server wrote to its stderr."""
        if self._errors is None:
            return ""
        self._errors.seek(0)
        return self._errors.read().decode(errors="replace").strip()

    def wait(self) -> str:
        """Wait until the server exits by itself; what it wrote to its stderr."""
        if self.process is not None:
            self.process.wait()
        return self._said()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server and every connection it serves: the signal goes to its
        whole process group (the forked connections are in it), before it is reaped."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout)
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def __enter__(self) -> ShardServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def _signal_group(group: int, sig: signal.Signals) -> None:
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        pass
