"""Shared helpers for the cleaning rules: the rule type and script tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from corpus_search.normalise import fold_width, to_traditional

__all__ = ["Rule", "ends_sentence", "fold_key", "has_han", "is_latin_text", "match_key"]

Rule = Callable[[list[str]], list[str]]
"""A cleaning rule: takes the paragraphs (first one is the headline), returns new ones."""

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_CLOSERS = "」』”’\"')）】》]"
_SENTENCE_END = frozenset("。！？!?.…;；")


def has_han(text: str) -> bool:
    """True if the text contains at least one Han character."""
    return HAN.search(text) is not None


def is_latin_text(text: str) -> bool:
    """True for text written in Latin letters only (no Han), e.g. English."""
    return not has_han(text) and _LATIN_LETTER.search(text) is not None


def ends_sentence(text: str) -> bool:
    """True if the text ends with sentence-final punctuation (closing quotes skipped)."""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def fold_key(text: str) -> str:
    """Fold width, case and script (to Traditional) so one keyword matches both scripts."""
    return to_traditional(fold_width(text)).lower()


@lru_cache(maxsize=4096)
def match_key(text: str) -> str:
    """`fold_key` of a line, remembered (rules test the same lines again and again)."""
    return fold_key(text)
