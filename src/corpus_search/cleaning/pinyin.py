"""Pinyin readings written after Han characters: `負(fù)責(zé)人` -> `負責人`.

An annotation is removed only when it really is a reading:

* after a Han character, when pypinyin lists it among that character's readings
  (compared with tones, then without tones, treating ü, v and u alike), so
  `消費(shoppertainment)` or `賣家(ID:maijiakan)` stay;
* after a `?` (a character lost in transcoding), when it is a pinyin syllable,
  also when the opening bracket was swallowed too: `我們?cè)` -> `我們?`;
* after another non-space symbol, when it is a syllable with a tone mark (only
  mojibake puts `(xiàn)` after a Latin letter): `?,F(xiàn)在` -> `?,F在`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict

__all__ = ["is_reading_of", "is_syllable", "remove_pinyin_annotations", "strip_pinyin"]

_LETTERS = "a-zA-Z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ANNOTATION = re.compile(
    rf"(?P<char>[^\s(（)）])(?P<open>[(（]?)(?P<reading>[{_LETTERS}]{{1,7}}[1-5]?)[)）]"
)
_LOST = frozenset("?？\ufffd")


def _plain(syllable: str) -> str:
    """Lower case, tone marks and tone digits removed, ü/v folded to u."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.rstrip("12345").replace("v", "u")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    toned = {s for readings in pinyin_dict.values() for s in readings.split(",")}
    return frozenset(toned | {_plain(s) for s in toned})


def is_syllable(text: str) -> bool:
    """True if the text is a pinyin syllable (with or without tone)."""
    return text.lower() in _syllables() or _plain(text) in _syllables()


def _has_tone_mark(text: str) -> bool:
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text))


@lru_cache(maxsize=8192)
def is_reading_of(char: str, reading: str) -> bool:
    """True if `reading` is one of the pinyin readings of the Han character `char`."""
    readings = pinyin(char, style=Style.TONE, heteronym=True)[0]
    wanted = reading.lower()
    if wanted in readings:
        return True
    return _plain(wanted) in {_plain(r) for r in readings}


def _is_annotation(char: str, opened: bool, reading: str) -> bool:
    if re.fullmatch(f"[{_HAN}]", char):
        return opened and is_reading_of(char, reading)
    if char in _LOST:
        return is_syllable(reading)
    return opened and _has_tone_mark(reading) and is_syllable(reading)


def strip_pinyin(text: str) -> str:
    """Remove the pinyin annotations from one paragraph (see module docstring)."""

    def replace(match: re.Match[str]) -> str:
        char, opened, reading = match["char"], bool(match["open"]), match["reading"]
        return char if _is_annotation(char, opened, reading) else match[0]

    if ")" not in text and "）" not in text:  # every annotation closes its bracket
        return text
    return _ANNOTATION.sub(replace, text)


def remove_pinyin_annotations(lines: list[str]) -> list[str]:
    """Rule: apply `strip_pinyin` to every paragraph."""
    return [strip_pinyin(line) for line in lines]
