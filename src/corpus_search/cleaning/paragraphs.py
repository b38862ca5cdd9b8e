"""Paragraph-level tidying: spaces, empty and punctuation-only lines, repeats."""

from __future__ import annotations

import re

__all__ = [
    "drop_consecutive_duplicates",
    "drop_empty",
    "drop_punctuation_only",
    "normalise_spaces",
    "normalise_whitespace",
]

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def normalise_spaces(text: str) -> str:
    """Full-width (U+3000), no-break and other spaces -> one ASCII space; strip the ends."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def normalise_whitespace(lines: list[str]) -> list[str]:
    """Rule: apply `normalise_spaces` to every paragraph."""
    return [normalise_spaces(line) for line in lines]


def drop_empty(lines: list[str]) -> list[str]:
    """Rule: drop paragraphs that are empty (blank lines between paragraphs)."""
    return [line for line in lines if line.strip()]


def is_punctuation_only(text: str) -> bool:
    """True if the text has no letter, digit or Han character (e.g. a lone `。`)."""
    return not any(ch.isalnum() for ch in text)


def drop_punctuation_only(lines: list[str]) -> list[str]:
    """Rule: drop paragraphs made only of punctuation and symbols."""
    return [line for line in lines if not is_punctuation_only(line)]


def drop_consecutive_duplicates(lines: list[str]) -> list[str]:
    """Rule: keep one copy of a paragraph repeated immediately after itself."""
    kept: list[str] = []
    for line in lines:
        if not kept or normalise_spaces(kept[-1]) != normalise_spaces(line):
            kept.append(line)
    return kept
