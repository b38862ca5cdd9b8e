"""Units of text: canonical words and characters with their places in the source.

Every text, indexed or queried, is converted once to the canonical script
(`normalise.canonical_with_offsets`: NFKC, OpenCC round trip to Simplified) and
cut into units, each with the offsets of the characters it came from, so that
matches are marked in the text as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus_search.normalise import HAN, canonical_with_offsets
from corpus_search.segment import segment, subwords

__all__ = [
    "Canonical",
    "Item",
    "canonical_text",
    "char_items",
    "is_han",
    "latin_words",
    "lower",
    "word_items",
]

_HAN_CHAR = re.compile(f"[{HAN}]")
_LATIN_WORD = re.compile(r"[0-9a-z]+")
_CHAR_UNIT = re.compile(f"[{HAN}]|[0-9a-z]+")

# One token: [text, position, start char, end char, original text, stopped].
# A list, not an object: analysis makes millions of them.
Item = list


def is_han(text: str) -> bool:
    return bool(_HAN_CHAR.search(text))


def latin_words(text: str) -> list[str]:
    """Lower-cased Latin/digit words of a string, as the tokenizer splits them."""
    return _LATIN_WORD.findall(lower(text))


def lower(text: str) -> str:
    """``text.lower()``, one character for one: offsets into the lower-cased text
    stay offsets into the text (İ alone lower-cases to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[0] for c in text)


@lru_cache(maxsize=64)
def canonical_text(value: str) -> tuple[str, list[int]]:
    # Both analyzers convert the same text one after the other: convert it once.
    return canonical_with_offsets(value)


Canonical = tuple[str, list[int]]  # a text in the canonical script, and its offsets


def word_items(value: str, mode: str, canonical: Canonical | None = None) -> list[Item]:
    """jieba words of the canonical text and lower-cased Latin words, with ordinal
    positions; at index time, the dictionary words inside a long word too, at the
    long word's position (jieba's search mode). ``canonical``: the text already
    converted (`normalise.canonical_many`)."""
    text, offsets = canonical or canonical_text(value)
    items: list[Item] = []
    pos = -1
    index_mode = mode == "index"
    for word, start, end in segment(text):
        if len(word) == 1 and not word.isalnum():
            continue  # a space or a punctuation mark: no word of either kind
        if word.isascii() and word.isalnum():  # one Latin word, as the pattern would find
            pos += 1
            low = word.lower()
            items.append([low, pos, offsets[start], offsets[end - 1] + 1, low, False])
        elif not word.isascii() and _HAN_CHAR.search(word):
            pos += 1
            items.append([word, pos, offsets[start], offsets[end - 1] + 1, word, False])
            if index_mode and len(word) > 2:
                for sub, at in subwords(word):
                    s, e = start + at, start + at + len(sub)
                    items.append([sub, pos, offsets[s], offsets[e - 1] + 1, sub, False])
        else:
            for m in _LATIN_WORD.finditer(lower(word)):
                pos += 1
                s, e = start + m.start(), start + m.end()
                items.append([m.group(), pos, offsets[s], offsets[e - 1] + 1, m.group(), False])
    return items


def char_units(value: str, canonical: Canonical | None = None) -> list[tuple[str, int, int, int]]:
    """Canonical Han characters one by one and whole Latin/digit words, each as
    (unit, position, start, end): what the index keeps of them."""
    text, offsets = canonical or canonical_text(value)
    out = []
    for pos, m in enumerate(_CHAR_UNIT.finditer(lower(text))):
        start, end = m.span()
        out.append((m.group(), pos, offsets[start], offsets[end - 1] + 1))
    return out


def char_items(value: str, canonical: Canonical | None = None) -> list[Item]:
    """`char_units` as the tokenizer's items."""
    return [[t, pos, s, e, t, False] for t, pos, s, e in char_units(value, canonical)]
