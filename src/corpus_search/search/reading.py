"""Reading stored records: one article whole, quote listings, the people quoted.

Every function here reads only the records it returns (by id, or the postings
of one speaker), never the whole store; counts come from the `Generation`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from corpus_search.errors import NotFoundError
from corpus_search.index.schema import ARTICLES, QUOTES
from corpus_search.lexicon import Entity
from corpus_search.models import Quote
from corpus_search.search.facets import PEOPLE, TOPICS
from corpus_search.search.generation import Generation

__all__ = [
    "ArticleView",
    "ExecutiveSummary",
    "article_meta",
    "article_record",
    "article_quotes",
    "executives",
    "listed_quotes",
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


def article_record(generation: Generation, article_id: str) -> dict[str, Any]:
    """The whole article: metadata, passages and what each passage names."""
    with generation.searcher(ARTICLES) as searcher:
        doc = searcher.document_number(id=article_id)
        if doc is None:
            raise NotFoundError(f"No article with id {article_id!r}.")
        stored = searcher.stored_fields(doc)
    data = stored.get("data") or {}
    return article_meta(stored) | {
        "doc": doc,  # where it is in the index
        "passages": list(data.get("passages", [])),
        "passage_entities": [list(e) for e in data.get("passage_entities", [])],
    }


def article_quotes(generation: Generation, article_id: str) -> list[Quote]:
    with generation.searcher(QUOTES) as searcher:
        found = [to_quote(d["data"]) for d in searcher.documents(article_id=article_id)]
    return sorted(found, key=lambda q: q.passage)


def entities_of(generation: Generation, ids: list[str]) -> tuple[list[Entity], list[Entity]]:
    """The people and the topics among entity ids."""
    entities = generation.names.entities
    known = [entities[i] for i in ids if i in entities]
    return [e for e in known if e.kind in PEOPLE], [e for e in known if e.kind in TOPICS]


def listed_quotes(
    generation: Generation, speaker_id: str | None, start: int, count: int
) -> tuple[int, list[Quote]]:
    """Quotes in index order (file order for a full build), optionally of one speaker:
    the total and the ``count`` quotes from ``start`` on."""
    with generation.searcher(QUOTES) as searcher:
        if speaker_id:
            total = generation.quote_counts.get(speaker_id, 0)
            docs: Iterator[int] = iter(sorted(searcher.document_numbers(speaker_id=speaker_id)))
        else:
            total = searcher.doc_count()
            docs = searcher.reader().all_doc_ids()
        window = list(islice(docs, start, start + count))
        return total, [to_quote(searcher.stored_fields(d)["data"]) for d in window]


def executives(generation: Generation) -> list[ExecutiveSummary]:
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
