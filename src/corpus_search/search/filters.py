"""The facet filters of a search, checked with messages a user can act on.

``executive`` and ``topic`` take an id or any form of a name, looked up in the
lexicon and the people found in the build's text (`Generation.names`). Both
filter on an article's ``entities``: the lexicon's names tagged in its text, and
the found people it quotes (the analyzer knows only the lexicon's names, so a
found person's articles are those that quote them; see `index.documents`).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.query import Term

from corpus_search.errors import QueryError, shown
from corpus_search.lexicon import Lexicon

__all__ = ["Filters", "FILTER_NAMES", "LANGS", "filter_terms"]

FILTER_NAMES = ("executive", "topic", "lang", "source", "year")
LANGS = ("zh-Hant", "zh-Hans", "en")


@dataclass(frozen=True)
class Filters:
    executive: str | None = None
    topic: str | None = None
    lang: str | None = None
    source: str | None = None
    year: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k in FILTER_NAMES if (v := getattr(self, k))}


def filter_terms(filters: Filters, names: Lexicon) -> list[Term]:
    """Each filter as a term every result must have; QueryError for unknown values."""
    terms: list[Term] = []
    for name, wanted in (("executive", True), ("topic", False)):
        value = getattr(filters, name)
        if value:
            entity = names.lookup(value)
            if entity is None or entity.is_person != wanted:
                where = "/api/executives" if wanted else "the topic facet of /api/search"
                raise QueryError(f"Unknown {name} {shown(value)}: see {where}.")
            terms.append(Term("entities", entity.id))
    if filters.lang:
        if filters.lang not in LANGS:
            raise QueryError(f"lang must be one of {', '.join(LANGS)} (got {shown(filters.lang)}).")
        terms.append(Term("lang", filters.lang))
    if filters.source:
        terms.append(Term("source", filters.source))
    if filters.year:
        terms.append(Term("year", filters.year))
    return terms
