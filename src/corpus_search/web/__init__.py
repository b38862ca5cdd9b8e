"""The web layer: a FastAPI app over the search service, HTML pages and a JSON API.

app.py       create_app(settings): the app and the HTML routes
api.py       the JSON API routes (field names and parameters are contracts)
deps.py      dependencies and parameter types shared by both: service, filters, script
params.py    checks on every route: repeated and unknown parameters, stop words, names
handlers.py  every error as JSON ({"error", "status"}) under /api/, as a page elsewhere
guard.py     security headers on every response; a last-resort 500
views.py     JSON shapes (pydantic models) and CSV
pages.py     the frame, link helpers and the search page context
people.py    the executives page context
reading.py   article and quote-card page contexts
suggest.py   help when nothing is found: did you mean, one term fewer
annotate.py  quotations marked in highlighted HTML
charts.py    inline SVG bar charts
script.py    繁/简/原文: the script Chinese text is shown in
apidocs.py   /docs, rendered on the server from the OpenAPI schema
"""

from __future__ import annotations

from corpus_search.web.app import app_from_env, create_app, router

__all__ = ["create_app", "app_from_env", "router"]
