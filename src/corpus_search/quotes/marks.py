"""Quotation marks: find the quoted spans of a passage, mask them, cut them out.

Handles 「」, 『』, “” and straight double quotes, nested or not. A mark
left open runs to the end of the passage (`closed` is then False), as when a
quotation goes on into the next paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MASK", "QuotedSpan", "find_spans", "mask", "segments", "trim"]

MASK = "\ue000"  # stands for every character of a quoted span in masked text
_PAIRS = {"「": "」", "『": "』", "“": "”", "﹁": "﹂", "﹃": "﹄"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_STRAIGHT = '"'
_MARK = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS) + _STRAIGHT) + "]")
_EDGE = " \t,，、;；:：︰。.!！?？…—-"
_WORD = re.compile(r"[A-Za-z0-9]+|[\u3400-\u9fff]")


@dataclass(frozen=True)
class QuotedSpan:
    """Marks at `open` and `close` (None: never closed); the words lie between."""

    open: int
    close: int | None
    depth: int
    text_end: int  # end of the quoted words: `close`, or the end of the passage

    @property
    def start(self) -> int:
        return self.open + 1

    @property
    def end(self) -> int:
        """End of the whole span, marks included."""
        return self.text_end if self.close is None else self.close + 1

    @property
    def closed(self) -> bool:
        return self.close is not None

    def words(self, text: str) -> str:
        return text[self.start : self.text_end]


def _close_to(stack: list[tuple[str, int]], mark: str) -> int | None:
    """Index in the stack of the opener the closing `mark` belongs to."""
    for i in range(len(stack) - 1, -1, -1):
        if _PAIRS.get(stack[i][0], _STRAIGHT) == mark:
            return i
    return None


def find_spans(text: str) -> list[QuotedSpan]:
    """Every quoted span, outer spans before the spans nested in them."""
    stack: list[tuple[str, int]] = []
    spans: list[QuotedSpan] = []
    for found_mark in _MARK.finditer(text):  # the marks only: most text has few
        char, pos = found_mark.group(), found_mark.start()
        straight_open = any(opener == _STRAIGHT for opener, _ in stack)
        if char in _PAIRS or (char == _STRAIGHT and not straight_open):
            stack.append((char, pos))
        else:
            found = _close_to(stack, char)
            if found is None:
                continue
            for depth in range(len(stack) - 1, found - 1, -1):
                opener = stack[depth][1]
                closing = pos if depth == found else None
                spans.append(QuotedSpan(opener, closing, depth, pos))
            del stack[found:]
    for depth, (_, opener) in enumerate(stack):
        spans.append(QuotedSpan(opener, None, depth, len(text)))
    return sorted(spans, key=lambda s: (s.open, s.depth))


def mask(text: str, spans: list[QuotedSpan]) -> str:
    """The text with every quoted span, marks included, replaced by MASK."""
    chars = list(text)
    for span in spans:
        if span.depth == 0:
            chars[span.open : span.end] = MASK * (span.end - span.open)
    return "".join(chars)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) so it neither starts nor ends with space or punctuation."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def segments(
    text: str, start: int, end: int, spans: list[QuotedSpan], min_words: int = 4
) -> list[tuple[int, int]]:
    """Pieces of [start, end) between the quoted spans inside it, trimmed.

    Quoted names and slogans inside someone's speech are not their words, so
    the speech is cut around them; pieces under `min_words` words are dropped.
    """
    cuts = sorted((s.open, s.end) for s in spans if start <= s.open and s.end <= end)
    pieces: list[tuple[int, int]] = []
    cursor = start
    for cut_start, cut_end in [*cuts, (end, end)]:
        if cut_start >= cursor:
            piece = trim(text, cursor, cut_start)
            if len(_WORD.findall(text[piece[0] : piece[1]])) >= min_words:
                pieces.append(piece)
        cursor = max(cursor, cut_end)
    return pieces
