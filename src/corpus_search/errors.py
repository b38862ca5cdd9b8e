"""Exceptions raised by corpus_search.

CorpusSearchError
 ├── IngestError          a source file cannot be read or decoded
 ├── IndexMissingError    no index has been built at the configured location
 ├── IndexBuildError      a build failed; the previous index is left in place
 │    └── BuildLockedError another build of the same index is running
 ├── QueryError           the query or its parameters are malformed (HTTP 400/422)
 └── NotFoundError        an article or executive id is unknown (HTTP 404)
"""

from __future__ import annotations

__all__ = [
    "CorpusSearchError",
    "IngestError",
    "IndexMissingError",
    "IndexBuildError",
    "BuildLockedError",
    "QueryError",
    "NotFoundError",
]


class CorpusSearchError(Exception):
    """Base class of every error this package raises on purpose."""


class IngestError(CorpusSearchError):
    pass


class IndexMissingError(CorpusSearchError):
    pass


class IndexBuildError(CorpusSearchError):
    pass


class BuildLockedError(IndexBuildError):
    pass


class QueryError(CorpusSearchError):
    pass


class NotFoundError(CorpusSearchError):
    pass
