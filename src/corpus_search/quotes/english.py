"""English speech: `Zhang Yong said (in his speech) that …`, quotations with
`he said` before or after them.

The subject is the person (or pronoun) right before the verb, with at most
a couple of words such as `also` between, or an apposition naming a role
(`Maria Okafor, head of operations at Brightline Freight, said`); for a
participle (`…, saying that …`) it is the one subject of the sentence.
Objects of prepositions and possessives (`Zhang Yong's team`) are never
subjects.

Reported speech is the clause after `said that`, `said:`, `told REPORTERS
that`, or after a bare `said` when the clause has a finite verb of its own
(`Okafor said the sites would open …`), and what `according to X` reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_search.lexicon import Entity
from corpus_search.quotes import according
from corpus_search.quotes.cues import EN_CLAUSE, EN_CLAUSE_OPENERS, EN_VERBS
from corpus_search.quotes.doc import Doc
from corpus_search.quotes.en_names import is_role
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
# After `said`, a short phrase may close the sentence: `said in a statement.`
_TAIL = rf"(?:\s+(?:in|on|at|during|with|before|after|via|from|to)\s+[^.,;!?\"“”{MASK}]{{1,40}}?)?"
_AFTER_VERB = re.compile(rf"{_TAIL}(?=\s*(?:[.,;!?{MASK}]|$))")
_APPOSITION = re.compile(rf",\s+(?P<role>[^,;:.!?\"“”{MASK}]{{2,100}}?),\s+(?:[a-z]+\s+){{0,2}}")
_OBJECT_COLON = re.compile(r"\s+(?:[\w'’.-]+\s+){0,5}?[\w'’.-]+\s*:\s*")
_TOLD_THAT = re.compile(r"\s+(?:[\w'’.-]+\s+){1,5}?that\s+")
# A clause right after a bare `said`: not a preposition, and with a finite verb of its own.
_BARE = re.compile(
    r"\s+(?!(?:in|on|at|to|during|with|before|after|that|of|for|by|as|so|yes|no|nothing)\b)"
    r"(?=[a-z])"
)
_FINITE = re.compile(
    r"^(?:\S+\s+){1,6}?(?:would|will|had|has|have|is|was|were|are|could|should|may|might"
    r"|can|must|did|does)\b"
)
_COMMA = re.compile(r",\s+")
MAX_TITLE_WORDS = 8  # words of a role written before a name
BARE_VERBS = frozenset(("said", "says", "added", "noted", "explained", "argued", "insisted"))
MIN_BARE_WORDS = 5
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
    gap_ok = _gap_ok(text, last, verb.start())
    return last if gap_ok and is_subject(text, last) and not joined(text, mentions) else None


def _gap_ok(text: str, subject: Mention, end: int) -> bool:
    """A few small words, or an apposition naming a role, between a subject and its verb;
    or the comma closing an apposition the name is itself in (`its head, X, said`)."""
    if _GAP.fullmatch(text, subject.end, end):
        return True
    if _COMMA.fullmatch(text, subject.end, end) and _apposed(text, subject.start):
        return True
    found = _APPOSITION.fullmatch(text, subject.end, end)
    return found is not None and is_role(found.group("role"))


def _apposed(text: str, start: int) -> bool:
    """True if a role and a comma come right before a name: `Harlow's chief executive, `."""
    before = text[:start].rstrip()
    if not before.endswith(","):
        return False
    clause = re.split(rf"[{MASK}.;:!?,]", before[:-1])[-1]
    return len(clause.split()) <= MAX_TITLE_WORDS and is_role(clause)


def pairs(doc: Doc, index: int, start: int, end: int) -> list[EnPair]:
    """Subject-verb pairs in masked text[start:end] whose subject is a known person."""
    found: list[EnPair] = []
    for verb in _VERB.finditer(doc.masked[index], start, end):
        subject = _subject(doc, index, start, verb)
        speaker = _resolve(doc, index, subject) if subject else None
        if subject is not None and speaker is not None:
            found.append(EnPair(subject, speaker, verb.start(), verb.end(), verb.group()))
    return found


def _link(text: str, pair: EnPair, end: int) -> int | None:
    """Where the clause a speech verb reports starts, if it reports one."""
    link = _THAT.match(text, pair.verb_end) or _COLON.match(text, pair.verb_end)
    if link is None and pair.verb == "told":
        link = _TOLD_THAT.match(text, pair.verb_end)
    if link is None and pair.verb in BARE_VERBS:
        bare = _BARE.match(text, pair.verb_end)
        clause = text[bare.end() : end] if bare else ""
        if len(clause.split()) >= MIN_BARE_WORDS and _FINITE.match(clause) and MASK not in clause:
            link = bare
    if link is None or text[link.end() : link.end() + 1] == MASK:
        return None
    return link.end()


def reported_clauses(doc: Doc, index: int) -> list[tuple[int, int, Entity]]:
    """(start, end, speaker) of each clause reported by a speech verb or `according to`."""
    text = doc.masked[index]
    clauses: list[tuple[int, int, Entity]] = []
    for start, end in sentences(text):
        for pair in pairs(doc, index, start, end):
            link = _link(text, pair, end)
            if link is not None:
                clauses.append((link, end, pair.speaker))
        clauses += according.clauses(doc, index, start, end)
    return clauses


def speaker_before(doc: Doc, index: int, span: QuotedSpan) -> Entity | None:
    """`Zhang Yong said: "…"`, `Hans Lindqvist told The Ledger: "…"`."""
    text = doc.masked[index]
    start, _ = sentence_at(text, span.open)
    found = pairs(doc, index, start, span.open)
    if not found:
        return None
    verb_end = found[-1].verb_end
    if _BEFORE_QUOTE.fullmatch(text, verb_end, span.open) or _OBJECT_COLON.fullmatch(
        text, verb_end, span.open
    ):
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
        and _opens(text, lead.end(), found[0].subject)
        and _AFTER_VERB.match(text, found[0].verb_end)
    ):
        return found[0].speaker
    return None


def _opens(text: str, start: int, subject: Mention) -> bool:
    """The subject opens the words after a quotation, or only its role comes first."""
    return subject.start == start or (
        MASK not in text[start : subject.start] and _apposed(text, subject.start)
    )


def has_speech_verb(text: str) -> bool:
    return _VERB.search(text) is not None
