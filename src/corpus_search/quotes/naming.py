"""What names and titles look like: the knowledge of ``data/names.toml``.

Common Chinese surnames (single and compound) and their readings, the words
of job titles in Chinese and English, honorifics and the capitalised words
that never belong to an English name. Chinese entries are written once in
Traditional script; the Simplified forms are added here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from corpus_search.normalise import to_simplified, to_traditional

__all__ = ["Naming", "naming"]


@dataclass(frozen=True)
class Naming:
    surnames: frozenset[str]  # single characters, both scripts
    compounds: frozenset[str]  # two-character surnames, both scripts
    not_given: frozenset[str]  # forms of address after a surname: 先生, 總
    readings: dict[str, str]  # Simplified surname -> toneless pinyin
    zh_titles: re.Pattern[str]  # a job title ending where the match ends
    zh_joiners: frozenset[str]
    en_titles: frozenset[str]  # lower-case title words
    honorifics: frozenset[str]
    particles: frozenset[str]
    not_names: frozenset[str]

    def surname(self, text: str, start: int = 0) -> str:
        """The surname text[start:] opens with ('' if none): compound ones first."""
        if text[start : start + 2] in self.compounds:
            return text[start : start + 2]
        return text[start] if text[start : start + 1] in self.surnames else ""

    def addressed(self, given: str) -> bool:
        """True for a form of address where a given name would be: 先生, 總, 某某."""
        return given in self.not_given or given.startswith("某")

    def reading(self, surname: str) -> str | None:
        return self.readings.get(to_simplified(surname))


def _both_scripts(words: list[str]) -> frozenset[str]:
    return frozenset(f for w in words for f in (w, to_simplified(w), to_traditional(w)))


def _title_regex(words: list[str]) -> re.Pattern[str]:
    forms = sorted(_both_scripts(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(f) for f in forms))


@lru_cache(maxsize=1)
def naming() -> Naming:
    text = resources.files("corpus_search").joinpath("data/names.toml").read_text("utf-8")
    data = tomllib.loads(text)
    zh, en = data["chinese"], data["english"]
    singles = [c for c in zh["surnames"] if not c.isspace()]
    return Naming(
        surnames=_both_scripts(singles),
        compounds=_both_scripts(zh["compound_surnames"]),
        not_given=_both_scripts(zh["not_given"]),
        readings={to_simplified(k): v for k, v in zh["readings"].items()},
        zh_titles=_title_regex(zh["titles"]["words"]),
        zh_joiners=_both_scripts(zh["titles"]["joiners"]),
        en_titles=frozenset(w.lower() for w in en["titles"]),
        honorifics=frozenset(en["honorifics"]),
        particles=frozenset(en["particles"]),
        not_names=frozenset(en["not_names"]),
    )
