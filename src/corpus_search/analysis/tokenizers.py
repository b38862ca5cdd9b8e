"""The Whoosh face of the analysis: two tokenizers, for the schema and for queries.

``build_analyzer()`` (fields ``title`` and ``body``): `word_items` (canonical
script, jieba, Latin words; positions; offsets in the text as written), then
each of `WORD_STAGES` in order (stems, names, stop words).
``build_exact_analyzer()`` (field ``exact``): canonical Han characters one by
one and Latin words unstemmed, for phrases and fragments that cut through words.

Both honour Whoosh's tokenizer contract (``positions``, ``chars``, ``mode``,
``removestops``, ``start_pos``, ``start_char``) and pickle with the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Composable, Token, Tokenizer

from corpus_search.analysis.stages import WORD_STAGES
from corpus_search.analysis.units import Canonical, Item, char_items, word_items

__all__ = ["WordTokenizer", "CharTokenizer", "build_analyzer", "build_exact_analyzer", "words"]


def words(value: str, mode: str, canonical: Canonical | None = None) -> list[Item]:
    """A text's word items after every stage: the one path of indexing and querying
    (``canonical``: the text already converted)."""
    items = word_items(value, mode, canonical)
    for stage in WORD_STAGES:
        items = stage(items, mode)
    return items


class _ItemTokenizer(Tokenizer):
    def items(self, value: str, mode: str) -> list[Item]:
        raise NotImplementedError

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions=positions, chars=chars, mode=mode, removestops=removestops, **kwargs)
        for text, pos, start, end, original, stopped in self.items(value, mode):
            if stopped and removestops:
                continue
            t.text, t.original, t.stopped, t.boost = text, original, stopped, 1.0
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


class WordTokenizer(_ItemTokenizer):
    """Words through every stage (see module doc)."""

    def items(self, value: str, mode: str) -> list[Item]:
        return words(value, mode)


class CharTokenizer(_ItemTokenizer):
    """Han characters one by one and whole Latin/digit words, canonical script."""

    def items(self, value: str, mode: str) -> list[Item]:
        return char_items(value)


def build_analyzer() -> Composable:
    """The analyzer of the ``title`` and ``body`` fields."""
    return WordTokenizer()


def build_exact_analyzer() -> Composable:
    """The analyzer of the ``exact`` field: canonical characters and words."""
    return CharTokenizer()
