"""Objects that must not serve two threads at once (Whoosh searchers, Xapian
databases), opened as needed and lent to one request thread at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, Protocol, TypeVar

__all__ = ["Pool"]


class _Closable(Protocol):
    def close(self) -> None: ...


T = TypeVar("T", bound=_Closable)


class Pool(Generic[T]):
    """Lends ``opened()`` objects, one thread at a time; each is kept for the next
    borrower, and closed once the pool is (a borrowed one when it comes back)."""

    def __init__(self, opened: Callable[[], T]) -> None:
        self._opened = opened
        self._free: list[T] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def lend(self) -> Iterator[T]:
        with self._lock:
            item = self._free.pop() if self._free else None
        if item is None:
            item = self._opened()
        try:
            yield item
        finally:
            with self._lock:
                if self._closed:
                    item.close()
                else:
                    self._free.append(item)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            free, self._free = self._free, []
        for item in free:
            item.close()
