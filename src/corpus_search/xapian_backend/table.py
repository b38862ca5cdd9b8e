"""Every record's facet values, read once from a local database and kept in arrays.

A match spy (`facets`) reads the values of each matching record while the match
runs, and Xapian fetches each record for it: about 15 µs a record, whatever the
number of slots (measured at 10,000 articles), so a query matching thousands of
articles spends tens of milliseconds on its facets alone. With the table, a
query's facets are counted from the ids of the records it matches (a match that
reads no values, about 1 µs a record to hand over to Python) and numpy counts
their values.

The table is read from the value slots (one pass over each slot's value stream,
stepping to each record of the index) when a build is written, and kept beside
its database (`save`, ``facets.npz``) for servers to load (`load`) as they warm
up: reading the slots takes seconds at 100,000 articles, in each server process.
A server whose build has no table, or one of another database (its ``build``
metadata differs), reads the slots itself. It holds one row per record of one
index (articles), in docid order, and for each facet a compressed-row list of
value codes: one per row for single-valued facets, any number for entities.
Only a local database gets one: on shards, docids are those of the shards
joined, and reading every shard's values over the network at each start-up is
what the spies avoid.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np
import xapian

from corpus_search.search.facets import CodeRows
from corpus_search.xapian_backend.terms import ENTITY_SLOTS, SLOTS, kind_term

__all__ = ["FacetTable", "matching_docids"]


@dataclass(frozen=True)
class _Column:
    """One facet: the value codes of each row, and the values they stand for."""

    rows: CodeRows
    names: list[str]

    def counts(self, rows: np.ndarray) -> dict[str, int]:
        found = self.rows.counts(rows)
        return {self.names[i]: int(found[i]) for i in np.flatnonzero(found)}


def _column(values: Iterable[list[str]]) -> _Column:
    codes: dict[str, int] = {}
    flat: list[int] = []
    starts = [0]
    for row in values:
        flat.extend(codes.setdefault(v, len(codes)) for v in row)
        starts.append(len(flat))
    return _Column(CodeRows(starts, flat, len(codes)), list(codes))


def _slot_values(db: xapian.Database, slot: int, docids: list[int]) -> list[str]:
    """The value of ``slot`` of each of ``docids`` (ascending); "" where it has none."""
    found = [""] * len(docids)
    stream = db.valuestream(slot)
    for row, docid in enumerate(docids):
        try:
            item = stream.skip_to(docid)
        except StopIteration:
            break
        if item.docid == docid:
            found[row] = item.value.decode("utf-8")
    return found


class FacetTable:
    """The facet values of every record of one index of a database (see module doc)."""

    def __init__(self, docids: np.ndarray, columns: dict[str, _Column]) -> None:
        self.docids = docids
        self.columns = columns

    @classmethod
    def read(cls, db: xapian.Database, index: str, facets: Sequence[str]) -> FacetTable:
        docids = [item.docid for item in db.postlist(kind_term(index))]
        columns: dict[str, _Column] = {}
        for name in facets:
            if name == "entities":
                rows: list[list[str]] = [[] for _ in docids]
                for slot in ENTITY_SLOTS:
                    for row, value in enumerate(_slot_values(db, slot, docids)):
                        if value:
                            rows[row].extend(value.split(","))
                columns[name] = _column(sorted(r) for r in rows)
            else:
                found = _slot_values(db, SLOTS[name], docids)
                columns[name] = _column([v] if v else [] for v in found)
        return cls(np.asarray(docids, dtype=np.int64), columns)

    def save(self, path: Path, build: str) -> None:
        """Keep the table in ``path`` (numpy arrays, no pickles), for the database
        whose ``build`` metadata is given; written aside, then moved into place."""
        arrays = {"docids": self.docids, "build": np.array(build)}
        for name, column in self.columns.items():
            arrays[f"{name}.starts"] = column.rows.starts
            arrays[f"{name}.codes"] = column.rows.codes
            arrays[f"{name}.names"] = np.array(column.names, dtype=str)
        partial = path.with_name(f".{path.name}.part")
        with partial.open("wb") as out:
            np.savez(out, **arrays)
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path, build: str, facets: Sequence[str]) -> FacetTable | None:
        """The table kept in ``path`` for the database of this ``build``; None if
        there is none, it is another database's, or it lacks one of the facets."""
        try:
            with np.load(path, allow_pickle=False) as kept:
                if str(kept["build"]) != build:
                    return None
                columns = {}
                for name in facets:
                    names = [str(n) for n in kept[f"{name}.names"]]
                    rows = CodeRows(kept[f"{name}.starts"], kept[f"{name}.codes"], len(names))
                    columns[name] = _Column(rows, names)
                return cls(np.asarray(kept["docids"], dtype=np.int64), columns)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            return None

    def first_values(self, facet: str, docids: Sequence[int]) -> list[str]:
        """Each record's first value of ``facet`` ("" for none, or a record the table
        does not hold)."""
        column = self.columns[facet]
        if not len(self.docids) or not len(column.rows.codes):
            return [""] * len(docids)
        wanted = np.asarray(docids, dtype=np.int64)
        rows = np.minimum(np.searchsorted(self.docids, wanted), len(self.docids) - 1)
        held = self.docids[rows] == wanted
        begin, end = column.rows.starts[rows], column.rows.starts[rows + 1]
        first = column.rows.codes[np.minimum(begin, len(column.rows.codes) - 1)]
        return [
            column.names[code] if ok and b < e else ""
            for code, ok, b, e in zip(
                first.tolist(), held.tolist(), begin.tolist(), end.tolist(), strict=True
            )
        ]

    def covers(self, facets: Sequence[str]) -> bool:
        return all(name in self.columns for name in facets)

    def counts(self, docids: np.ndarray, facets: Sequence[str]) -> dict[str, dict[str, int]]:
        """Each facet's records per value, over these records (docids of the index)."""
        rows = np.searchsorted(self.docids, docids)
        if len(self.docids):  # records of another index, or added since, are not counted
            kept = self.docids[np.minimum(rows, len(self.docids) - 1)] == docids
            rows = rows[kept]
        else:
            rows = rows[:0]
        return {name: self.columns[name].counts(rows) for name in facets}


@overload
def matching_docids(enquire: xapian.Enquire, db: xapian.Database) -> np.ndarray: ...
@overload
def matching_docids(
    enquire: xapian.Enquire, db: xapian.Database, limit: int
) -> np.ndarray | None: ...
def matching_docids(
    enquire: xapian.Enquire, db: xapian.Database, limit: int | None = None
) -> np.ndarray | None:
    """The docids of every record the enquire's query matches, in its order; None if
    there are more than ``limit`` (the match stops there, given a docid order)."""
    wanted = db.get_doccount() if limit is None else limit + 1
    mset = enquire.get_mset(0, wanted)
    if limit is not None and mset.size() > limit:
        return None
    # MSet.get_docid mapped over the ranks: 0.3-0.4 µs a match, where the bindings' items
    # (seven properties each) took about 2, and an item's docid alone 1.7.
    return np.fromiter(map(mset.get_docid, range(mset.size())), np.int64, mset.size())
