"""The search stage: a service over the live build.

service.py     SearchService: what the web layer and the CLI call
generation.py  one opened build: pooled searchers, columns, counts, query plans
filters.py     facet filters, checked with messages a user can act on
ranking.py     top of the list, exact total, every match (for facets)
facets.py      facet counts from per-article columns
snippets.py    best passages of the page's articles, marked
budget.py      the time budget of a request (Deadline)
reading.py     one article whole, quote listings, people and their counts
xapian.py      ranking, totals and facets from the build's Xapian databases (backend xapian)
"""

from __future__ import annotations

from corpus_search.search.budget import Deadline
from corpus_search.search.filters import FILTER_NAMES, LANGS, Filters
from corpus_search.search.reading import ArticleView, ExecutiveSummary
from corpus_search.search.service import SearchService

__all__ = [
    "SearchService",
    "Deadline",
    "Filters",
    "ArticleView",
    "ExecutiveSummary",
    "FILTER_NAMES",
    "LANGS",
]
