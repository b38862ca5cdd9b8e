"""The executives page: everyone the lexicon knows, under every name they are written with."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from corpus_search.lexicon import Entity
from corpus_search.normalise import to_simplified, to_traditional
from corpus_search.search import ExecutiveSummary
from corpus_search.web.pages import Link, entity_link, url
from corpus_search.web.script import Converter

__all__ = ["PersonRow", "ExecutivesPage", "executives_context"]


@dataclass
class PersonRow:
    name: Link  # to their quotes
    title: str
    forms: list[Link]  # every written form (and its other script), each searching for it
    articles: int
    articles_url: str
    quotes: int
    quotes_url: str


@dataclass
class ExecutivesPage:
    title: str
    people: list[PersonRow]
    json_url: str = "/api/executives"


def _forms(entity: Entity) -> list[Link]:
    forms: dict[str, str | None] = {}
    for form in entity.all_forms:
        if form.isascii():
            forms.setdefault(form, "en")
        else:
            forms.setdefault(to_traditional(form), "zh-Hant")
            forms.setdefault(to_simplified(form), "zh-Hans")
    return [Link(form, url("/", q=form), lang) for form, lang in forms.items()]


def executives_context(
    request: Request, display: Converter, people: list[ExecutiveSummary]
) -> ExecutivesPage:
    rows = [
        PersonRow(
            name=entity_link(display, p.entity, url("/quotes", speaker=p.entity.id)),
            title=display.text(p.entity.title),
            forms=_forms(p.entity),
            articles=p.articles,
            articles_url=url("/", q=p.entity.name),
            quotes=p.quotes,
            quotes_url=url("/quotes", speaker=p.entity.id),
        )
        for p in people
    ]
    return ExecutivesPage(title="Executives", people=rows)
