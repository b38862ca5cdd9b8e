"""One budget per request, shared by all its searches, and stopped when the client goes."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from corpus_search.config import Settings, SettingsError
from corpus_search.errors import QueryTooCostly, SearchCancelled
from corpus_search.search import SearchService
from corpus_search.search.budget import Deadline, current_deadline, pinned
from corpus_search.web.cancel import RequestBudget


def test_the_budget_is_a_setting() -> None:
    settings = Settings.from_env({"CORPUS_SEARCH_QUERY_BUDGET_MS": "250"})
    assert SearchService(settings).time_budget == 0.25
    with pytest.raises(SettingsError, match="CORPUS_SEARCH_QUERY_BUDGET_MS"):
        Settings.from_env({"CORPUS_SEARCH_QUERY_BUDGET_MS": "soon"})


def test_the_clock_starts_when_the_work_does() -> None:
    deadline = Deadline(0.05, "q")
    time.sleep(0.1)  # waiting for a worker thread is not work
    deadline.check()
    time.sleep(0.1)
    with pytest.raises(QueryTooCostly, match="0.05-second budget"):
        deadline.check()


def test_a_pinned_deadline_is_shared_by_every_search_of_the_request(
    service: SearchService,
) -> None:
    spent = Deadline(0.0, "張勇")  # over as soon as the work starts
    with pinned(spent):
        assert current_deadline() is spent
        with pytest.raises(QueryTooCostly):
            service.search("張勇")
        with pytest.raises(QueryTooCostly):
            service.count("张勇")
    assert service.search("張勇").total > 0  # outside the request, a budget of its own


class _Service:
    time_budget = 60.0

    def deadline(self, q: str = "", cancelled: Any = None) -> Deadline:
        return Deadline(self.time_budget, q, cancelled)


def test_work_stops_when_the_client_goes() -> None:
    seen: dict[str, Any] = {}

    def search() -> None:  # a search that only stops when told to
        deadline = current_deadline()
        assert deadline is not None
        seen["q"] = deadline.query
        try:
            while True:
                deadline.check()
                time.sleep(0.01)
        except SearchCancelled:
            seen["cancelled"] = True

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await run_in_threadpool(search)  # as FastAPI runs a plain route

    async def client() -> None:
        incoming: list[Message] = [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> Message:
            if incoming:
                return incoming.pop()
            await asyncio.sleep(0.2)  # the client leaves before the answer
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            pass

        scope = {"type": "http", "query_string": b"q=%E5%BC%B5%E5%8B%87"}
        middleware = RequestBudget(app, service=lambda: _Service())  # type: ignore[arg-type]
        await asyncio.wait_for(middleware(scope, receive, send), timeout=30)

    asyncio.run(client())
    assert seen == {"q": "張勇", "cancelled": True}
