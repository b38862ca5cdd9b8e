"""Keyword-spam lines (SEO junk), recognised by their density, not their words.

A keyword run is a line of at least four short fields and no sentence in it, the
fields separated by bars, middle dots, 、, commas, semicolons or slashes, or, when
the line has none of those, by spaces:
`亚洲欧美日韩熟女|做爱高潮视频网址|…`, `百家樂 真人娛樂城 88bet.cc 老虎機 …`,
`casino bonus, slot88 online, poker88.net, …`. It is spam when one of its fields
is a URL or a domain name, or when its fields are Han keywords, all separated
the same way, that the rest of the article does not use (a caption of names or a
list of the article's own terms shares its words with the text; a clause that
mixes 、 with ，or ； is prose). A run of space-separated Latin words
with no link is an English headline, not spam. Markdown table rows
(`| a | b |`) are left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from corpus_search.cleaning.base import has_han
from corpus_search.cleaning.vocabulary import is_unrelated, terms
from corpus_search.normalise import fold_width

__all__ = ["drop_spam_lines", "is_keyword_run", "is_spam_line", "keyword_fields"]

MIN_FIELDS = 4
MAX_FIELD_CHARS = 20
_MARKED_SEPARATOR = re.compile(r"\s*[|·•・、,;/]\s*")
_SPACES = re.compile(r"\s+")
_SENTENCE_PUNCT = re.compile(r"[。!?！？]|\.\s|\.$")
_LINK = re.compile(
    r"(?:https?://|www\.)\S+|[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)


def keyword_fields(line: str) -> list[str]:
    """The line's fields: split at marked separators, else at spaces."""
    text = fold_width(line).strip()
    splitter = _MARKED_SEPARATOR if _MARKED_SEPARATOR.search(text) else _SPACES
    return [field for field in splitter.split(text) if field]


def _one_separator(line: str) -> bool:
    """True when the line separates its fields in one way (prose mixes 、 with ，/；)."""
    marks = {mark.strip() for mark in _MARKED_SEPARATOR.findall(fold_width(line).strip())}
    return len(marks) <= 1


def is_keyword_run(line: str) -> bool:
    """True for four or more short fields (see `keyword_fields`) and no sentence."""
    text = fold_width(line).strip()
    if text.startswith("|") and text.endswith("|"):
        return False
    fields = keyword_fields(line)
    if len(fields) < MIN_FIELDS or any(len(field) > MAX_FIELD_CHARS for field in fields):
        return False
    return not any(_SENTENCE_PUNCT.search(field) for field in fields)


def _has_link(fields: list[str]) -> bool:
    return any(_LINK.match(field) for field in fields)


def is_spam_line(line: str, vocabulary: frozenset[str] = frozenset()) -> bool:
    """True for a keyword run with a URL or domain in it, or of Han keywords unrelated
    to `vocabulary` (the terms of the rest of the article)."""
    if not is_keyword_run(line):
        return False
    fields = keyword_fields(line)
    if _has_link(fields):
        return True
    han = sum(1 for field in fields if has_han(field))
    if han * 2 < len(fields) or not _one_separator(line):
        return False
    return is_unrelated(line, vocabulary)


def drop_spam_lines(lines: list[str]) -> list[str]:
    """Rule: drop keyword-spam lines (see `is_spam_line`), each judged against the
    vocabulary of the other lines."""
    runs = [index for index, line in enumerate(lines) if is_keyword_run(line)]
    if not runs:
        return list(lines)
    # The other lines' terms: all terms but those no other line has (`terms`).
    own = [terms(line) for line in lines]
    lines_with = Counter(chain.from_iterable(own))
    everything = frozenset(lines_with)
    spam = set()
    for index in runs:
        rest = everything - {term for term in own[index] if lines_with[term] == 1}
        if is_spam_line(lines[index], rest):
            spam.add(index)
    return [line for index, line in enumerate(lines) if index not in spam]
