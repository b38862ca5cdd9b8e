"""The executives page: everyone the lexicon knows, and everyone found quoted in the
articles' text (marked, with the role and organisation the text states), under every
name they are written with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from fastapi import Request

from corpus_search.lexicon import Entity
from corpus_search.normalise import HAN, to_simplified, to_traditional
from corpus_search.search import ExecutiveSummary
from corpus_search.web.pages import Link, entity_link, paging, url
from corpus_search.web.script import Converter

__all__ = ["PersonRow", "ExecutivesPage", "executives_context"]

_HAN = re.compile(f"[{HAN}]")


@dataclass
class PersonRow:
    name: Link  # to their quotes
    title: str
    forms: list[Link]  # every written form (and its other script), each searching for it
    articles: int
    articles_url: str
    quotes: int
    quotes_url: str
    found_in_text: bool = False  # not in the lexicon: found quoted in the text
    organisation: str = ""  # where the role does not name it already


# People per page: at 10,000 news articles a thousand people are found quoted, and the
# whole table made a page of 1.2 MB.
EXECUTIVES_PER_PAGE = 100


@dataclass
class ExecutivesPage:
    title: str
    people: list[PersonRow]
    json_url: str = "/api/executives"  # everyone, on one page
    total: int = 0
    range_label: str = ""
    pages: list[Link] = field(default_factory=list)
    prev_url: str | None = None
    next_url: str | None = None
    past_end: Link | None = None  # a page past the last: the way back to the last one


def _forms(entity: Entity, found: bool) -> list[Link]:
    """Every form of the name, each a link: a lexicon name with its other script,
    searching for it (found in any form); a found person's forms (both scripts among
    them, as written), each listing the person's quotes (the analyzer tags the
    lexicon's names only)."""
    if found:
        return [
            Link(form, url("/quotes", speaker=form), _lang(form), note=f"Quotes of {form}")
            for form in entity.all_forms
        ]
    forms: dict[str, str | None] = {}
    for form in entity.all_forms:
        if form.isascii():
            forms.setdefault(form, "en")
        else:
            forms.setdefault(to_traditional(form), "zh-Hant")
            forms.setdefault(to_simplified(form), "zh-Hans")
    return [
        Link(form, url("/", q=form), lang, note=f"Search for {form}")
        for form, lang in forms.items()
    ]


def _lang(form: str) -> str:
    if not _HAN.search(form):
        return "en"
    return "zh-Hans" if to_simplified(form) == form != to_traditional(form) else "zh-Hant"


def executives_context(
    request: Request, display: Converter, people: list[ExecutiveSummary], page: int = 1
) -> ExecutivesPage:
    """One page of the people, EXECUTIVES_PER_PAGE of them, in the order given."""
    first = (page - 1) * EXECUTIVES_PER_PAGE
    shown = people[first : first + EXECUTIVES_PER_PAGE]
    return ExecutivesPage(
        title="Executives" if page == 1 else f"Executives, page {page}",
        people=[_row(display, p) for p in shown],
        total=len(people),
        **paging("/executives", {}, page, EXECUTIVES_PER_PAGE, len(people), len(shown)),
    )


def _row(display: Converter, person: ExecutiveSummary) -> PersonRow:
    entity = person.entity
    quotes_url = url("/quotes", speaker=entity.id)
    # A lexicon name finds its articles in any script; a found person's articles are
    # those quoting them, listed through the quotes.
    articles_url = quotes_url if person.found_in_text else url("/", q=entity.name)
    name = entity_link(display, entity, quotes_url)
    if person.found_in_text:  # the name as written: Chinese in either script, or English
        name = replace(name, lang=display.lang(_lang(entity.name)))
    return PersonRow(
        name=name,
        title=display.text(person.role or entity.title),
        forms=_forms(entity, person.found_in_text),
        articles=person.articles,
        articles_url=articles_url,
        quotes=person.quotes,
        quotes_url=quotes_url,
        found_in_text=person.found_in_text,
        organisation=_apart(display, person.organisation, person.role),
    )


def _apart(display: Converter, organisation: str, role: str) -> str:
    """The organisation, unless the role already names it (head of policy at X)."""
    return "" if organisation in role else display.text(organisation)
