"""Facet counts from value slots: one `ValueCountMatchSpy` per slot a facet uses.

A single-valued facet (language, year, source, speaker) has one slot. An
article names several entities, and a spy counts whole values, so a record's
entities are spread over slots: its first ENTITY_SLOTS (sorted) one per slot,
the rest comma-joined in the ``entities`` slot. Each spy then returns at most
one value per entity (plus the rare leftover lists), so reading the counts
costs the number of entities, not the number of distinct sets of them (about
one per matching article).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import xapian

from corpus_search.xapian_backend.terms import ENTITY_SLOTS, SLOTS

__all__ = ["Spies", "counts", "entity_values", "spies"]

Spies = dict[str, list[xapian.ValueCountMatchSpy]]


def entity_values(entities: list[str]) -> dict[int, str]:
    """The slot values holding a record's (sorted) entities."""
    values = dict(zip(ENTITY_SLOTS, entities, strict=False))
    rest = entities[len(ENTITY_SLOTS) :]
    if rest:
        values[SLOTS["entities"]] = ",".join(rest)
    return values


def _slots(name: str) -> list[int]:
    return [*ENTITY_SLOTS, SLOTS[name]] if name == "entities" else [SLOTS[name]]


def spies(enquire: xapian.Enquire, names: Iterable[str]) -> Spies:
    """Spies on each facet's slots, added to ``enquire``."""
    found: Spies = {name: [xapian.ValueCountMatchSpy(s) for s in _slots(name)] for name in names}
    for spied in found.values():
        for spy in spied:
            enquire.add_matchspy(spy)
    return found


def counts(found: Mapping[str, list[xapian.ValueCountMatchSpy]]) -> dict[str, dict[str, int]]:
    """Each facet's records per value, once the match has run."""
    out: dict[str, dict[str, int]] = {}
    for name, spied in found.items():
        tally: Counter[str] = Counter()
        for spy in spied:
            for item in spy.values():
                value, n = item.term.decode("utf-8"), item.termfreq
                for part in value.split(",") if name == "entities" else (value,):
                    tally[part] += n
        out[name] = dict(tally)
    return out
