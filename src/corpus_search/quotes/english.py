"""English speech: `Zhang Yong said (in his speech) that …`, quotations with
`he said` before or after them.

The subject is the person (or pronoun) right before the verb, with at most
a couple of words such as `also` between; for a participle (`…, saying
that …`) it is the one subject of the sentence. Objects of prepositions and
possessives (`Zhang Yong's team`) are never subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_search.lexicon import Entity
from corpus_search.quotes.cues import EN_CLAUSE, EN_CLAUSE_OPENERS, EN_VERBS
from corpus_search.quotes.doc import Doc
from corpus_search.quotes.marks import MASK, QuotedSpan
from corpus_search.quotes.speakers import Mention, is_subject, joined, sentence_at, sentences

__all__ = [
    "EnPair",
    "has_speech_verb",
    "pairs",
    "reported_clauses",
    "speaker_after",
    "speaker_before",
]

_VERBS = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in EN_VERBS)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_GAP = re.compile(r"\s+(?:[a-z]+\s+){0,2}")
_OPENERS = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in EN_CLAUSE_OPENERS)
_THAT = re.compile(rf"\s+(?:(?:{_OPENERS})\s+(?:[\w'’]+\s+){{0,{EN_CLAUSE}}}?)?that\s+")
_COLON = re.compile(r"\s*:\s*")
_BEFORE_QUOTE = re.compile(r"\s*[:,]?\s*")
_AFTER_QUOTE = re.compile(r"\s*[,.]?\s*")
_AFTER_VERB = re.compile(rf"(?=\s*(?:[.,;!?{MASK}]|$))")
_INVERTED = re.compile(rf"\s*[,.]?\s*(?:{_VERBS})\s+")
PARTICIPLE = "saying"


@dataclass(frozen=True)
class EnPair:
    subject: Mention
    speaker: Entity
    verb_start: int
    verb_end: int
    verb: str


def _resolve(doc: Doc, index: int, mention: Mention) -> Entity | None:
    return mention.entity or doc.antecedent(index, mention.start)


def _sentence_subject(doc: Doc, index: int, start: int, end: int) -> Mention | None:
    text = doc.masked[index]
    subjects = doc.speakers.subjects(text, start, end)
    resolved = [_resolve(doc, index, m) for m in subjects]
    ids = {e.id for e in resolved if e is not None}
    return subjects[0] if len(ids) == 1 and all(resolved) else None


def _subject(doc: Doc, index: int, start: int, verb: re.Match[str]) -> Mention | None:
    text = doc.masked[index]
    if verb.group() == PARTICIPLE and text[: verb.start()].rstrip().endswith(","):
        return _sentence_subject(doc, index, start, verb.start())
    mentions = doc.speakers.mentions(text, start, verb.start())
    if not mentions:
        return None
    last = mentions[-1]
    gap_ok = _GAP.fullmatch(text, last.end, verb.start()) is not None
    return last if gap_ok and is_subject(text, last) and not joined(text, mentions) else None


def pairs(doc: Doc, index: int, start: int, end: int) -> list[EnPair]:
    """Subject-verb pairs in masked text[start:end] whose subject is a known person."""
    found: list[EnPair] = []
    for verb in _VERB.finditer(doc.masked[index], start, end):
        subject = _subject(doc, index, start, verb)
        speaker = _resolve(doc, index, subject) if subject else None
        if subject is not None and speaker is not None:
            found.append(EnPair(subject, speaker, verb.start(), verb.end(), verb.group()))
    return found


def reported_clauses(doc: Doc, index: int) -> list[tuple[int, int, Entity]]:
    """(start, end, speaker) of each `said that …` or `said: …` clause."""
    text = doc.masked[index]
    clauses: list[tuple[int, int, Entity]] = []
    for start, end in sentences(text):
        for pair in pairs(doc, index, start, end):
            link = _THAT.match(text, pair.verb_end) or _COLON.match(text, pair.verb_end)
            if link is None or text[link.end() : link.end() + 1] == MASK:
                continue
            clauses.append((link.end(), end, pair.speaker))
    return clauses


def speaker_before(doc: Doc, index: int, span: QuotedSpan) -> Entity | None:
    """`Zhang Yong said: "…"`."""
    text = doc.masked[index]
    start, _ = sentence_at(text, span.open)
    found = pairs(doc, index, start, span.open)
    if found and _BEFORE_QUOTE.fullmatch(text, found[-1].verb_end, span.open):
        return found[-1].speaker
    return None


def speaker_after(doc: Doc, index: int, span: QuotedSpan) -> Entity | None:
    """`"…," he said.` or `"…," said Zhang Yong.`"""
    text = doc.masked[index]
    lead = _AFTER_QUOTE.match(text, span.end)
    if lead is None or lead.end() >= len(text):
        return None
    inverted = _INVERTED.match(text, span.end)
    if inverted:
        names = doc.speakers.names(text, inverted.end(), inverted.end() + 40)
        return names[0].entity if names and names[0].start == inverted.end() else None
    _, end = sentence_at(text, lead.end())
    found = pairs(doc, index, lead.end(), end)
    if (
        found
        and found[0].subject.start == lead.end()
        and _AFTER_VERB.match(text, found[0].verb_end)
    ):
        return found[0].speaker
    return None


def has_speech_verb(text: str) -> bool:
    return _VERB.search(text) is not None
