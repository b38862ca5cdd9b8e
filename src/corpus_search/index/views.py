"""Read segment files in place: a fix for whoosh-ng 5.4.0's in-memory copies.

A Whoosh segment is one compound file, memory-mapped; each part of it is opened as
a ``BufferFile``, which whoosh-ng 5.4.0 wraps in a ``BytesIO`` - a full copy of
the part. Every reader, so every searcher of our pool, then held a private copy
of the whole index (about 440 MB per searcher at 10,000 articles). `ViewFile`
reads the mapped bytes where they are; `install()` makes ``BufferFile`` use it.
"""

from __future__ import annotations

from whoosh.filedb import structfile

__all__ = ["ViewFile", "install"]

PEEK_BYTES = 256  # more than a posting block's header pickle


class ViewFile:
    """A read-only file over a buffer (a slice of the segment's memory map)."""

    def __init__(self, buf: object) -> None:
        self._view = memoryview(buf)  # type: ignore[arg-type]
        self._pos = 0

    def read(self, n: int | None = -1) -> bytes:
        size = len(self._view)
        end = size if n is None or n < 0 else min(size, self._pos + n)
        data = self._view[self._pos : end].tobytes()
        self._pos = end
        return data

    def peek(self, n: int = 0) -> bytes:
        """The next bytes, without moving: lets ``pickle.load`` read a small pickle (a
        posting block's header) in two calls instead of one per field. Fewer bytes than
        asked are allowed: a larger pickle is read on as usual."""
        return self._view[self._pos : self._pos + min(max(n, 1), PEEK_BYTES)].tobytes()

    def readline(self) -> bytes:
        rest = self._view[self._pos :].tobytes()
        cut = rest.find(b"\n")
        line = rest if cut < 0 else rest[: cut + 1]
        self._pos += len(line)
        return line

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._view.release()

    def write(self, data: bytes) -> None:
        raise OSError("segment files are read-only")

    def truncate(self, size: int | None = None) -> None:
        raise OSError("segment files are read-only")


def _init(
    self: structfile.BufferFile, buf: object, name: str | None = None, onclose: object = None
) -> None:
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def install() -> None:
    """Make Whoosh's BufferFile read its buffer in place (idempotent)."""
    structfile.BufferFile.__init__ = _init  # type: ignore[method-assign]


install()
