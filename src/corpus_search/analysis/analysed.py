"""A text analysed once, for every field of every record made from it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from corpus_search.analysis.stages import ENTITY_PREFIX, SURFACE_MARK
from corpus_search.analysis.tokenizers import words
from corpus_search.analysis.units import Canonical, canonical_text, char_units
from corpus_search.normalise import canonical_many

__all__ = ["Analysed", "Posting", "analyse", "analyse_all"]

_BATCH = 64  # texts converted in one call

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


def analyse(text: str, canonical: Canonical | None = None) -> Analysed:
    """``text`` through the body analyzer and the exact analyzer, once each
    (``canonical``: the text already converted, `analyse_all`)."""
    canonical = canonical or canonical_text(text)
    found = words(text, "index", canonical)
    kept = tuple([(t, p, s, e) for t, p, s, e, _, stop in found if not stop])
    return Analysed(kept, tuple(char_units(text, canonical)))


def analyse_all(texts: Sequence[str]) -> Iterator[Analysed]:
    """`analyse` of each text in turn, their scripts converted in batches (one OpenCC
    call per batch rather than per text)."""
    for first in range(0, len(texts), _BATCH):
        batch = texts[first : first + _BATCH]
        for text, canonical in zip(batch, canonical_many(batch), strict=True):
            yield analyse(text, canonical)
