"""Highlighted snippets, built from escaped text.

Matches are found by running the text through the same analyzers as the index
(character offsets point into the text as written, so the original script is
kept) and marked on whole words: where a long word and one of its sub-words
both match, the long word is marked.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape, unescape

from whoosh.analysis import Composable

__all__ = ["find_spans", "mark", "merge_spans", "excerpt", "strip_marks", "Span"]

Span = tuple[int, int]


def find_spans(
    text: str,
    terms: set[str],
    sequences: Iterable[list[str]],
    analyzer: Composable,
    exact_analyzer: Composable,
) -> list[Span]:
    """Character spans of ``text`` that match the query's terms or sequences."""
    spans: list[Span] = []
    if terms:
        for t in analyzer(text, mode="index", positions=True, chars=True):
            if t.text in terms:
                spans.append((t.startchar, t.endchar))
    sequences = [s for s in sequences if s]
    if sequences:
        units = [(t.text, t.startchar, t.endchar) for t in exact_analyzer(text, chars=True)]
        words = [u[0] for u in units]
        for seq in sequences:
            size = len(seq)
            for i in range(len(words) - size + 1):
                if words[i : i + size] == seq:
                    spans.append((units[i][1], units[i + size - 1][2]))
    return merge_spans(spans)


def merge_spans(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one covering span (the longest word wins)."""
    merged: list[Span] = []
    for start, end in sorted(set(spans)):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _escape(text: str) -> str:
    """Escape for HTML text content: &, < and >. Quotes stay as written (Zhang Yong's),
    which is safe because snippets are never placed inside attributes."""
    return escape(text, quote=False)


def mark(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> str:
    """HTML of ``text[start:end]``, escaped, with <mark> around the spans."""
    end = len(text) if end is None else end
    out: list[str] = []
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(_escape(text[cursor:s]))
        out.append(f"<mark>{_escape(text[s:e])}</mark>")
        cursor = e
    out.append(_escape(text[cursor:end]))
    return "".join(out)


def excerpt(text: str, spans: list[Span], width: int = 240) -> str:
    """A window of about ``width`` characters around the densest matches, marked."""
    if len(text) <= width or not spans:
        body = mark(text, spans, 0, min(len(text), width) if not spans else len(text))
        return body + ("…" if not spans and len(text) > width else "")
    best_start, best_count = spans[0][0], 0
    for s, _ in spans:
        count = sum(1 for x, _ in spans if s <= x < s + width)
        if count > best_count:
            best_start, best_count = s, count
    start = max(0, min(best_start - width // 4, len(text) - width))
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + mark(text, spans, start, end) + suffix


def strip_marks(html: str) -> str:
    """Plain text of a snippet: marks removed, entities unescaped."""
    return unescape(html.replace("<mark>", "").replace("</mark>", ""))
