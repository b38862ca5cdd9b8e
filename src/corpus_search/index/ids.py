"""Article ids and file names unique across a build, whatever the files are called.

Every article asks for an id: a text or HTML file its name's stem, a JSON
record its ``id`` (`formats.jsonl`). Files are taken in path order and each gets
the ids it asks for, unless an earlier file (or record) has one already: then the
first free ``-2``, ``-3``… suffix that no article asks for (a.md is ``a``, a.txt
``a-2``). The same folder gives the same ids, in a full build or an incremental
one.

A file is known in the index (``source_file``, ``/sources/`` links) by its name,
or by its path in the folder when another file there has the same name.

A sharded build (`build --shard I/N`) keeps the files whose first article id
hashes to shard I (``sha1(id) mod N``): every machine assigns the same ids from
the same folder, so each keeps its own part, and a write for an id goes to the
one shard that owns it. A file of several articles (JSON Lines) stays whole, on
the shard of its first one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["ShardSpec", "assign_ids", "index_names", "shard_of"]


def shard_of(article_id: str, count: int) -> int:
    """The shard (0 .. count-1) that holds an article and its quotes."""
    digest = hashlib.sha1(article_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


@dataclass(frozen=True)
class ShardSpec:
    """Shard ``number`` of ``count`` (numbered from 0), as ``--shard 0/2`` gives it."""

    number: int
    count: int

    def __post_init__(self) -> None:
        if not 0 <= self.number < self.count:
            raise ValueError(
                f"shard {self.number}/{self.count}: shards are numbered 0 to {self.count - 1}"
            )

    @classmethod
    def parse(cls, text: str) -> ShardSpec:
        """``I/N`` (ValueError if it is not one)."""
        number, slash, count = text.strip().partition("/")
        if not slash or not number.isdigit() or not count.isdigit() or int(count) < 1:
            raise ValueError(f"a shard is I/N, as 0/2 (shard 0 of 2), not {text!r}")
        return cls(int(number), int(count))

    def owner(self, article_id: str) -> int:
        return shard_of(article_id, self.count)

    def owns(self, article_id: str) -> bool:
        return self.owner(article_id) == self.number

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


def assign_ids(asked: Mapping[str, Sequence[str | None]]) -> dict[str, list[str | None]]:
    """The id each article gets, per file and by position (None stays None: a record
    that asks for none is not indexed), files taken in path order."""
    wanted = {key for keys in asked.values() for key in keys if key}
    taken: set[str] = set()
    suffixes: Counter[str] = Counter()
    given: dict[str, list[str | None]] = {}
    for path in sorted(asked):
        ids: list[str | None] = []
        for key in asked[path]:
            if key is not None and key in taken:
                key = _free(key, taken, wanted, suffixes)
            if key is not None:
                taken.add(key)
            ids.append(key)
        given[path] = ids
    return given


def _free(key: str, taken: set[str], wanted: set[str], suffixes: Counter[str]) -> str:
    n = max(2, suffixes[key])
    while f"{key}-{n}" in taken or f"{key}-{n}" in wanted:
        n += 1
    suffixes[key] = n + 1
    return f"{key}-{n}"


def index_names(shown: Mapping[str, str]) -> dict[str, str]:
    """Each file's name in the index, from its path in the folder (``shown``): its own
    name where no other file has it, else that path."""
    own = {path: name.rsplit("/", 1)[-1] for path, name in shown.items()}
    counts = Counter(own.values())
    return {path: own[path] if counts[own[path]] == 1 else shown[path] for path in shown}
