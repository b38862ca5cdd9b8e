"""The people found in the text of a build's articles, kept beside its indexes.

The quote stage finds speakers the lexicon does not know (`quotes.cast`): each
article's are recorded in the manifest entry of its file (`article_people`), with
how many of the article's quotes each said. After every build, full or
incremental, the records of the files still in the build are merged by id
(`quotes.merge_people`: one person named in several articles, in any script, is
one record) and written to ``people.json`` (`write_people`). An incremental build
re-reads only new and changed files, and the manifest entries of the others
still carry their people, so it writes what a full build would; records of
articles taken out of an entry (`remove`) are dropped.

The search side reads the file (`read_people`) without importing the quote stage:
each record carries the person as a lexicon `Entity`, so a found person is looked
up, filtered on and shown like a lexicon one.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_search.index.store import PEOPLE
from corpus_search.lexicon import Entity
from corpus_search.models import Quote
from corpus_search.normalise import HAN

if TYPE_CHECKING:
    from corpus_search.quotes import Person

__all__ = ["FoundPerson", "article_people", "read_people", "write_people"]

Record = dict[str, Any]
_ENTITY_TUPLES = ("zh_forms", "latin_forms", "all_forms", "nicknames")
_HAN = re.compile(f"[{HAN}]")


@dataclass(frozen=True)
class FoundPerson:
    """A person found quoted in the text, over the whole build."""

    entity: Entity  # id, names in every form; title: the role as stated
    role: str
    organisation: str
    articles: tuple[str, ...]  # ids of the articles that quote the person
    quotes: int


def article_people(people: list[Person], quotes: list[Quote]) -> list[Record]:
    """The found people of one article, for its file's manifest entry."""
    said = Counter(q.speaker_id for q in quotes if q.speaker_found)
    return [asdict(person) | {"quotes": said[person.id]} for person in people]


def _person(record: Record, articles: tuple[str, ...]) -> Person:
    from corpus_search.quotes import Person  # the build side only

    known = Person.__dataclass_fields__  # a record keeps what the build wrote
    fields = {k: v for k, v in record.items() if k in known}
    return Person(**fields | {"written": tuple(fields["written"]), "articles": articles})


def _merged(files: Iterable[tuple[list[str], list[Record]]]) -> list[Record]:
    """Every file's records (of its articles still in the build) merged by id."""
    from corpus_search.quotes import merge_people

    found: list[Person] = []
    quotes = Counter[str]()
    for ids, records in files:
        alive = set(ids)
        for record in records:
            articles = tuple(a for a in record.get("articles", ()) if a in alive)
            if articles:
                found.append(_person(record, articles))
                quotes[found[-1].id] += int(record.get("quotes", 0))
    # Chinese names first: a person written in both scripts is shown by the Chinese name.
    found.sort(key=lambda person: not _HAN.search(person.name))
    return [_record(person, quotes[person.id]) for person in merge_people(found)]


def _record(person: Person, quotes: int) -> Record:
    """What people.json says of a person: the record with every form of the name, the
    number of quotes, and the person as a lexicon entry. Fields are taken as they are
    (strings and tuples of strings): `asdict` would copy every article id one by one."""
    fields = {f.name: getattr(person, f.name) for f in dataclass_fields(person)}
    return fields | {"quotes": quotes, "entity": asdict(person.entity())}


def write_people(directory: Path, files: Iterable[tuple[list[str], list[Record]]]) -> None:
    """Merge the found people of ``files`` (each: the ids of its articles in the build,
    its records) and write them beside the indexes, replacing any file there."""
    text = json.dumps({"people": _merged(files)}, ensure_ascii=False, indent=1)
    partial = directory / f".{PEOPLE}.part"
    partial.write_text(text, "utf-8")
    os.replace(partial, directory / PEOPLE)


def merge_found(parts: Iterable[list[Record]]) -> list[FoundPerson]:
    """The people of several builds' people.json (shards: each has the people of its
    own articles), merged as one build's would be; one build's are already merged."""
    found = list(parts)
    if len(found) == 1:
        return [_found(r) for r in found[0]]
    return [_found(r) for r in _merged((r.get("articles", []), [r]) for p in found for r in p)]


def read_people(directory: Path) -> list[FoundPerson]:
    """The found people of a build (none for a build without the file)."""
    try:
        records = json.loads((directory / PEOPLE).read_text("utf-8"))["people"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [_found(record) for record in records]


def _found(record: Record) -> FoundPerson:
    fields = record["entity"]
    entity = Entity(**fields | {k: tuple(fields.get(k) or ()) for k in _ENTITY_TUPLES})
    return FoundPerson(
        entity=entity,
        role=record.get("role") or "",
        organisation=record.get("organisation") or "",
        articles=tuple(record.get("articles") or ()),
        quotes=int(record.get("quotes") or 0),
    )
