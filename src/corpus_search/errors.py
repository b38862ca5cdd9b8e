"""Exceptions raised by corpus_search.

CorpusSearchError
 ├── IngestError          a source file cannot be read or decoded
 ├── IndexMissingError    no index has been built at the configured location
 ├── IndexBuildError      a build failed; the previous index is left in place
 │    └── BuildLockedError another build of the same index is running
 ├── QueryError           the query or its parameters are malformed (HTTP 400/422)
 │    ├── QueryTooCostly  the query asks for too much work (too many terms, over its time budget)
 │    └── SearchCancelled the request was cancelled (its client went away) while searching
 ├── NotFoundError        an article or executive id is unknown (HTTP 404)
 ├── SettingsError        a setting (environment variable or argument) cannot be used
 └── ShardServerError     xapian-tcpsrv is missing, or did not start serving a shard
"""

from __future__ import annotations

__all__ = [
    "CorpusSearchError",
    "IngestError",
    "IndexMissingError",
    "IndexBuildError",
    "BuildLockedError",
    "QueryError",
    "QueryTooCostly",
    "SearchCancelled",
    "NotFoundError",
    "SettingsError",
    "ShardServerError",
    "shown",
]

SHOWN = 60  # characters of a user's input quoted in a message


def shown(text: str) -> str:
    """User input as a message quotes it: ``repr`` (control characters escaped), at
    most about SHOWN characters of it."""
    quoted = repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")
    return quoted if len(quoted) <= SHOWN + 20 else quoted[:SHOWN] + "…'"


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


class QueryTooCostly(QueryError):
    pass


class SearchCancelled(QueryError):
    pass


class NotFoundError(CorpusSearchError):
    pass


class SettingsError(CorpusSearchError):
    """A setting (from the environment or given in code) has a value that cannot be used."""


class ShardServerError(CorpusSearchError):
    """xapian-tcpsrv is missing, or did not start serving."""
