"""People found in the text: one record per person, with every form of the name.

A speaker the lexicon does not know, found by the shape of the text (see
`corpus_search.quotes.cast`), gets a `Person`: a stable id derived from the
name, the name as written, in Traditional and Simplified script and in
toneless pinyin (spaced and joined) for a Chinese name, and the role and
organisation the article states.

The id is the same wherever the person is named: the pinyin of the Simplified
name for a Chinese name (林曉峰, 林晓峰 -> ``lin-xiaofeng``), the lower-cased
words for a Latin one (Lin Xiaofeng -> ``lin-xiaofeng``, Maria Okafor ->
``maria-okafor``). Two people whose names read alike share an id; an id that
is already a lexicon entry's gets a suffix from the name, so a discovered
person is never taken for a lexicon one. `merge_people` joins the records of
one id found in several articles.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from corpus_search.lexicon import Entity
from corpus_search.normalise import canonical_key, to_simplified, to_traditional
from corpus_search.quotes.naming import naming

__all__ = ["Person", "merge_people", "new_person", "person_id"]

_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Person:
    """A person named in the text, not in the lexicon."""

    id: str
    name: str  # as first written
    name_en: str  # Latin display name: Lin Xiaofeng, Maria Okafor
    written: tuple[str, ...]  # every form the articles wrote
    traditional: str = ""  # Chinese names only
    simplified: str = ""
    pinyin: str = ""  # toneless, spaced: lin xiao feng
    pinyin_joined: str = ""  # linxiaofeng
    role: str = ""  # as stated: 集團總裁, head of operations at Brightline Freight
    organisation: str = ""  # where stated apart from the role: Brightline Freight
    articles: tuple[str, ...] = ()  # ids of the articles that quote the person

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form of the name, for lookup: written, both scripts, pinyin, English."""
        every = (*self.written, self.traditional, self.simplified, self.name_en)
        return tuple(dict.fromkeys(f for f in (*every, self.pinyin, self.pinyin_joined) if f))

    def entity(self) -> Entity:
        """The person as a lexicon entry, so it is found and shown like one."""
        han = [f for f in self.forms if _HAN.search(f)]
        latin = [f for f in self.forms if not _HAN.search(f)]
        return Entity(
            id=self.id,
            kind="person",
            name=self.name,
            name_en=self.name_en,
            zh_forms=tuple(dict.fromkeys(canonical_key(f) for f in han)),
            latin_forms=tuple(latin),
            all_forms=self.forms,
            title=self.role,
        )


@lru_cache(maxsize=4096)
def _syllables(han: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(han))


def _chinese_parts(name: str) -> tuple[list[str], list[str]]:
    """Pinyin syllables of the surname and of the given name."""
    simple = to_simplified(name)
    surname = naming().surname(simple)
    given = simple[len(surname) :]
    reading = naming().reading(surname) if surname else None
    family = reading.split() if reading else list(_syllables(surname))
    return family, list(_syllables(given)) if given else []


def _latin_slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [_NOT_SLUG.sub("", w) for w in plain.lower().replace("-", " ").split()]
    return "-".join(w for w in words if w)


def _base_id(name: str) -> str:
    if not _HAN.search(name):
        return _latin_slug(name)
    family, given = _chinese_parts(name)
    return "-".join(p for p in ("".join(family), "".join(given)) if p)


def person_id(name: str, taken: Collection[str] = ()) -> str:
    """The stable id of a person's name; one not in `taken` (the lexicon's ids)."""
    base = _base_id(name)
    if base not in taken:
        return base
    digest = hashlib.sha1(canonical_key(name).encode("utf-8")).hexdigest()[:6]
    return f"{base}-{digest}"


def _is_traditional(name: str) -> bool:
    """True for a name with characters of Traditional script (林曉峰, not 林晓峰 or 林立)."""
    return to_simplified(name) != name


def _chinese_forms(name: str) -> dict[str, str]:
    family, given = _chinese_parts(name)
    return {
        # as written when written so: OpenCC's own choice may be a variant (峰 -> 峯)
        "traditional": name if _is_traditional(name) else to_traditional(name),
        "simplified": to_simplified(name),
        "pinyin": " ".join([*family, *given]),
        "pinyin_joined": "".join([*family, *given]),
        "name_en": " ".join(p.capitalize() for p in ("".join(family), "".join(given)) if p),
    }


def new_person(
    name: str,
    role: str = "",
    organisation: str = "",
    article: str = "",
    taken: Collection[str] = (),
) -> Person:
    """The record of a name as one article writes it."""
    name = " ".join(name.split())
    forms = _chinese_forms(name) if _HAN.search(name) else {"name_en": name}
    return Person(
        id=person_id(name, taken),
        name=name,
        written=(name,),
        role=role,
        organisation=organisation,
        articles=(article,) if article else (),
        **forms,
    )


def _merge(first: Person, other: Person) -> Person:
    """One record from two of the same id: the first one's name, every form."""
    chinese = first if first.simplified else other
    written = tuple(dict.fromkeys((*first.written, *other.written)))
    as_written = [w for w in written if _HAN.search(w) and _is_traditional(w)]
    return replace(
        first,
        name_en=chinese.name_en if chinese.simplified else first.name_en,
        written=written,
        traditional=as_written[0] if as_written else first.traditional or other.traditional,
        simplified=first.simplified or other.simplified,
        pinyin=first.pinyin or other.pinyin,
        pinyin_joined=first.pinyin_joined or other.pinyin_joined,
        role=first.role or other.role,
        organisation=first.organisation or other.organisation,
        articles=tuple(dict.fromkeys((*first.articles, *other.articles))),
    )


def merge_people(people: Iterable[Person]) -> list[Person]:
    """The records of each id joined into one, in order of first appearance."""
    merged: dict[str, Person] = {}
    for person in people:
        known = merged.get(person.id)
        merged[person.id] = person if known is None else _merge(known, person)
    return list(merged.values())
