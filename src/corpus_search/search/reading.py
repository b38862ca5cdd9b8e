"""Reading stored records: one article whole, quote listings, the people quoted.

Every function here reads only the records it returns (by id, or the postings
of one speaker), never the whole store; counts come from the build
(`generation.BuildView`), local or sharded alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpus_search.errors import NotFoundError
from corpus_search.lexicon import Entity
from corpus_search.models import Quote
from corpus_search.search.facets import PEOPLE, TOPICS
from corpus_search.search.generation import BuildView

__all__ = [
    "ArticleView",
    "ExecutiveSummary",
    "article_meta",
    "article_record",
    "executives",
    "to_quote",
]


@dataclass
class ArticleView:
    record: dict[str, Any]
    quotes: list[Quote]
    highlighted: list[str] | None  # passages as marked HTML, when a query is given
    executives: list[Entity]
    topics: list[Entity]


@dataclass
class ExecutiveSummary:
    entity: Entity
    articles: int
    quotes: int
    found_in_text: bool = False  # a person found quoted in the text, not in the lexicon
    role: str = ""  # as stated: the lexicon's title, or the text's
    organisation: str = ""  # where the text states it apart from the role


def to_quote(data: dict[str, Any]) -> Quote:
    return Quote(**(data | {"entities": tuple(data.get("entities") or ())}))


def article_meta(stored: dict[str, Any]) -> dict[str, Any]:
    """An article record's metadata, from its stored fields in the articles index."""
    data = stored.get("data") or {}
    entities = stored.get("entities") or ""
    return {
        "id": stored["id"],
        "source_file": stored["source_file"],
        "title": data.get("title", ""),
        "lang": stored["lang"],
        "date": data.get("date"),
        "source": data.get("source"),
        "entities": [e for e in entities.split(",") if e],
    }


def article_record(generation: BuildView, article_id: str) -> dict[str, Any]:
    """The whole article: metadata, passages and what each passage names."""
    stored = generation.record(article_id)
    if stored is None:
        raise NotFoundError(f"No article with id {article_id!r}.")
    data = stored.get("data") or {}
    return article_meta(stored) | {
        "doc": stored.get("doc"),  # where it is in a local index
        "passages": list(data.get("passages", [])),
        "passage_entities": [list(e) for e in data.get("passage_entities", [])],
    }


def entities_of(generation: BuildView, ids: list[str]) -> tuple[list[Entity], list[Entity]]:
    """The people and the topics among entity ids."""
    entities = generation.names.entities
    known = [entities[i] for i in ids if i in entities]
    return [e for e in known if e.kind in PEOPLE], [e for e in known if e.kind in TOPICS]


def executives(generation: BuildView) -> list[ExecutiveSummary]:
    """The lexicon's people, then the people found quoted in the text, most quoted
    first. Counts come from the index: articles naming a lexicon person, or quoting a
    found one (the articles the executive filter keeps), and quotes attributed."""
    articles, quotes = generation.article_counts, generation.quote_counts

    def summary(entity: Entity, **found: Any) -> ExecutiveSummary:
        counts = {"articles": articles.get(entity.id, 0), "quotes": quotes.get(entity.id, 0)}
        return ExecutiveSummary(entity=entity, **counts, **found)

    listed = [summary(e, role=e.title) for e in generation.lexicon.people()]
    found = [
        summary(p.entity, found_in_text=True, role=p.role, organisation=p.organisation)
        for p in generation.found
    ]
    found.sort(key=lambda s: (-s.quotes, -s.articles, s.entity.name_en.casefold()))
    return listed + found
