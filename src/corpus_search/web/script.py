"""Which script Chinese text is shown in: Traditional, Simplified, or as written.

The choice comes from the ``script`` query parameter, else the ``script`` cookie,
else "as written". Conversion happens at render time through ``Converter``, which
calls the display conversions of ``normalise`` (they change CJK characters only,
so escaped HTML with ``<mark>`` tags converts safely).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

from markupsafe import Markup

from corpus_search.normalise import to_simplified, to_traditional

__all__ = [
    "COOKIE",
    "COOKIE_MAX_AGE",
    "Script",
    "Converter",
    "ToggleLink",
    "choose_script",
    "toggle_links",
    "written_lang",
]

COOKIE = "script"
COOKIE_MAX_AGE = 365 * 24 * 3600
CHINESE_LANGS = ("zh-Hant", "zh-Hans", "zh")


class Script(StrEnum):
    HANT = "hant"
    HANS = "hans"
    ORIG = "orig"

    @property
    def label(self) -> str:
        return {"hant": "繁", "hans": "简", "orig": "原文"}[self.value]

    @property
    def description(self) -> str:
        return {
            "hant": "Show Chinese in Traditional characters",
            "hans": "Show Chinese in Simplified characters",
            "orig": "Show Chinese as written",
        }[self.value]

    @property
    def label_lang(self) -> str:
        return {"hant": "zh-Hant", "hans": "zh-Hans", "orig": "zh-Hant"}[self.value]

    @classmethod
    def parse(cls, value: str | None) -> Script | None:
        try:
            return cls((value or "").strip().lower())
        except ValueError:
            return None


def written_lang(text: str) -> str:
    """The `lang` of a short text: en, zh-Hant, zh-Hans, or zh when both scripts agree."""
    if text.isascii():
        return "en"
    simplified, traditional = to_simplified(text) == text, to_traditional(text) == text
    if simplified == traditional:
        return "zh"
    return "zh-Hans" if simplified else "zh-Hant"


def choose_script(param: str | None, cookie: str | None) -> Script:
    """The query parameter wins over the cookie; the default is "as written"."""
    return Script.parse(param) or Script.parse(cookie) or Script.ORIG


@dataclass(frozen=True)
class Converter:
    """Converts display text to the chosen script, and says which `lang` it ends up in."""

    script: Script = Script.ORIG

    def text(self, value: str | None) -> str:
        if not value:
            return value or ""
        if self.script is Script.HANT:
            return to_traditional(value)
        if self.script is Script.HANS:
            return to_simplified(value)
        return value

    def html(self, value: str) -> Markup:
        """Already-escaped HTML (with <mark> tags): convert its Chinese characters."""
        return Markup(self.text(str(value)))

    def lang(self, written: str) -> str:
        """The `lang` of text written in ``written`` once converted."""
        if written not in CHINESE_LANGS or self.script is Script.ORIG:
            return written
        return "zh-Hant" if self.script is Script.HANT else "zh-Hans"


@dataclass(frozen=True)
class ToggleLink:
    label: str
    description: str
    lang: str
    url: str
    current: bool


def toggle_links(path: str, params: Iterable[tuple[str, str]], current: Script) -> list[ToggleLink]:
    """Three links to this page in each script, keeping its other parameters."""
    kept = [(k, v) for k, v in params if k != "script"]
    return [
        ToggleLink(
            label=s.label,
            description=s.description,
            lang=s.label_lang,
            url=f"{path}?{urlencode([*kept, ('script', s.value)])}",
            current=s is current,
        )
        for s in Script
    ]
