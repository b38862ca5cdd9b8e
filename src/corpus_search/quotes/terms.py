"""Quoted text that is not speech: names, slogans, titles and short terms.

「雙11」, “經營力”, "midnight scare" and a slogan introduced by 叫做 are
quoted, but nobody is speaking them. A span is a *name* when a naming word
comes right before it (叫做, 稱為, 提出, called) or right after it (的概念,
這個), or when it is an entry of the lexicon; it is *sentence-like* when it
is long or has clause punctuation inside.
"""

from __future__ import annotations

import re

from corpus_search.lexicon import Lexicon
from corpus_search.quotes.cues import NAMING_AFTER, NAMING_BEFORE, alternation
from corpus_search.quotes.marks import QuotedSpan

__all__ = ["is_name", "is_sentence", "word_count"]

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*|[\u3400-\u9fff]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_CLAUSE_PUNCT = re.compile(r"[,，。!?！？;；、]|[.](?=\s|$)")
_BEFORE = re.compile(rf"(?:{alternation(NAMING_BEFORE)})(?:了|的|出|為|为)?\s*$", re.IGNORECASE)
_AFTER = re.compile(rf"^\s*(?:{alternation(NAMING_AFTER)})")
_CONTEXT = 12  # characters of context searched for a naming word

LONG_HAN = 12  # a quotation of this many characters is a sentence
LONG_WORDS = 7  # ... or of this many English words
CLAUSE_HAN = 6  # with clause punctuation inside, this many suffice
CLAUSE_WORDS = 4


def word_count(text: str) -> int:
    """Han characters and Latin words."""
    return len(_WORD.findall(text))


def is_name(text: str, span: QuotedSpan, lexicon: Lexicon) -> bool:
    """True when the quoted span names something instead of reporting speech."""
    words = span.words(text).strip()
    if lexicon.lookup(words) is not None:
        return True
    before = text[max(0, span.open - _CONTEXT) : span.open]
    after = text[span.end : span.end + _CONTEXT]
    return bool(_BEFORE.search(before) or _AFTER.search(after))


def is_sentence(words: str) -> bool:
    """True when the quoted words are long enough, or punctuated, to be a sentence."""
    count = word_count(words)
    han = _HAN.search(words) is not None
    if count >= (LONG_HAN if han else LONG_WORDS):
        return True
    inner = words.strip().rstrip("。.!！?？,，")
    return bool(_CLAUSE_PUNCT.search(inner)) and count >= (CLAUSE_HAN if han else CLAUSE_WORDS)
