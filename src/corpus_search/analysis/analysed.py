"""A text analysed once, for every field of every record made from it."""

from __future__ import annotations

from dataclasses import dataclass

from corpus_search.analysis.stages import ENTITY_PREFIX, SURFACE_MARK
from corpus_search.analysis.tokenizers import words
from corpus_search.analysis.units import char_items

__all__ = ["Analysed", "Posting", "analyse"]

Posting = tuple[str, int, int, int]  # (term, position, start char, end char)


@dataclass(frozen=True)
class Analysed:
    """A text run once through each analyzer (index mode): what every field of every
    record made from it needs, so that no text is analysed twice."""

    words: tuple[Posting, ...]  # the title/body analyzer
    chars: tuple[Posting, ...]  # the exact analyzer

    def mentions(self) -> list[str]:
        """Entity ids the text names, in order of first mention."""
        skip = len(ENTITY_PREFIX)
        ids = [t[skip:] for t, _, _, _ in self.words if t.startswith(ENTITY_PREFIX)]
        return list(dict.fromkeys(i for i in ids if SURFACE_MARK not in i))

    def within(self, start: int, end: int) -> Analysed:
        """The postings of the characters ``start:end``, positions counted from 0."""
        return Analysed(_slice(self.words, start, end), _slice(self.chars, start, end))


def _slice(postings: tuple[Posting, ...], start: int, end: int) -> tuple[Posting, ...]:
    inside = [p for p in postings if p[2] >= start and p[3] <= end]
    if not inside:
        return ()
    first = inside[0][1]
    return tuple((t, pos - first, s - start, e - start) for t, pos, s, e in inside)


def analyse(text: str) -> Analysed:
    """``text`` through the body analyzer and the exact analyzer, once each."""
    found = tuple([(t, p, s, e) for t, p, s, e, _, stop in words(text, "index") if not stop])
    chars = tuple([(t, p, s, e) for t, p, s, e, _, _ in char_items(text)])
    return Analysed(found, chars)
