"""A build writer's postings, kept grouped by term instead of one tuple each.

Whoosh's own pool keeps every posting as a ``(field, term, docnum, weight,
value)`` tuple, sorts them all, spilling sorted runs to disk past its memory
limit, and hands them back one at a time. A build writes millions of postings,
and each tuple, size estimate, sort comparison and per-posting call costs.
Here each (field, term) has its document numbers, weights and values in three
growing arrays: adding a posting is three appends, and what the segment writer
gets back is one group per term, in Whoosh's order (field, then term bytes),
with its documents in the order they were added (ascending: a writer numbers
its documents as it adds them).

Past ``limit`` bytes (an estimate of what the groups hold) the groups are
written to a temporary run, sorted, and the runs are merged back, term by term,
when the segment is written, so memory stays bounded whatever the build's size.
"""

from __future__ import annotations

import heapq
import pickle
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

__all__ = ["Group", "GroupedPool"]

# (document numbers, weights, values) of one term
Group = tuple[array, array, list[bytes]]
Key = tuple[str, bytes]

_POSTING_BYTES = 49  # two array items, a list slot and a bytes object's header
_GROUP_BYTES = 400  # a new term: its key, the group's three containers, a dict slot
_OCCURRENCE_BYTES = 6  # what an occurrence adds to its posting's value (about)


def _group() -> Group:
    return array("I"), array("f"), []


class GroupedPool:
    """Postings by (field, term), spilled to sorted runs in ``storage`` past ``limit``."""

    def __init__(self, storage: Any, limit: int) -> None:
        self._storage = storage  # a Whoosh storage for temporary files
        self._limit = limit
        self._fields: dict[str, dict[bytes, Group]] = {}
        self._size = 0
        self._runs: list[str] = []

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting, as Whoosh's pool takes it (merged segments' postings)."""
        fieldname, term, docnum, weight, value = item
        self.add_field(fieldname, docnum, [(term, 0, weight, value or b"")])

    def add_field(
        self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes]]
    ) -> int:
        """The postings of one field of one document, as a Whoosh field's ``index``
        yields them (term bytes, frequency, weight, value); the total frequency."""
        terms, size, total = self._terms(fieldname), 0, 0
        for term, freq, weight, value in items:
            size += self._append(terms, term, docnum, weight, value)
            total += freq
        self._grown(size)
        return total

    def add_analysed(
        self,
        fieldname: str,
        docnum: int,
        postings: dict[str, list[Any]],
        encode: Callable[[list[Any]], bytes],
        weight: float,
    ) -> int:
        """The postings of one field of one document analysed beforehand (term ->
        its occurrences: `schema.Postings`), each written as ``encode`` makes it, with
        ``weight`` per occurrence; the total frequency."""
        # `_append` inlined: this runs for every posting of every text.
        terms, new, total = self._terms(fieldname), 0, 0
        get = terms.get
        for text, found in postings.items():
            term = text.encode("utf-8")
            group = get(term)
            if group is None:
                group = terms[term] = _group()
                new += 1
            count = len(found)
            docs, weights, values = group
            docs.append(docnum)
            weights.append(count * weight)
            values.append(encode(found))
            total += count
        # Values take a few bytes an occurrence: counted as _OCCURRENCE_BYTES each.
        size = _POSTING_BYTES * len(postings) + _OCCURRENCE_BYTES * total + _GROUP_BYTES * new
        self._grown(size)
        return total

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """Posting by posting, in Whoosh's order, as its own pool gives them (for a
        field writer of another codec than the one `writer` fills block by block)."""
        for fieldname, term, (docs, weights, values) in self.groups():
            for docnum, weight, value in zip(docs, weights, values, strict=True):
                yield fieldname, term, docnum, weight, value

    def groups(self) -> Iterator[tuple[str, bytes, Group]]:
        """Every term's group, in field then term order, runs merged."""
        if not self._runs:
            yield from self._sorted()
            return
        if self._fields:
            self._spill()
        streams = [self._read_run(name) for name in self._runs]
        current: Key | None = None
        joined: Group = _group()
        for fieldname, term, group in heapq.merge(*streams, key=lambda g: (g[0], g[1])):
            if (fieldname, term) != current:
                if current is not None:
                    yield current[0], current[1], joined
                current, joined = (fieldname, term), _group()
            for mine, theirs in zip(joined, group, strict=True):
                mine.extend(theirs)  # runs are read in the order they were written
        if current is not None:
            yield current[0], current[1], joined

    def cleanup(self) -> None:
        for name in self._runs:
            try:
                self._storage.delete_file(name)
            except OSError:
                pass
        self._runs = []
        self._fields = {}

    def _terms(self, fieldname: str) -> dict[bytes, Group]:
        return self._fields.setdefault(fieldname, {})

    @staticmethod
    def _append(
        terms: dict[bytes, Group], term: bytes, docnum: int, weight: float, value: bytes
    ) -> int:
        """One posting onto its term's group; the bytes it takes (about)."""
        group = terms.get(term)
        size = _POSTING_BYTES + len(value)
        if group is None:
            group = terms[term] = _group()
            size += _GROUP_BYTES + len(term)
        docs, weights, values = group
        docs.append(docnum)
        weights.append(weight)
        values.append(value)
        return size

    def _grown(self, size: int) -> None:
        self._size += size
        if self._size > self._limit:
            self._spill()

    def _sorted(self) -> Iterator[tuple[str, bytes, Group]]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for term in sorted(terms):
                yield fieldname, term, terms[term]

    def _spill(self) -> None:
        name = f"run-{len(self._runs):04d}.groups"
        with self._storage.create_file(name) as written:
            out = written.raw_file()
            for fieldname, term, (docs, weights, values) in self._sorted():
                pickle.dump((fieldname, term, docs, weights, values), out, protocol=5)
        self._runs.append(name)
        self._fields, self._size = {}, 0

    def _read_run(self, name: str) -> Iterator[tuple[str, bytes, Group]]:
        with self._storage.open_file(name) as read:
            source: IO[bytes] = read.raw_file()
            while True:
                try:
                    fieldname, term, docs, weights, values = pickle.load(source)
                except EOFError:
                    return
                yield fieldname, term, (docs, weights, values)
