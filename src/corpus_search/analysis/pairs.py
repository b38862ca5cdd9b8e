"""Neighbouring ``exact`` terms as one term: the pairs a phrase is looked up by.

A phrase of common characters (新消费, "數字化") holds words that most records
hold, so matching it by positions means reading and comparing the positions of
every record that holds all its characters: at 100,000 articles, 100-300 ms a
phrase. Each record therefore also keeps, in the ``pairs`` field, every pair of
terms at neighbouring positions of its ``exact`` field (no positions, no
weight). A phrase's pairs are far rarer than its words: a record holding them
all is a candidate, the only kind whose positions are then checked, and a phrase
of two words *is* its pair (nothing left to check). Being made from the
postings, the pairs say exactly what the positions say: a pair spans any two
neighbouring positions, as a phrase does (across a passage's end too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

__all__ = ["JOIN", "pair", "phrase_pairs", "record_pairs"]

JOIN = " "  # no exact term holds a space


def pair(first: str, second: str) -> str:
    return first + JOIN + second


def phrase_pairs(words: Sequence[str]) -> list[str]:
    """The distinct pairs of a phrase's neighbouring words, in order."""
    return list(dict.fromkeys(pair(a, b) for a, b in zip(words, words[1:], strict=False)))


def record_pairs(postings: Mapping[str, Iterable[tuple[int, ...]]]) -> list[str]:
    """The distinct pairs of terms at neighbouring positions (each occurrence's first
    value is its position), sorted."""
    at: dict[int, list[str]] = {}
    for term, occurrences in postings.items():
        for occurrence in occurrences:
            at.setdefault(occurrence[0], []).append(term)
    found = {
        pair(a, b)
        for position, firsts in at.items()
        if (seconds := at.get(position + 1)) is not None
        for a in firsts
        for b in seconds
    }
    return sorted(found)
