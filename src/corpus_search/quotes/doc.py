"""The working state of one article: passages, their quoted spans and masks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from corpus_search.lexicon import Entity, Lexicon
from corpus_search.quotes.marks import QuotedSpan, find_spans, mask
from corpus_search.quotes.speakers import LOOKBACK, Speakers

__all__ = ["Doc", "Found", "is_chinese", "speakers_for"]

_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Found:
    """A stretch of passage text and who said it (None: nobody's speech)."""

    passage: int
    start: int
    end: int
    speaker: Entity | None
    rule: str
    open_ended: bool = False  # a quotation that was never closed


@dataclass(frozen=True)
class Doc:
    texts: tuple[str, ...]
    masked: list[str]  # texts with every quoted span replaced by MASK
    spans: tuple[tuple[QuotedSpan, ...], ...]
    speakers: Speakers
    title: str = ""  # the headline, quoted spans masked

    @classmethod
    def build(
        cls, passages: tuple[str, ...] | list[str], speakers: Speakers, title: str = ""
    ) -> Doc:
        texts = tuple(passages)
        spans = tuple(tuple(find_spans(t)) for t in texts)
        masked = [mask(t, list(s)) for t, s in zip(texts, spans, strict=True)]
        return cls(texts, masked, spans, speakers, mask(title, find_spans(title)))

    def with_people(self, forms: Mapping[str, Entity]) -> Doc:
        """The same article, its found people named like the lexicon's."""
        return replace(self, speakers=self.speakers.with_people(forms))

    def top_spans(self, index: int) -> list[QuotedSpan]:
        return [s for s in self.spans[index] if s.depth == 0]

    def antecedent(self, index: int, pos: int, lookback: int = LOOKBACK) -> Entity | None:
        return self.speakers.antecedent(self.masked, index, pos, lookback)


def is_chinese(text: str) -> bool:
    return _HAN.search(text) is not None


@lru_cache(maxsize=4)
def speakers_for(lexicon: Lexicon) -> Speakers:
    return Speakers(lexicon)
