"""Facet counts from compact per-article columns, read once per build.

When a build is opened, each article's language, year, publication and the
entities it names are read from the index's columns into arrays indexed by
document number. Counting the facets of a result set is then a few vectorised
``bincount`` calls over its document numbers: no stored record is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from weakref import WeakKeyDictionary

import numpy as np
from whoosh.reading import IndexReader

from corpus_search.lexicon import Lexicon
from corpus_search.models import FacetValue

__all__ = ["CodeRows", "FacetTable", "PEOPLE", "TOPICS", "labelled"]

PEOPLE = ("person",)
TOPICS = ("topic", "event")


class CodeRows:
    """A compressed-row table of codes: row r holds ``codes[starts[r]:starts[r + 1]]``
    (``size`` distinct codes). Counting the codes of some rows gathers theirs when
    they are few (time proportional to them), and masks every row's otherwise."""

    GATHER_BELOW = 0.2  # share of the rows under which gathering is the faster

    def __init__(self, starts: Sequence[int], codes: Sequence[int], size: int) -> None:
        self.starts = np.asarray(starts, dtype=np.int64)
        self.codes = np.asarray(codes, dtype=np.int64)
        self.size = size

    @cached_property
    def _row_of_code(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.starts) - 1), np.diff(self.starts))

    def counts(self, rows: np.ndarray) -> np.ndarray:
        """How often each code occurs in these rows."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) >= self.GATHER_BELOW * (len(self.starts) - 1):
            chosen = np.zeros(len(self.starts) - 1, dtype=bool)
            chosen[rows] = True
            return np.bincount(self.codes[chosen[self._row_of_code]], minlength=self.size)
        begin = self.starts[rows]
        lengths = self.starts[rows + 1] - begin
        total = int(lengths.sum())
        # The position of every chosen row's codes, laid end to end.
        shift = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths)
        return np.bincount(self.codes[shift + np.arange(total)], minlength=self.size)


class _Codes:
    """A single-valued column as integer codes per document."""

    def __init__(self, values: Sequence[str]) -> None:
        self.labels: list[str] = []
        index: dict[str, int] = {}
        codes = [index.setdefault(v, len(index)) for v in values]
        self.labels = list(index)
        self.codes = np.asarray(codes, dtype=np.int64)

    def counts(self, docs: np.ndarray) -> dict[str, int]:
        found = np.bincount(self.codes[docs], minlength=len(self.labels))
        return {self.labels[i]: int(n) for i, n in enumerate(found) if n}


@dataclass
class FacetTable:
    lang: _Codes
    year: _Codes
    source: _Codes
    entity_ids: list[str]
    entities: CodeRows  # per document, the codes of the entities it names
    size: int

    @classmethod
    def read(cls, reader: IndexReader) -> FacetTable:
        size = reader.doc_count_all()
        lang = _column(reader, "lang", size)
        ids: dict[str, int] = {}
        starts: list[int] = [0]
        codes: list[int] = []
        for raw in _column(reader, "mentioned", size, b""):
            for entity in filter(None, bytes(raw).decode("utf-8").split(",")):
                codes.append(ids.setdefault(entity, len(ids)))
            starts.append(len(codes))
        return cls(
            lang=_Codes(lang),
            year=_Codes(_column(reader, "year", size)),
            source=_Codes(_column(reader, "source", size)),
            entity_ids=list(ids),
            entities=CodeRows(starts, codes, len(ids)),
            size=size,
        )

    def chinese(self) -> list[bool]:
        """Per document: is the article in Chinese (either script)?"""
        flags = [label.startswith("zh") for label in self.lang.labels]
        return [flags[c] for c in self.lang.codes.tolist()]

    def entity_counts(self, docs: np.ndarray) -> dict[str, int]:
        found = self.entities.counts(docs)
        return {self.entity_ids[i]: int(found[i]) for i in np.flatnonzero(found)}

    def facets(self, docs: np.ndarray, lexicon: Lexicon) -> dict[str, list[FacetValue]]:
        """Counts per value of each facet over the documents ``docs``, largest first."""
        columns = {
            "lang": self.lang.counts(docs),
            "source": self.source.counts(docs),
            "year": self.year.counts(docs),
        }
        return labelled(self.entity_counts(docs), columns, lexicon)


def labelled(
    entities: dict[str, int], columns: dict[str, dict[str, int]], lexicon: Lexicon
) -> dict[str, list[FacetValue]]:
    """The facets (largest first, labelled) of entity counts and column counts."""
    kinds = _entity_facets(lexicon)
    counts: dict[str, dict[str, int]] = {"executive": {}, "topic": {}}
    for entity_id, n in entities.items():
        facet = kinds.get(entity_id)
        if facet is not None:
            counts[facet[0]][entity_id] = n
    counts["lang"] = columns["lang"]
    counts["source"] = {k: v for k, v in columns["source"].items() if k}
    counts["year"] = {k: v for k, v in columns["year"].items() if k}
    return {
        name: [
            FacetValue(v, kinds[v][1] if name in ("executive", "topic") else v, n)
            for v, n in _ranked(found)
        ]
        for name, found in counts.items()
    }


# Per lexicon (a build's), the facet and label of each entity that is a facet value.
_FACETS_OF: WeakKeyDictionary[Lexicon, dict[str, tuple[str, str]]] = WeakKeyDictionary()


def _entity_facets(lexicon: Lexicon) -> dict[str, tuple[str, str]]:
    """Each entity of the lexicon that a facet counts: its facet and its label (both
    names where they differ), worked out once per lexicon."""
    found = _FACETS_OF.get(lexicon)
    if found is None:
        found = {}
        for entity_id, entity in lexicon.entities.items():
            facet = (
                "executive" if entity.kind in PEOPLE else "topic" if entity.kind in TOPICS else ""
            )
            if facet:
                name = entity.name
                label = f"{name} · {entity.name_en}" if name != entity.name_en else name
                found[entity_id] = (facet, label)
        _FACETS_OF[lexicon] = found
    return found


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Largest first; equal counts by value (the same however the counts were made)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _column(reader: IndexReader, name: str, size: int, default: object = "") -> list:
    if not reader.has_column(name):
        return [default] * size
    values = list(reader.column_reader(name))
    return values + [default] * (size - len(values))
