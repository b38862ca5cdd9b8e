"""A time budget per request: work stops, with a clear message, when it runs out.

Each search, count, quote search or highlighting works to a `Deadline`: the one
its caller passes, else the one pinned for the request being answered (`pinned`:
the web app pins one per request, so all of a page's searches share it), else a
new one of `SearchService.time_budget` seconds (the CORPUS_SEARCH_QUERY_BUDGET_MS
setting: 3 s by default, ~15x the slowest ordinary query at 10k articles). The
loops whose work grows with the query (one step per node of the query tree, per
few hundred candidate documents of a phrase, per term of the snippets) call
`check()`, which raises `QueryTooCostly` once the budget is spent, or
`SearchCancelled` once the ``cancelled`` event is set (the client went away).
Checking costs a clock read: well under a microsecond.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from corpus_search.errors import QueryTooCostly, SearchCancelled, shown

__all__ = ["Deadline", "current_deadline", "pinned"]


class Deadline:
    """When a request's work must stop (``seconds=None``: never, unless cancelled).

    The clock starts at the first `check()`, when the work starts: a request that
    waited for a free worker thread under load has not spent its budget waiting."""

    def __init__(
        self, seconds: float | None, query: str = "", cancelled: threading.Event | None = None
    ) -> None:
        self.seconds = seconds
        self.query = query
        self.cancelled = cancelled
        self._end: float | None = None

    def remaining(self) -> float | None:
        """Seconds left (starting the clock if it had not started; None: no limit), for
        work that takes a limit of its own (a Xapian match)."""
        end = self._started()
        return None if end is None else max(0.0, end - time.monotonic())

    def _started(self) -> float | None:
        """When the work must end (the clock starts on first use); None: never."""
        if self.seconds is not None and self._end is None:
            self._end = time.monotonic() + self.seconds
        return self._end

    def check(self) -> None:
        """Raise if the work must stop now."""
        if self.cancelled is not None and self.cancelled.is_set():
            raise SearchCancelled("The search was cancelled before it finished.")
        end = self._started()
        if end is not None and time.monotonic() >= end:
            raise QueryTooCostly(
                f"The search for {shown(self.query)} was stopped: it needed more than its "
                f"{self.seconds:g}-second budget. Search for fewer words or a shorter phrase, "
                "or narrow it with a filter (executive, topic, language, year)."
            )


_CURRENT: ContextVar[Deadline | None] = ContextVar("corpus_search_deadline", default=None)


def current_deadline() -> Deadline | None:
    """The deadline of the request being answered (see `pinned`), if any."""
    return _CURRENT.get()


@contextmanager
def pinned(deadline: Deadline) -> Iterator[Deadline]:
    """Every search call made inside (in this context, and the worker threads it
    hands work to) shares ``deadline``: one budget for one request's searches."""
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)
