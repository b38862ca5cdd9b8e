"""The outer layer of every response: security headers, and a last-resort 500.

`Guard` is plain ASGI middleware, so its headers reach every response: pages,
the API, static files and error pages alike. The policy allows nothing from
outside the site and no inline script or style (the pages have none: the one
script is /static/app.js, colours and layout are in /static/style.css), and no
page may be framed. HTML pages vary with the script cookie (繁/简/原文), so they
say so to caches. A HEAD request is answered as its GET would be, without the
body (HTTP's rule; monitors and `curl -I` use it).

An exception no handler knew (a bug, not a user's mistake) is logged with its
traceback and answered by ``on_error``: a short message in the page or JSON
shape of the route, never the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Guard", "CSP", "SECURITY_HEADERS"]

log = logging.getLogger(__name__)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
ErrorPage = Callable[[Request, Exception], Response]


def secure(message: Message) -> None:
    """Add the security headers to a response's start message (and Vary: Cookie to HTML)."""
    headers = MutableHeaders(scope=message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    if headers.get("content-type", "").startswith("text/html"):
        headers.add_vary_header("Cookie")


class Guard:
    def __init__(self, app: ASGIApp, on_error: ErrorPage) -> None:
        self.app = app
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                secure(message)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception as exc:
            if started:  # too late for an error page: the client sees a cut response
                raise
            log.exception("unexpected error answering %s", scope.get("path", ""))
            response = self.on_error(Request(scope), exc)
            await response(scope, receive, send_secured)
