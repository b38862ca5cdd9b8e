"""Facet counts from value slots: one `ValueCountMatchSpy` per slot a facet uses.

A single-valued facet (language, year, source, speaker) has one slot. An
article names several entities, and a spy counts whole values, so a record's
entities are spread over the ENTITY_SLOTS: each entity always in the same slot
(by a hash of its id), the few that share a slot in one record comma-joined.
The spies together then return about one value per entity (plus the rare
shared ones), so reading the counts costs the number of entities, not the
number of distinct sets of them (about one per matching article), nor the
number of slots times the entities (Python reads each value at a few µs).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping

import xapian

from corpus_search.xapian_backend.terms import ENTITY_SLOTS, SLOTS

__all__ = ["Spies", "counts", "entity_slot", "entity_values", "spies"]

Spies = dict[str, list[xapian.ValueCountMatchSpy]]


def entity_slot(entity: str) -> int:
    """The slot an entity's id is always kept in."""
    digest = hashlib.blake2b(entity.encode("utf-8"), digest_size=4).digest()
    return ENTITY_SLOTS[int.from_bytes(digest, "big") % len(ENTITY_SLOTS)]


def entity_values(entities: list[str]) -> dict[int, str]:
    """The slot values holding a record's (sorted) entities."""
    values: dict[int, list[str]] = {}
    for entity in entities:
        values.setdefault(entity_slot(entity), []).append(entity)
    return {slot: ",".join(found) for slot, found in values.items()}


def _slots(name: str) -> list[int]:
    return list(ENTITY_SLOTS) if name == "entities" else [SLOTS[name]]


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
