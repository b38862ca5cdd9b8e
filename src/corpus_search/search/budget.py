"""A time budget per request: work stops, with a clear message, when it runs out.

Each search, count, quote search or highlighting gets a `Deadline` when it starts
(`SearchService.time_budget` seconds, or one the caller shares across the several
searches of one request). The loops whose work grows with the query — one step per
node of the query tree, per few hundred candidate documents of a phrase, per term
of the snippets — call `check()`, which raises `QueryTooCostly` once the budget is
spent, or `SearchCancelled` once the caller has set the ``cancelled`` event (its
client went away). Checking costs a clock read: well under a microsecond.
"""

from __future__ import annotations

import threading
import time

from corpus_search.errors import QueryTooCostly, SearchCancelled, shown

__all__ = ["Deadline", "TIME_BUDGET"]

TIME_BUDGET = 3.0  # seconds per request: ~15x the slowest ordinary query at 10k articles


class Deadline:
    """When a request's work must stop (``seconds=None``: never, unless cancelled)."""

    def __init__(
        self, seconds: float | None, query: str = "", cancelled: threading.Event | None = None
    ) -> None:
        self.seconds = seconds
        self.query = query
        self.cancelled = cancelled
        self._end = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        """Raise if the work must stop now."""
        if self.cancelled is not None and self.cancelled.is_set():
            raise SearchCancelled("The search was cancelled before it finished.")
        if self._end is not None and time.monotonic() >= self._end:
            raise QueryTooCostly(
                f"The search for {shown(self.query)} was stopped: it needed more than its "
                f"{self.seconds:g}-second budget. Search for fewer words or a shorter phrase, "
                "or narrow it with a filter (executive, topic, language, year)."
            )
