"""Who is named where: people from the lexicon, pronouns, sentence subjects.

Every form of a person's name in the lexicon is searched in the text as
written (Traditional, Simplified, English, pinyin), so no name is written in
code; so are the forms of the people found in one article (`with_people`),
where the lexicon names nobody. A pronoun (他, 她, he, she) stands for the subject of the nearest
earlier sentence that names one person; when that sentence has two
candidate subjects the pronoun stays unresolved.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass

from corpus_search.analysis.units import lower
from corpus_search.lexicon import Entity, Lexicon
from corpus_search.quotes.cues import (
    CONJUNCTIONS,
    EN_PREPOSITIONS,
    EN_PRONOUN,
    PREPOSITIONS,
    ZH_PRONOUN,
)
from corpus_search.quotes.cues import variants as script_variants

__all__ = ["sentence_at", "Mention", "Speakers", "is_subject", "joined", "sentences"]

_SENTENCE_END = re.compile(r"[。!?！？;；]+|\.(?=\s|$)")
_HAN = re.compile(r"[\u3400-\u9fff]")
_PRONOUN = re.compile(f"{ZH_PRONOUN}|{EN_PRONOUN}")
_JOINED = re.compile(CONJUNCTIONS, re.IGNORECASE)
# A conjunction right after a word, right before a name: the name has a partner.
_PARTNER = re.compile(r"(?:[\u3400-\u9fff][和與与跟及、]|\w[ \t]+(?:and|&)[ \t]+)$")
LOOKBACK = 3  # passages searched for a pronoun's antecedent


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: Entity | None  # None: a pronoun


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], terminators included."""
    stop = len(text) if end is None else end
    bounds: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, stop):
        bounds.append((cursor, match.end()))
        cursor = match.end()
    if cursor < stop:
        bounds.append((cursor, stop))
    return [b for b in bounds if text[b[0] : b[1]].strip()]


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The (start, end) of the sentence holding ``pos``; the whole text if none does."""
    for start, end in sentences(text):
        if start <= pos < end:
            return start, end
    return 0, len(text)


def _starting(first: str, before: str, rest: str) -> str:
    """``first`` then ``rest``, not preceded by a character of the class ``before``.
    The check comes after the first character, so that every alternative of a
    pattern starts with a literal and the regex engine skips to the places where
    one of them can start, instead of trying each alternative at every character."""
    return rf"{first}(?<!{before}.){rest}"


def _name_pattern(form: str) -> str:
    if _HAN.search(form):
        return "|".join(re.escape(v) for v in script_variants(form))
    first, *words = form.split()
    pattern = r"[\s-]+".join(re.escape(w) for w in [first[1:], *words])
    return _starting(re.escape(first[0]), "[A-Za-z]", pattern) + "(?![A-Za-z])"


def _found_pattern(form: str) -> str:
    """A found person's form, as written: Latin ones case-sensitive, as whole words."""
    if _HAN.search(form):
        return re.escape(form)
    whole = _starting(re.escape(form[0]), r"[\w'’-]", re.escape(form[1:]))
    return whole + r"(?![\w’-]|'(?!s\b))"


def _overlaps(mention: Mention, others: list[Mention]) -> bool:
    return any(o.start < mention.end and mention.start < o.end for o in others)


class Speakers:
    """Finds the lexicon's people and the pronouns that stand for them."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        forms = {f: e for e in lexicon.people() for f in (*e.all_forms, *e.zh_forms)}
        ordered = sorted(forms, key=len, reverse=True)
        # Two searches: Han forms (any Latin letters in them ignoring case), Latin ones in
        # the lower-cased text. One alternation of both, ignoring case, tried every Latin
        # form at every character.
        han = "|".join(_name_pattern(f) for f in ordered if _HAN.search(f))
        latin = "|".join(_name_pattern(lower(f)) for f in ordered if not _HAN.search(f))
        self._han_names = re.compile(han, re.IGNORECASE) if han else None
        self._latin_names = re.compile(latin) if latin else None
        self._known: dict[str, Entity | None] = {}
        self._found: dict[str, Entity] = {}
        self._found_names: re.Pattern[str] | None = None

    def with_people(self, forms: Mapping[str, Entity]) -> Speakers:
        """These speakers and the people one article names, by the forms it writes."""
        extended = copy.copy(self)
        extended._found = dict(forms)
        ordered = sorted(forms, key=len, reverse=True)
        pattern = "|".join(_found_pattern(f) for f in ordered)
        extended._found_names = re.compile(pattern) if ordered else None
        return extended

    def entity(self, name: str) -> Entity | None:
        """The person a matched name stands for."""
        if name not in self._known:
            found = self.lexicon.lookup(" ".join(name.split()))
            self._known[name] = found if found is not None and found.is_person else None
        return self._known[name]

    def names(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        stop = len(text) if end is None else end
        known = [m for m in self._lexicon_names(text, start, stop) if m.entity is not None]
        if self._found_names is None:
            return known
        others = (
            Mention(m.start(), m.end(), self._found[m.group()])
            for m in self._found_names.finditer(text, start, stop)
        )
        return sorted([*known, *(m for m in others if not _overlaps(m, known))], key=_start)

    def _lexicon_names(self, text: str, start: int, stop: int) -> list[Mention]:
        """The lexicon's names, leftmost first, the longest where two start together."""
        matches = [
            *(self._han_names.finditer(text, start, stop) if self._han_names else ()),
            *(self._latin_names.finditer(lower(text), start, stop) if self._latin_names else ()),
        ]
        matches.sort(key=lambda m: (m.start(), -m.end()))
        found: list[Mention] = []
        for m in matches:
            if not found or m.start() >= found[-1].end:
                # The name as written: the Latin search read it lower-cased.
                left, right = m.span()
                found.append(Mention(left, right, self.entity(text[left:right])))
        return found

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Names and pronouns in text[start:end], in order."""
        stop = len(text) if end is None else end
        pronouns = [Mention(m.start(), m.end(), None) for m in _PRONOUN.finditer(text, start, stop)]
        return sorted([*self.names(text, start, stop), *pronouns], key=lambda m: m.start)

    def subjects(self, text: str, start: int, end: int) -> list[Mention]:
        """Mentions in [start, end) that can be a subject (not after a preposition)."""
        return [m for m in self.mentions(text, start, end) if is_subject(text, m)]

    def antecedent(
        self, texts: list[str], index: int, pos: int, lookback: int = LOOKBACK
    ) -> Entity | None:
        """The person a pronoun at texts[index][pos] stands for, if unambiguous."""
        for back in range(index, max(-1, index - lookback - 1), -1):
            text = texts[back]
            stop = pos if back == index else len(text)
            for start, end in reversed(sentences(text, 0, stop)):
                named = self.names(text, start, end)
                if not named:
                    continue
                subjects = {
                    m.entity.id: m.entity
                    for m in self.subjects(text, start, end)
                    if m.entity is not None
                }
                return next(iter(subjects.values())) if len(subjects) == 1 else None
        return None


def _start(mention: Mention) -> int:
    return mention.start


def is_subject(text: str, mention: Mention) -> bool:
    """False for a person named as the object of a preposition (對蔣凡, with Ma Yun)."""
    before = text[: mention.start].rstrip()
    if _HAN.search(text[mention.start : mention.end]):
        return not (before and before[-1] in PREPOSITIONS)
    last_word = before.rsplit(None, 1)[-1].lower() if before else ""
    possessive = text[mention.end : mention.end + 2] in ("'s", "’s")
    return last_word not in EN_PREPOSITIONS and not possessive


def joined(text: str, mentions: list[Mention]) -> bool:
    """True if the last mention is joined to the one before it (張勇和蔣凡, A and B),
    or to a word that may name someone unknown (X和何美玲, Smith and Okafor)."""
    if not mentions:
        return False
    if _PARTNER.search(text, 0, mentions[-1].start):
        return True
    if len(mentions) < 2:
        return False
    return _JOINED.fullmatch(text, mentions[-2].end, mentions[-1].start) is not None
