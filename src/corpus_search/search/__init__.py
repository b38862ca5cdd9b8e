"""The search stage: a service over the live build.

service.py     SearchService: what the web layer and the CLI call
generation.py  what any opened build answers (BuildView), query plans
local.py       a build directory: pooled searchers, columns, counts (Whoosh, local Xapian)
sharded.py     Xapian shards on other machines, read as one build
pool.py        searchers and databases lent to one thread at a time
filters.py     facet filters, checked with messages a user can act on
ranking.py     top of the list, exact total, every match (for facets)
facets.py      facet counts from per-article columns
snippets.py    best passages of the page's articles, marked
budget.py      the time budget of a request (Deadline)
reading.py     one article whole, quote listings, people and their counts
xapian.py      ranking, totals and facets from the build's Xapian database (backend xapian)
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
