"""The bilingual lexicon of people, companies, events, topics and places.

Knowledge lives in ``data/lexicon.toml``; this module only loads it. Chinese
forms are folded to the canonical script, so one entry matches Traditional,
Simplified and Taiwan-vocabulary text alike. Latin forms (English names,
nicknames and toneless pinyin) are kept as written; the analysis stage turns
them into token sequences with the same filters it applies to text.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from corpus_search import cache
from corpus_search.normalise import HAN, canonical_key

__all__ = ["Entity", "Lexicon", "load_lexicon"]

_HAN = re.compile(f"[{HAN}]")
KINDS = ("person", "company", "product", "event", "topic", "place", "term")


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
        data = tomllib.loads(text)
        raws = data.get("entity", [])
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


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("corpus_search").joinpath("data/lexicon.toml").read_text("utf-8")
    return Lexicon.from_toml(text)
