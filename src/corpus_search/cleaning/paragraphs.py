"""Paragraph-level tidying: spaces, empty and punctuation-only lines, repeats, and
paragraphs too long to read (or to look for quotes in) as one passage."""

from __future__ import annotations

import re

__all__ = [
    "drop_consecutive_duplicates",
    "drop_empty",
    "drop_punctuation_only",
    "normalise_spaces",
    "normalise_whitespace",
    "split_long_paragraphs",
]

MAX_PARAGRAPH = 4000  # characters; a longer paragraph is cut at sentence ends

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_MARKS = re.compile(  # quotation marks, and sentence ends (with the closers after them)
    r"(?P<open>[「『“])|(?P<close>[」』”])"
    r"|(?P<end>(?:[。！？!?…;；]|\.(?=[\s」』”’\"')）]))[」』”’\"')）】》\]]*)"
)
_DEPTH = {"「": 1, "『": 1, "“": 1, "」": -1, "』": -1, "”": -1}


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


def split_long_paragraphs(lines: list[str]) -> list[str]:
    """Rule: cut a paragraph longer than `MAX_PARAGRAPH` characters after its last
    sentence end within each stretch of that length (else at a space, else anywhere):
    a file with no line breaks, or very long lines, still gives passages of a size
    to read, and to look for quotes in."""
    out: list[str] = []
    for line in lines:
        out += _pieces(line) if len(line) > MAX_PARAGRAPH else [line]
    return out


def _pieces(line: str) -> list[str]:
    pieces, start = [], 0
    while len(line) - start > MAX_PARAGRAPH:
        cut = _cut(line[start : start + MAX_PARAGRAPH])
        pieces.append(line[start : start + cut].strip())
        start += cut
    pieces.append(line[start:].strip())
    return [piece for piece in pieces if piece]


def _cut(window: str) -> int:
    """Where to end the piece: after the window's last sentence end in its second half
    outside quotation marks, else after any such sentence end, else at its last space
    there, else at its end."""
    half, depth, outside, inside = len(window) // 2, 0, 0, 0
    for match in _MARKS.finditer(window):
        depth = max(0, depth + sum(_DEPTH.get(ch, 0) for ch in match.group()))
        if match.lastgroup == "end" and match.end() > half:
            inside = match.end()
            outside = inside if depth == 0 else outside
    if outside or inside:
        return outside or inside
    space = window.rfind(" ", half)
    return space + 1 if space > 0 else len(window)
