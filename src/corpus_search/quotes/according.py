"""`According to X, …` and `…, according to X.`: reported speech with its source apart.

The source is one named person (not a pronoun, not a company), with at most a
title before the name (`its founder, Anna Weber`) and a role after it
(`Tom Reyes, the company's chief financial officer,`). The reported clause is
the rest of the sentence: after the source when the sentence opens with
`According to`, before it when the sentence closes with it.
"""

from __future__ import annotations

import re

from corpus_search.lexicon import Entity
from corpus_search.quotes.doc import Doc
from corpus_search.quotes.en_names import is_role
from corpus_search.quotes.marks import MASK
from corpus_search.quotes.speakers import Mention

__all__ = ["clauses"]

_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+")
_TITLE_BEFORE = re.compile(rf"(?:[^,;.!?{MASK}]{{1,60}},\s*)?")
_ROLE_AFTER = re.compile(rf",\s*(?P<role>[^,;!?{MASK}]{{2,100}}?)(?=,|\.?\s*$)")
_CLOSE = re.compile(r"\s*[.,;]?\s*$")
_OPEN = re.compile(r"\s*,\s*")
MIN_WORDS = 4


def _source(doc: Doc, index: int, start: int, end: int) -> tuple[Mention, int] | None:
    """The person named right after `according to`, and where the source ends."""
    text = doc.masked[index]
    names = doc.speakers.names(text, start, end)
    if not names or names[0].entity is None:
        return None
    name = names[0]
    if _TITLE_BEFORE.fullmatch(text, start, name.start) is None:
        return None
    role = _ROLE_AFTER.match(text, name.end, end)
    if role is not None and is_role(role.group("role")):
        return name, role.end()
    return name, name.end


def _clause(text: str, start: int, end: int, who: Entity) -> list[tuple[int, int, Entity]]:
    words = text[start:end].replace(MASK, " ").split()
    return [(start, end, who)] if len(words) >= MIN_WORDS else []


def clauses(doc: Doc, index: int, start: int, end: int) -> list[tuple[int, int, Entity]]:
    """(start, end, speaker) of what `according to` a person reports in text[start:end]."""
    text = doc.masked[index]
    found: list[tuple[int, int, Entity]] = []
    for match in _ACCORDING.finditer(text, start, end):
        source = _source(doc, index, match.end(), end)
        if source is None:
            continue
        name, source_end = source
        who = name.entity
        assert who is not None
        if not text[start : match.start()].strip():
            opening = _OPEN.match(text, source_end, end)
            if opening is not None:
                found += _clause(text, opening.end(), end, who)
        elif _CLOSE.fullmatch(text, source_end, end) and text[: match.start()].rstrip().endswith(
            ","
        ):
            found += _clause(text, start, match.start(), who)
    return found
