"""Mark quotations inside a passage's HTML.

A passage arrives as escaped text, perhaps with ``<mark>`` around query matches.
``wrap_spans`` inserts elements at offsets of the *plain* text (an entity such as
``&amp;`` counts as the one character it stands for), closing and reopening an
open ``<mark>`` around each inserted tag so that the result stays well nested.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Wrap", "find_quotes", "wrap_spans"]

_UNIT = re.compile(r"</?mark>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|.", re.DOTALL)


@dataclass(frozen=True)
class Wrap:
    start: int  # plain-text offsets
    end: int
    open: str  # trusted HTML: the opening tag
    close: str  # trusted HTML: the closing tag, and anything to follow it


def find_quotes(text: str, quotes: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where each quote occurs in ``text``, in order and without overlaps (None: not found)."""
    found: list[tuple[int, int] | None] = []
    taken: list[tuple[int, int]] = []
    for quote in quotes:
        span = None
        start = text.find(quote) if quote else -1
        while start >= 0:
            end = start + len(quote)
            if all(end <= s or start >= e for s, e in taken):
                span = (start, end)
                break
            start = text.find(quote, start + 1)
        if span:
            taken.append(span)
        found.append(span)
    return found


def wrap_spans(html: str, wraps: Sequence[Wrap]) -> str:
    """``html`` with each wrap's tags inserted around its plain-text span."""
    events: dict[int, list[str]] = {}
    for w in sorted(wraps, key=lambda w: w.start):
        events.setdefault(w.end, []).append(w.close)
    for w in sorted(wraps, key=lambda w: w.start):
        events.setdefault(w.start, []).append(w.open)
    out: list[str] = []
    offset, in_mark = 0, False

    def emit(at: int) -> None:
        tags = events.pop(at, [])
        if tags:
            out.extend(["</mark>", *tags, "<mark>"] if in_mark else tags)

    for unit in _UNIT.findall(html):
        if unit in ("<mark>", "</mark>"):
            in_mark = unit == "<mark>"
            out.append(unit)
            continue
        emit(offset)
        out.append(unit)
        offset += 1
    emit(offset)
    for at in sorted(events):  # spans past the end of the text: close them anyway
        out.extend(events[at])
    return "".join(out).replace("<mark></mark>", "")
