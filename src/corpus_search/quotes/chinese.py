"""Chinese speech: a person and a speech verb linked to a quotation or a clause.

* speaker before: 張勇直言︰「…」, 他說︰「…」, 胡偉雄表示,「…」, and with a
  clause in between, 張勇相信,蔣凡…,「我相信…」 (long quotations only);
* speaker after: 「…」張勇說。, 「…」他續說。;
* reported speech: 胡偉雄表示,將活動帶到… (the clause after the verb).

The subject must come right before the verb (at most a few words of time or
place between, no punctuation, no 的 or 聽/讓 handing the speech to someone
else) and must not be the object of a preposition (對蔣凡). A pronoun is
resolved to the subject of the nearest sentence that names one person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_search.lexicon import Entity
from corpus_search.quotes.cues import (
    CLAUSE_VERBS,
    COLONS,
    NOT_AFTER_SAY,
    NOT_BEFORE_SAY,
    OTHER_VOICE,
    SPEECH_VERBS,
    alternation,
    variants,
)
from corpus_search.quotes.doc import Doc
from corpus_search.quotes.marks import MASK, QuotedSpan
from corpus_search.quotes.speakers import Mention, is_subject, joined, sentence_at, sentences

__all__ = [
    "Pair",
    "SPEECH_VERB",
    "has_speech_verb",
    "pairs",
    "reported_clauses",
    "speaker_after",
    "speaker_before",
    "verb_follows",
]


def _verb_regex() -> re.Pattern[str]:
    others = alternation(v for v in SPEECH_VERBS if v != "說")
    say = "".join(variants("說"))
    not_before = "".join(sorted(set("".join(variants(NOT_BEFORE_SAY)))))
    not_after = "".join(sorted(set("".join(variants(NOT_AFTER_SAY)))))
    # A verb and 說 or 道 after it are one verb: 補充說, 解釋道.
    return re.compile(rf"(?:{others})[{say}道]?|(?<![{not_before}])[{say}](?![{not_after}])")


_VERB = _verb_regex()
SPEECH_VERB = _VERB
_CLAUSE_VERBS = frozenset(v for verb in CLAUSE_VERBS for v in variants(verb))
_GAP_STOP = re.compile(rf"[,，、;；。!！?？「」『』“”\"{COLONS}{MASK}]")
_OTHER_VOICE = re.compile(alternation(v for v in OTHER_VOICE if v not in "的之"))
_POSSESSIVE = re.compile(rf"^(?:{alternation(('的', '之', '們'))})")
_PUNCT_AFTER = re.compile(rf"[\s道]*[,，{COLONS}]\s*")
_AFTER_END = re.compile(rf"道?(?=[。,，!！?？\s{MASK}]|$)")
MAX_GAP = 25  # characters between the subject and the verb
MAX_TITLE = 20  # characters of title before a name after a quotation
MIN_CLAUSE = 6  # characters of reported speech worth keeping


@dataclass(frozen=True)
class Pair:
    """A subject, who it is, and the speech verb it governs."""

    subject: Mention
    speaker: Entity
    verb_start: int
    verb_end: int
    verb: str


def _subject(doc: Doc, index: int, start: int, verb_start: int) -> tuple[Mention, Entity] | None:
    text = doc.masked[index]
    mentions = doc.speakers.mentions(text, start, verb_start)
    if not mentions:
        return None
    last = mentions[-1]
    if joined(text, mentions):
        return None
    gap = text[last.end : verb_start]
    if len(gap) > MAX_GAP or _GAP_STOP.search(gap) or _OTHER_VOICE.search(gap):
        return None
    if _POSSESSIVE.search(gap) or not is_subject(text, last):
        return None
    speaker = last.entity or doc.antecedent(index, last.start)
    return (last, speaker) if speaker is not None else None


def pairs(doc: Doc, index: int, start: int, end: int) -> list[Pair]:
    """Subject-verb pairs in masked text[start:end] whose subject is a known person."""
    found: list[Pair] = []
    for verb in _VERB.finditer(doc.masked[index], start, end):
        subject = _subject(doc, index, start, verb.start())
        if subject is not None:
            found.append(Pair(subject[0], subject[1], verb.start(), verb.end(), verb.group()))
    return found


def speaker_before(doc: Doc, index: int, span: QuotedSpan) -> tuple[Entity, bool] | None:
    """Speaker named before the quotation in its sentence, and whether right before it."""
    text = doc.masked[index]
    start, _ = sentence_at(text, span.open)
    found = pairs(doc, index, start, span.open)
    if not found:
        return None
    pair = found[-1]
    between = text[pair.verb_end : span.open]
    if _PUNCT_AFTER.fullmatch(between) or not between.strip():
        return pair.speaker, True
    takes_clause = pair.verb in _CLAUSE_VERBS or between[:1] in "，," + COLONS
    return (pair.speaker, False) if takes_clause and MASK not in between else None


def speaker_after(doc: Doc, index: int, span: QuotedSpan) -> Entity | None:
    """Speaker named right after the quotation: 「…」張勇說。, 「…」淘寶天貓總裁蔣凡表示。"""
    text = doc.masked[index]
    if span.end >= len(text):
        return None
    _, end = sentence_at(text, span.end)
    start = span.end + len(text[span.end : end]) - len(text[span.end : end].lstrip(" ,，"))
    found = pairs(doc, index, start, end)
    if not found:
        return None
    title = text[start : found[0].subject.start]
    if len(title) > MAX_TITLE or _GAP_STOP.search(title):
        return None
    return found[0].speaker if _AFTER_END.match(text, found[0].verb_end) else None


def reported_clauses(doc: Doc, index: int) -> list[tuple[int, int, Entity]]:
    """(start, end, speaker) of each clause reported after a speech verb."""
    text = doc.masked[index]
    clauses: list[tuple[int, int, Entity]] = []
    for start, end in sentences(text):
        found = pairs(doc, index, start, end)
        for n, pair in enumerate(found):
            punct = _PUNCT_AFTER.match(text, pair.verb_end)
            if punct is None and pair.verb not in _CLAUSE_VERBS:
                continue
            clause_start = punct.end() if punct else pair.verb_end
            clause_end = found[n + 1].subject.start if n + 1 < len(found) else end
            if text[clause_start : clause_start + 1] == MASK:
                continue
            if len(text[clause_start:clause_end].replace(MASK, "")) >= MIN_CLAUSE:
                clauses.append((clause_start, clause_end, pair.speaker))
    return clauses


def verb_follows(text: str, end: int) -> bool:
    """True if a speech verb follows text[end:] in its clause, within MAX_GAP characters."""
    stop = _GAP_STOP.search(text, end)
    limit = min(stop.start() if stop else len(text), end + MAX_GAP + 2)
    return _VERB.search(text, end, limit) is not None


def has_speech_verb(text: str) -> bool:
    return _VERB.search(text) is not None
