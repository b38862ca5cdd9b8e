"""One time budget per request, and work stopped when the client has gone.

`RequestBudget` is ASGI middleware. For each HTTP request it pins a `Deadline`
(see `search.budget`) that every search made while answering shares, so a page
that searches several times (results, then did-you-mean counts) has one budget,
not one per search. It also watches the connection: when the server reports the
client gone (``http.disconnect`` before the response is complete), it sets the
deadline's ``cancelled`` event, and the search stops at its next check instead of
holding a core for a client that will never read the answer.

Watching means reading ``receive`` in a task of our own; the messages are passed
on to the app unchanged through a queue, so the app reads exactly what it would
have.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corpus_search.search import SearchService
from corpus_search.search.budget import pinned

__all__ = ["RequestBudget"]


class RequestBudget:
    def __init__(self, app: ASGIApp, service: Callable[[], SearchService]) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cancelled = threading.Event()
        messages: asyncio.Queue[Message] = asyncio.Queue()

        async def watch() -> None:
            while True:
                message = await receive()
                await messages.put(message)
                if message["type"] == "http.disconnect":
                    cancelled.set()
                    return

        watcher = asyncio.create_task(watch())
        deadline = self.service().deadline(_query(scope), cancelled)
        try:
            with pinned(deadline):
                await self.app(scope, messages.get, send)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


def _query(scope: Scope) -> str:
    """The request's ``q``, for the deadline's message."""
    raw = scope.get("query_string", b"").decode("latin-1")
    return (parse_qs(raw).get("q") or [""])[0]
