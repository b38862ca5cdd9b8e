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
rejoins once it is back. Connections belong to one thread each (Xapian's
objects are not shared between threads).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import xapian
from whoosh.query import Query, Term

from corpus_search.xapian_backend import engine
from corpus_search.xapian_backend.engine import FACETS, Results

__all__ = ["Shard", "ShardSet", "shard_of", "split_records"]

Record = dict[str, Any]
FAILURES = (xapian.NetworkError, xapian.DatabaseError)  # a shard down, or mid-swap


def shard_of(article_id: str, count: int) -> int:
    """The shard (0 .. count-1) that holds an article and its quotes."""
    digest = hashlib.sha1(article_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


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
        """``host:port`` (as `serve --shards` will take them)."""
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"a shard is host:port, not {address!r}")
        return cls(host, int(port))


class ShardSet:
    """Remote shards searched as one database, answering from the live ones."""

    def __init__(
        self,
        shards: Sequence[Shard],
        timeout_ms: int = 10_000,
        connect_timeout_ms: int = 1_000,
        retry_after: float = 1.0,
    ) -> None:
        self.shards = list(shards)
        self.timeout_ms = timeout_ms
        self.connect_timeout_ms = connect_timeout_ms
        self.retry_after = retry_after
        self._local = threading.local()
        self._down_until: dict[Shard, float] = {}

    def _connections(self) -> dict[Shard, xapian.Database]:
        found: dict[Shard, xapian.Database] | None = getattr(self._local, "open", None)
        if found is None:
            found = self._local.open = {}
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

    def open(self) -> tuple[xapian.Database, list[str]]:
        """The live shards as one database, and the names of those missing."""
        connections = self._connections()
        combined, missing = xapian.Database(), []
        for shard in self.shards:
            db = connections.get(shard) or self._connect(shard)
            if db is None:
                missing.append(shard.name)
                continue
            connections[shard] = db
            combined.add_database(db)
        return combined, missing

    def reset(self) -> None:
        """Close this thread's connections: the next open() makes new ones."""
        connections = self._connections()
        for db in connections.values():
            db.close()
        connections.clear()

    def search(
        self,
        query: Query,
        filters: Sequence[Term] = (),
        page: int = 1,
        per_page: int = 10,
        chinese: bool | None = None,
        facets: Sequence[str] = FACETS,
    ) -> Results:
        """`engine.search` over the live shards; never raises for a shard that is
        down (the results name it in ``missing_shards``)."""
        for _ in range(len(self.shards) + 1):
            db, missing = self.open()
            if len(missing) == len(self.shards):
                break
            try:
                found = engine.search(db, query, filters, page, per_page, chinese, facets)
            except FAILURES:
                self.reset()  # which one failed is found out by opening them again
                continue
            found.missing_shards = missing
            return found
        everyone = [s.name for s in self.shards]
        return Results(hits=[], total=0, facets={f: {} for f in facets}, missing_shards=everyone)
