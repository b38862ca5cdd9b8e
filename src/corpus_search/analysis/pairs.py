"""Neighbouring ``exact`` terms as one term: the pairs a phrase is looked up by.

A phrase of common characters (新消费, "數字化") holds words that most records
hold, so matching it by positions means reading and comparing the positions of
every record that holds all its characters: at 100,000 articles, 100-300 ms a
phrase. A Xapian build therefore also gives each record every pair of terms at
neighbouring positions of its ``exact`` field, as boolean terms (no positions,
no weight). A phrase's pairs are far rarer than its words: a record holding
them all is a candidate, the only kind whose positions are then checked, and a
phrase of two words *is* its pair (nothing left to check). Being made from the
postings, the pairs say exactly what the positions say: a pair spans any two
neighbouring positions, as a phrase does (across a passage's end too).

Whoosh builds keep none: Whoosh's cost per distinct term made a build of 1,000
articles 28% slower with them, for phrases that are slow only at sizes Xapian
is for.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["JOIN", "pair", "phrase_pairs", "run_pairs"]

JOIN = " "  # no exact term holds a space


def pair(first: str, second: str) -> str:
    return first + JOIN + second


def phrase_pairs(words: Sequence[str]) -> list[str]:
    """The distinct pairs of a phrase's neighbouring words, in order."""
    return list(dict.fromkeys(pair(a, b) for a, b in zip(words, words[1:], strict=False)))


def run_pairs(found: Sequence[tuple[str, int, int, int]], before: str = "") -> set[str]:
    """The distinct pairs of terms at neighbouring positions among postings in position
    order, one term a position (as the ``exact`` analyzer makes them); ``before``: the
    term just before the first, if any."""
    if not found:
        return set()
    terms = [posting[0] for posting in found]
    if before:
        terms.insert(0, before)
    if found[-1][1] - found[0][1] == len(found) - 1:  # no gap (the rule)
        return set(map(JOIN.join, zip(terms, terms[1:], strict=False)))
    after = [posting[1] for posting in found]
    if before:
        after.insert(0, found[0][1] - 1)
    return {
        pair(a, b)
        for a, b, p, q in zip(terms, terms[1:], after, after[1:], strict=False)
        if q == p + 1
    }
