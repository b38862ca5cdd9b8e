"""Interview layouts: who is speaking in each passage of a Q/A transcript.

* `Q:` / `問:` / `Question:` open a question; `A:` / `答:` an answer by the
  interviewee, the person the headline or a lead sentence names next to 專訪,
  採訪, 對答, interview or dialogue;
* `胡偉雄:` / `Zhang Yong:` at the start of a passage: an answer by that person;
* unlabelled passages after an answer go on with it until the next question
  (section headings such as `1、關於阿里媽媽的變化` are skipped);
* unlabelled passages right after a question are the interviewee's answer,
  unless a labelled answer follows (then they are more of the question);
* a disclaimer or a list of links ends the transcript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_search.lexicon import Entity
from corpus_search.quotes.cues import (
    ANSWER_LABELS,
    BULLET,
    COLONS,
    INTERVIEW_CUES,
    QUESTION_LABELS,
    STOP_LABELS,
    alternation,
)
from corpus_search.quotes.doc import Doc
from corpus_search.quotes.speakers import sentences
from corpus_search.quotes.terms import word_count

__all__ = ["ANSWER", "HEADING", "OTHER", "QUESTION", "Role", "interviewee", "is_heading", "roles"]

QUESTION, ANSWER, HEADING, STOP, OTHER = "question", "answer", "heading", "stop", "other"

_QUESTION = re.compile(rf"\s*(?:{alternation(QUESTION_LABELS)})\s*\d*\s*[{COLONS}]\s*")
_ANSWER = re.compile(rf"\s*(?:{alternation(ANSWER_LABELS)})\s*\d*\s*[{COLONS}]\s*")
_AFTER_NAME = re.compile(rf"\s*(?:[(（][^)）]{{0,30}}[)）])?\s*[{COLONS}]\s*")
_STOP = re.compile(rf"\s*(?:(?:{alternation(STOP_LABELS)})|{BULLET})", re.IGNORECASE)
_CUE = re.compile(alternation(INTERVIEW_CUES), re.IGNORECASE)
_BYLINE = re.compile(r"(?:作者|記者|记者|編輯|编辑|撰文|reporter|by)\s*[丨|:：︰/]?\s*$", re.I)
_ENDS = re.compile(r"[。.!！?？:：︰;；…,，」』”\"）)]\s*$")
# Any short label before a colon ("Put questions to:", a translation of 提問：), for a
# question whose label is not one of QUESTION_LABELS: see `_unlabelled_questions`.
_SHORT_LABEL = re.compile(
    rf"\s*(?:[A-Za-z][A-Za-z' ]{{0,24}}|[\u3400-\u9fff]{{1,4}})\s*[{COLONS}]\s*"
)
MAX_HEADING = 30  # words (Han characters or English words)


@dataclass(frozen=True)
class Role:
    kind: str
    speaker: Entity | None = None
    start: int = 0  # where the speech starts, after any label


def is_heading(text: str) -> bool:
    """A short line with no closing punctuation: a title or section heading."""
    return word_count(text) <= MAX_HEADING and not _ENDS.search(text)


def _label(doc: Doc, index: int, interviewee: Entity | None) -> Role | None:
    text = doc.texts[index]
    if _STOP.match(text):
        return Role(STOP)
    if found := _QUESTION.match(text):
        return Role(QUESTION, None, found.end())
    if found := _ANSWER.match(text):
        return Role(ANSWER, interviewee, found.end())
    lead = len(text) - len(text.lstrip())
    names = doc.speakers.names(text, lead, lead + 40)
    if names and names[0].start == lead and (colon := _AFTER_NAME.match(text, names[0].end)):
        return Role(ANSWER, names[0].entity, colon.end())
    return None


def _named_with_cue(doc: Doc, text: str) -> dict[str, Entity]:
    """The person each sentence with an interview word names, where it names one."""
    found: dict[str, Entity] = {}
    for start, end in sentences(text):
        if not _CUE.search(text, start, end):
            continue
        named = doc.speakers.names(text, start, end)
        people = {
            m.entity.id: m.entity
            for m in named
            if m.entity and not _BYLINE.search(text, start, m.start)
        }
        if len(people) == 1:
            found.update(people)
    return found


def interviewee(doc: Doc, upto: int) -> Entity | None:
    """The one person the headline and the lead name next to an interview word, if one."""
    found = _named_with_cue(doc, doc.title)
    for index in range(upto):
        found.update(_named_with_cue(doc, doc.masked[index]))
    return next(iter(found.values())) if len(found) == 1 else None


def _first_label(doc: Doc) -> int:
    for index in range(len(doc.texts)):
        role = _label(doc, index, None)
        if role is not None and role.kind in (QUESTION, ANSWER):
            return index
    return len(doc.texts)


def _answer_follows(labels: list[Role | None], index: int) -> bool:
    """True if the next labelled passage after `index` is an answer."""
    return next((r.kind == ANSWER for r in labels[index + 1 :] if r is not None), False)


def _unlabelled_questions(doc: Doc, labels: list[Role | None]) -> list[Role | None]:
    """A passage under a short label of any wording, answered by the next passage (an
    answer: a person's label or A:), is a question: interview labels come in many
    wordings and translations, the structure is the same. Taking such a passage for
    a question at worst misses a quote; taking it for an answer would put words in
    the interviewee's mouth."""
    out = list(labels)
    for index, label in enumerate(labels[:-1]):
        if label is not None or labels[index + 1] is None:
            continue
        found = _SHORT_LABEL.match(doc.texts[index])
        if found and labels[index + 1].kind == ANSWER:
            out[index] = Role(QUESTION, None, found.end())
    return out


def roles(doc: Doc) -> list[Role]:
    """The role of every passage."""
    first = _first_label(doc)
    if first == len(doc.texts):
        return [Role(OTHER)] * len(doc.texts)
    guest = interviewee(doc, first)
    labels = _unlabelled_questions(doc, [_label(doc, i, guest) for i in range(len(doc.texts))])
    result: list[Role] = []
    mode: Role | None = None
    for index, label in enumerate(labels):
        if label is not None:
            mode = label if label.kind in (QUESTION, ANSWER) else None
            result.append(label)
        elif is_heading(doc.texts[index]):
            result.append(Role(HEADING))
        elif mode is not None and mode.kind == ANSWER:
            result.append(Role(ANSWER, mode.speaker))
        elif mode is not None and guest is not None and not _answer_follows(labels, index):
            mode = Role(ANSWER, guest)
            result.append(mode)
        else:
            result.append(Role(QUESTION) if mode is not None else Role(OTHER))
    return result
