"""Shards: records split by article id, served remotely, searched as one database.

A record belongs to shard ``sha1(article id) mod N`` (an article's quotes go
with it), so every machine can build its own part from the same source, and a
write for an article goes to the one shard that holds it.

`ShardSet` opens each shard with ``xapian.remote_open`` and joins the live ones
with ``Database.add_database``: Xapian then merges statistics and results
itself. A shard that does not answer is left out and named in the results
(``missing_shards``); if one fails during a search, every connection is opened
afresh and the search runs again on the shards that answer. A missing shard is
tried again on a later search (at most every ``retry_after`` seconds), so it
rejoins once it is back.

Connections belong to one thread each (Xapian's objects are not shared between
threads) and are opened afresh once ``max_age`` seconds old: a connection reads
the build its server had when it was made, so a shard rebuilt and swapped on
its machine is seen within ``max_age`` (connecting costs under a millisecond).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import xapian
from whoosh.query import Query, Term

from corpus_search.config import shard_address
from corpus_search.index.ids import shard_of
from corpus_search.xapian_backend import engine
from corpus_search.xapian_backend.engine import FACETS, Results

__all__ = ["Shard", "ShardSet", "shard_of", "split_records"]

Record = dict[str, Any]
T = TypeVar("T")
FAILURES = (xapian.NetworkError, xapian.DatabaseError)  # a shard down, or mid-swap


def split_records(
    records: Mapping[str, Iterable[Record]], count: int
) -> list[dict[str, list[Record]]]:
    """Each index's records dealt to ``count`` shards by article id."""
    parts: list[dict[str, list[Record]]] = [{name: [] for name in records} for _ in range(count)]
    for name, found in records.items():
        for record in found:
            parts[shard_of(record["article_id"], count)][name].append(record)
    return parts


@dataclass(frozen=True)
class Shard:
    host: str
    port: int

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, address: str) -> Shard:
        """``host:port``, as `serve --shards` takes them (SettingsError if not one)."""
        return cls(*shard_address(address))


class ShardSet:
    """Remote shards searched as one database, answering from the live ones."""

    def __init__(
        self,
        shards: Sequence[Shard],
        timeout_ms: int = 10_000,
        connect_timeout_ms: int = 1_000,
        retry_after: float = 1.0,
        max_age: float = 2.0,
    ) -> None:
        self.shards = list(shards)
        self.timeout_ms = timeout_ms
        self.connect_timeout_ms = connect_timeout_ms
        self.retry_after = retry_after
        self.max_age = max_age
        self._local = threading.local()
        self._down_until: dict[Shard, float] = {}

    @property
    def names(self) -> list[str]:
        return [shard.name for shard in self.shards]

    def _connections(self) -> dict[Shard, xapian.Database]:
        found: dict[Shard, xapian.Database] | None = getattr(self._local, "open", None)
        opened = getattr(self._local, "opened", 0.0)
        if found is not None and time.monotonic() - opened > self.max_age:
            self.reset()
            found = None
        if found is None:
            found = self._local.open = {}
            self._local.opened = time.monotonic()
        return found

    def _connect(self, shard: Shard) -> xapian.Database | None:
        if time.monotonic() < self._down_until.get(shard, 0.0):
            return None
        try:
            db = xapian.remote_open(
                shard.host, shard.port, self.timeout_ms, self.connect_timeout_ms
            )
        except FAILURES:
            self._down_until[shard] = time.monotonic() + self.retry_after
            return None
        self._down_until.pop(shard, None)
        return db

    def live(self) -> tuple[dict[Shard, xapian.Database], list[str]]:
        """This thread's connection to each shard that answers, and the names of
        those that do not."""
        connections = self._connections()
        missing = []
        for shard in self.shards:
            db = connections.get(shard) or self._connect(shard)
            if db is None:
                missing.append(shard.name)
            else:
                connections[shard] = db
        return {s: connections[s] for s in self.shards if s in connections}, missing

    def open(self) -> tuple[xapian.Database, list[str]]:
        """The live shards as one database, and the names of those missing."""
        live, missing = self.live()
        combined = xapian.Database()
        for db in live.values():
            combined.add_database(db)
        return combined, missing

    def reset(self) -> None:
        """Close this thread's connections: the next open() makes new ones."""
        connections: dict[Shard, xapian.Database] = getattr(self._local, "open", None) or {}
        for db in connections.values():
            try:
                db.close()
            except FAILURES:
                pass
        self._local.open = None

    def run(self, work: Callable[[xapian.Database], T]) -> tuple[T | None, list[str]]:
        """``work`` done on the live shards as one database, and the names of the
        shards left out; None when no shard answers. A shard failing during the work
        is found out by connecting again, and the work is done again without it."""
        for _ in range(len(self.shards) + 1):
            db, missing = self.open()
            if len(missing) == len(self.shards):
                break
            try:
                return work(db), missing
            except FAILURES:
                self.reset()
        return None, self.names

    def each(self, work: Callable[[xapian.Database], T]) -> tuple[list[T], list[str]]:
        """``work`` done on each live shard alone, and the names of those left out."""
        live, missing = self.live()
        done = []
        for shard, db in live.items():
            try:
                done.append(work(db))
            except FAILURES:
                self._connections().pop(shard, None)  # connected again next time
                missing.append(shard.name)
        return done, [s.name for s in self.shards if s.name in missing]

    def search(self, query: Query, filters: Sequence[Term] = (), **options: Any) -> Results:
        """`engine.search` (``options``: its page, language, facets, time and index)
        over the live shards; never raises for a shard that is down (the results name
        it in ``missing_shards``)."""
        found, missing = self.run(lambda db: engine.search(db, query, filters, **options))
        if found is None:
            facets = options.get("facets", FACETS)
            found = Results(hits=[], total=0, facets={f: {} for f in facets})
        found.missing_shards = missing
        return found
