"""Keyword-spam lines: runs of short `|`-separated search terms (SEO junk).

Such a line has many short fields and no sentence in it, e.g.
`亚洲欧美日韩熟女|做爱高潮视频网址|国产一区二区三级片|...`. Markdown table rows
(`| a | b |`) start and end with a bar and are left alone.
"""

from __future__ import annotations

import re

from corpus_search.normalise import fold_width

__all__ = ["drop_spam_lines", "is_spam_line"]

MIN_FIELDS = 4
MAX_FIELD_CHARS = 20
_SEPARATOR = re.compile(r"\|")
_SENTENCE_PUNCT = re.compile(r"[。,，;；!?！？、]|\.\s|\.$")


def is_spam_line(line: str) -> bool:
    """True for a line of at least four short `|`-separated fields with no sentence punctuation."""
    text = fold_width(line).strip()
    if text.startswith("|") and text.endswith("|"):
        return False
    fields = [field.strip() for field in _SEPARATOR.split(text)]
    fields = [field for field in fields if field]
    if len(fields) < MIN_FIELDS:
        return False
    if any(len(field) > MAX_FIELD_CHARS for field in fields):
        return False
    return not any(_SENTENCE_PUNCT.search(field) for field in fields)


def drop_spam_lines(lines: list[str]) -> list[str]:
    """Rule: drop keyword-spam lines (see `is_spam_line`)."""
    return [line for line in lines if not is_spam_line(line)]
