"""corpus-search: bilingual (Chinese/English) search over news interviews."""

from __future__ import annotations

from corpus_search.config import Settings
from corpus_search.errors import (
    CorpusSearchError,
    IndexBuildError,
    IndexMissingError,
    IngestError,
    NotFoundError,
    QueryError,
)
from corpus_search.models import Article, Quote

__all__ = [
    "Article",
    "CorpusSearchError",
    "IndexBuildError",
    "IndexMissingError",
    "IngestError",
    "NotFoundError",
    "QueryError",
    "Quote",
    "Settings",
    "__version__",
]

__version__ = "0.1.0"
