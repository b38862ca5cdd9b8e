"""The people of one article that the lexicon does not know, found by the shape of the text.

`find_cast` reads the headline and the passages (quoted spans masked) for
names with evidence that they are people's (`zh_names`, `en_names`): a
title before the name or an apposition after it, an honorific, a name that
labels interview answers in two passages or more, or a Chinese name jieba
tags as one that a speech verb follows. Names of the lexicon are left to it.

Each person becomes a `Person` record; every form the article may use for
them (both scripts; an English family name alone, unless two people share
it) maps to the person's `Entity`, so the attribution rules treat them as
they treat the lexicon's people.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from corpus_search.lexicon import Entity, Lexicon
from corpus_search.normalise import canonical_key
from corpus_search.quotes import en_names, zh_names
from corpus_search.quotes.chinese import SPEECH_VERB, verb_follows
from corpus_search.quotes.cues import variants
from corpus_search.quotes.doc import speakers_for
from corpus_search.quotes.naming import naming
from corpus_search.quotes.people import Person, merge_people, new_person
from corpus_search.quotes.speakers import Speakers
from corpus_search.quotes.zh_names import NameAt, Tags

__all__ = ["Cast", "find_cast"]

_HAN = re.compile(r"[\u3400-\u9fff]")
MIN_LABELS = 2  # passages a name must label to be a speaker on that alone
# Clauses worth tagging: a name is sought after a title or before a speech verb.
_TAGGED = re.compile(f"{naming().zh_titles.pattern}|{SPEECH_VERB.pattern}")


@dataclass(frozen=True)
class Cast:
    """The people found in one article, and the forms that name them."""

    people: dict[str, Person] = field(default_factory=dict)
    forms: dict[str, Entity] = field(default_factory=dict)  # as written -> person

    def is_found(self, entity: Entity | None) -> bool:
        return entity is not None and entity.id in self.people


def _chinese(text: str) -> list[NameAt]:
    tags = Tags(text, _TAGGED)
    label = zh_names.label_name(text)
    spoken = [n for n in zh_names.tagged_names(text, tags) if verb_follows(text, n.end)]
    return [*zh_names.titled_names(text, tags), *([label] if label else []), *spoken]


def _english(text: str) -> list[NameAt]:
    label = en_names.label_name(text)
    return [*en_names.names(text), *([label] if label else [])]


def _sightings(text: str) -> list[NameAt]:
    return _chinese(text) if _HAN.search(text) else _english(text)


def _people_names(sightings: list[NameAt], lexicon: Lexicon) -> list[str]:
    """Names seen with evidence, in order; labels only if evidenced or repeated."""
    labels = Counter(canonical_key(s.name) for s in sightings if s.evidence == "label")
    evidenced = {canonical_key(s.name) for s in sightings if s.evidence != "label"}
    kept = [
        s.name
        for s in sightings
        if lexicon.lookup(s.name) is None
        and (s.evidence != "label" or _repeated(canonical_key(s.name), evidenced, labels))
    ]
    return list(dict.fromkeys(kept))


def _repeated(key: str, evidenced: set[str], labels: Counter[str]) -> bool:
    return key in evidenced or labels[key] >= MIN_LABELS


def _record(
    name: str, sightings: list[NameAt], title: str, lexicon: Lexicon, article: str
) -> Person:
    key = canonical_key(name)
    stated = [s for s in sightings if canonical_key(s.name) == key and (s.role or s.organisation)]
    role = stated[0].role if stated else ""
    if not role and not _HAN.search(name):
        role = en_names.role_before(title, name)
    return new_person(
        name,
        role=role,
        organisation=stated[0].organisation if stated else "",
        article=article,
        taken=lexicon.entities.keys(),
    )


def _family_labels(sightings: list[NameAt], texts: Sequence[str]) -> list[NameAt]:
    """English labels by family name alone (`Tanabe:`), written out in full where the
    article names the person in full (`Keiko Tanabe opened …`)."""
    result: list[NameAt] = []
    for sighting in sightings:
        if sighting.evidence != "label" or _HAN.search(sighting.name) or " " in sighting.name:
            result.append(sighting)
            continue
        full = en_names.full_name(sighting.name, list(texts))
        if full is not None:
            result.append(NameAt(full, sighting.start, sighting.end, "label"))
    return result


def _lexicon_words(lexicon: Lexicon) -> set[str]:
    return {w for e in lexicon.people() for f in e.latin_forms for w in f.split()}


def _forms(people: list[Person], lexicon: Lexicon) -> dict[str, Entity]:
    entities = {p.id: p.entity() for p in people}
    forms: dict[str, Entity] = {}
    short: dict[str, set[str]] = {}
    for person in people:
        for written in person.written:
            for form in variants(written) if _HAN.search(written) else (written,):
                forms[form] = entities[person.id]
            for word in [] if _HAN.search(written) else en_names.short_forms(written):
                short.setdefault(word, set()).add(person.id)
    reserved = _lexicon_words(lexicon)
    for word, ids in short.items():
        if len(ids) == 1 and word not in reserved and word not in forms:
            forms[word] = entities[next(iter(ids))]
    return forms


def _unknown(text: str, speakers: Speakers) -> list[NameAt]:
    """Sightings in the text that are not (part of) a lexicon person's name."""
    known = speakers.names(text)
    return [
        s for s in _sightings(text) if not any(k.start < s.end and s.start < k.end for k in known)
    ]


def find_cast(title: str, texts: Sequence[str], lexicon: Lexicon, article: str = "") -> Cast:
    """The people the headline and the passages name, with the forms that name them."""
    speakers = speakers_for(lexicon)
    body = [s for text in texts for s in _unknown(text, speakers)]
    headline = [] if en_names.title_case(title) else _unknown(title, speakers)
    sightings = _family_labels([*body, *headline], texts)
    names = _people_names(sightings, lexicon)
    people = merge_people(_record(name, sightings, title, lexicon, article) for name in names)
    return Cast({p.id: p for p in people}, _forms(people, lexicon))
