"""The bilingual lexicon of people, companies, events, topics and places.

Knowledge lives in ``data/lexicon.toml``; this module only loads it. Chinese
forms are folded to the canonical script, so one entry matches Traditional,
Simplified and Taiwan-vocabulary text alike. Latin forms (English names,
nicknames and toneless pinyin) are kept as written; the analysis stage turns
them into token sequences with the same filters it applies to text.

Users extend it without editing the package: a TOML file of the same format
(``--lexicon FILE`` / CORPUS_SEARCH_LEXICON, see examples/lexicon.toml) is merged
with the packaged one (`merge_entries`). An entry with a new id is added; an
entry with an id the packaged lexicon has extends that entry: its forms (``zh``,
``en``, ``nicknames``) are added to the packaged ones and the fields it states
(``kind``, ``name``, ``name_en``, ``title``, ``pinyin``) replace theirs. Every
process loads the same merged lexicon (`load_lexicon` reads the variable), so the
segmenter's dictionary, entity tagging, quotes and search agree. A file that
cannot be used is a `SettingsError` naming the file and the entry.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from corpus_search import cache
from corpus_search.config import lexicon_file
from corpus_search.errors import SettingsError
from corpus_search.normalise import HAN, canonical_key

__all__ = [
    "Entity",
    "Lexicon",
    "lexicon_bytes",
    "load_lexicon",
    "merge_entries",
    "read_user_lexicon",
]

_HAN = re.compile(f"[{HAN}]")
KINDS = ("person", "company", "product", "event", "topic", "place", "term")
FORM_KEYS = ("zh", "en", "nicknames")  # lists: a user's entry adds to them
TEXT_KEYS = ("id", "kind", "name", "name_en", "title", "pinyin")  # a user's entry replaces
PINYIN = ("auto", "none")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # in URLs, comma lists and ``@id:form`` terms
Raw = dict[str, object]


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str
    name: str  # Chinese display name
    name_en: str
    zh_forms: tuple[str, ...]  # canonical (Simplified) Chinese forms
    latin_forms: tuple[str, ...]  # English, pinyin and Latin nicknames, as written
    all_forms: tuple[str, ...]  # every form as written in the lexicon, for display
    title: str = ""
    nicknames: tuple[str, ...] = ()  # 花名 and aliases, as written

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


def _pinyin_forms(han: str, readings: dict[str, list[str]]) -> list[str]:
    syllables = readings[han]
    return [" ".join(syllables), "".join(syllables)]


def _readings(names: list[str]) -> dict[str, list[str]]:
    """The pinyin syllables of each Han name, from the cache: pypinyin's phrase
    dictionary alone takes half a second to import, in every server process."""

    def build() -> dict[str, list[str]]:
        from pypinyin import lazy_pinyin

        return {name: lazy_pinyin(name) for name in names}

    inputs = ("lexicon-pinyin-1", cache.package_version("pypinyin"), *sorted(names))
    return cache.cached("lexicon-pinyin", inputs, build, dict)


def _auto_pinyin(raw: dict[str, object]) -> str | None:
    """The Han name whose pinyin forms an entry gets (its first Chinese form)."""
    zh = raw.get("zh") or []
    if raw.get("pinyin", "auto") == "auto" and zh:
        return str(zh[0])  # type: ignore[index]
    return None


def _entity(raw: dict[str, object], readings: dict[str, list[str]]) -> Entity:
    zh = [str(f) for f in raw.get("zh", [])]  # type: ignore[attr-defined]
    en = [str(f) for f in raw.get("en", [])]  # type: ignore[attr-defined]
    nick = [str(f) for f in raw.get("nicknames", [])]  # type: ignore[attr-defined]
    written = [*zh, *en, *nick]
    if (han_name := _auto_pinyin(raw)) is not None:
        written += _pinyin_forms(han_name, readings)
    han = [f for f in written if _HAN.search(f)]
    latin = [f for f in written if not _HAN.search(f)]
    name = str(raw["name"])
    if _HAN.search(name):
        han.append(name)
    return Entity(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        name=name,
        name_en=str(raw.get("name_en", name)),
        zh_forms=tuple(dict.fromkeys(canonical_key(f) for f in han)),
        latin_forms=tuple(dict.fromkeys(latin)),
        all_forms=tuple(dict.fromkeys([name, *written])),
        title=str(raw.get("title", "")),
        nicknames=tuple(nick),
    )


class Lexicon:
    """Entities by id, with a lookup from any canonical form to its entity."""

    def __init__(self, entities: list[Entity]) -> None:
        self.entities: dict[str, Entity] = {e.id: e for e in entities}
        self._by_key: dict[str, Entity] = {}
        for entity in entities:
            for form in (*entity.zh_forms, *entity.latin_forms, entity.id, entity.name_en):
                self._by_key.setdefault(canonical_key(form), entity)

    @classmethod
    def from_toml(cls, text: str) -> Lexicon:
        return cls.from_entries(tomllib.loads(text).get("entity", []))

    @classmethod
    def from_entries(cls, raws: list[Raw]) -> Lexicon:
        """The lexicon of ``[[entity]]`` tables as TOML reads them."""
        readings = _readings([n for raw in raws if (n := _auto_pinyin(raw)) is not None])
        entities = [_entity(raw, readings) for raw in raws]
        bad = [e.id for e in entities if e.kind not in KINDS]
        if bad:
            raise ValueError(f"lexicon entries with an unknown kind: {bad}")
        return cls(entities)

    def lookup(self, name: str) -> Entity | None:
        """The entity named by an id or by any of its forms, in any script."""
        return self._by_key.get(canonical_key(name).replace("-", " ")) or self._by_key.get(
            canonical_key(name)
        )

    def people(self) -> list[Entity]:
        return [e for e in self.entities.values() if e.is_person]

    def chinese_words(self) -> list[str]:
        """Canonical Chinese forms, for the segmenter's user dictionary."""
        return sorted({f for e in self.entities.values() for f in e.zh_forms})


def _packaged_bytes() -> bytes:
    return resources.files("corpus_search").joinpath("data/lexicon.toml").read_bytes()


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The packaged lexicon merged with a user's file: ``extra``, else the file
    CORPUS_SEARCH_LEXICON names (neither: the packaged lexicon alone). Read once per
    version of the file (path, size and modification time)."""
    path = extra if extra is not None else lexicon_file()
    return _load(cache.file_stamp(path) if path is not None else None)


@lru_cache(maxsize=4)
def _load(stamp: tuple[str, int, int] | None) -> Lexicon:
    entries = tomllib.loads(_packaged_bytes().decode("utf-8"))["entity"]
    if stamp is not None:
        entries = merge_entries(entries, read_user_lexicon(Path(stamp[0])))
    return Lexicon.from_entries(entries)


def lexicon_bytes() -> bytes:
    """What the lexicon in use is made of (the packaged file, then the user's), for
    the index fingerprint; SettingsError for a user's file that cannot be used."""
    path = lexicon_file()
    if path is None:
        return _packaged_bytes() + b"\0"
    load_lexicon(path)  # checked here, before a build reads anything
    return _packaged_bytes() + b"\0" + path.read_bytes()


def merge_entries(packaged: list[Raw], extra: list[Raw]) -> list[Raw]:
    """The packaged entries and a user's: a new id is added at the end; a known id's
    entry gets the user's forms added and the fields the user states replaced."""
    merged = {str(raw["id"]): dict(raw) for raw in packaged}
    for raw in extra:
        known = merged.get(str(raw["id"]))
        merged[str(raw["id"])] = dict(raw) if known is None else _extend(known, raw)
    return list(merged.values())


def _extend(known: Raw, raw: Raw) -> Raw:
    out = known | {k: v for k, v in raw.items() if k not in FORM_KEYS}
    for key in FORM_KEYS:
        forms = [*known.get(key, []), *raw.get(key, [])]  # type: ignore[misc]
        if forms:
            out[key] = list(dict.fromkeys(forms))
    return out


# -- a user's file ------------------------------------------------------------------


def read_user_lexicon(path: Path) -> list[Raw]:
    """The ``[[entity]]`` tables of a user's lexicon file, checked: SettingsError naming
    the file (and the entry) for anything the lexicon could not use."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _unusable(path, f"cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise _unusable(path, f"is not valid TOML ({exc})") from None
    entries = data.get("entity", [])
    other = sorted(set(data) - {"entity"})
    if other or not isinstance(entries, list):
        found = f" (found: {', '.join(other)})" if other else ""
        raise _unusable(path, f"must hold [[entity]] tables only{found}")
    known = {e.id for e in _load(None).entities.values()}
    for number, raw in enumerate(entries, start=1):
        problem = _problem(raw, known) if isinstance(raw, dict) else "is not a table"
        if problem:
            named = f" (id {raw['id']!r})" if isinstance(raw, dict) and "id" in raw else ""
            raise _unusable(path, f"entry {number}{named} {problem}")
    return entries


def _unusable(path: Path, what: str) -> SettingsError:
    return SettingsError(
        f"lexicon file {path} {what}. It is the file --lexicon or CORPUS_SEARCH_LEXICON "
        "names; see examples/lexicon.toml for the format."
    )


def _problem(raw: Raw, known: set[str]) -> str | None:
    """What makes one entry unusable (None: nothing)."""
    unknown = sorted(set(raw) - {*TEXT_KEYS, *FORM_KEYS})
    if unknown:
        return f"has unknown keys {unknown} (the keys are {', '.join((*TEXT_KEYS, *FORM_KEYS))})"
    wrong = [k for k in TEXT_KEYS if k in raw and not isinstance(raw[k], str)]
    wrong += [k for k in FORM_KEYS if k in raw and not _strings(raw[k])]
    if wrong:
        return f"has {wrong[0]} of the wrong type (text, or for zh/en/nicknames a list of text)"
    if not _ID.fullmatch(str(raw.get("id", ""))):
        return "needs an id of lower-case letters, digits and hyphens (zhang-yong)"
    if raw["id"] not in known and not (raw.get("kind") and raw.get("name")):
        return "is a new entry, so it needs a kind and a name"
    if "kind" in raw and raw["kind"] not in KINDS:
        return f"has kind {raw['kind']!r}, not one of {', '.join(KINDS)}"
    if "pinyin" in raw and raw["pinyin"] not in PINYIN:
        return f"has pinyin {raw['pinyin']!r}, not one of {', '.join(PINYIN)}"
    return None


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
