"""The stages words go through after they are cut, in order (`WORD_STAGES`).

Each stage takes and returns the list of `Item`s of one text:

  1. stem_english   Porter stems for Latin words (records -> record).
  2. tag_entities   lexicon names in any form -> ``@entity-id`` terms. Indexing keeps
                    the words and adds the entity term, and a term for the form the
                    name is written in (``@zhang-yong:逍遥子``); a query replaces the
                    name by the entity term, so 張勇, 张勇, Zhang Yong, Daniel Zhang
                    and zhangyong are one term.
  3. mark_stops     marks English stop words (positions keep their gaps).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from whoosh.lang.porter import stem
from whoosh.lang.stopwords import stoplists

from corpus_search.analysis.units import Item, word_items
from corpus_search.lexicon import load_lexicon

__all__ = [
    "ENTITY_PREFIX",
    "SURFACE_MARK",
    "WORD_STAGES",
    "entity_patterns",
    "form_terms",
    "mark_stops",
    "stem_english",
    "surface_tag",
    "tag_entities",
]

ENTITY_PREFIX = "@"
SURFACE_MARK = ":"  # between an entity id and the form it is written in
STOP_WORDS = frozenset(stoplists["en"]) | {"s", "t", "us"}
MAX_SPAN = 6  # longest name, in words


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return stem(word)


def stem_english(items: list[Item], mode: str) -> list[Item]:
    for item in items:
        text = item[0]
        if text.isascii() and text.isalpha():
            item[0] = _stem(text)
    return items


def surface_tag(entity_id: str, words: list[str] | tuple[str, ...]) -> str:
    """The term of a name written in one particular form (``@zhang-yong:逍遥子``): lets a
    query prefer text that writes the name as the query does, without a phrase search."""
    return f"{ENTITY_PREFIX}{entity_id}{SURFACE_MARK}{' '.join(words)}"


def form_terms(form: str) -> tuple[str, ...]:
    """The terms a lexicon form analyzes to before names are recognised: the key
    under which `tag_entities` knows it."""
    return tuple(item[0] for item in stem_english(word_items(form, "query"), "query"))


@lru_cache(maxsize=1)
def entity_patterns() -> dict[tuple[str, ...], str]:
    """Every lexicon form as a term sequence, mapped to its entity id."""
    patterns: dict[tuple[str, ...], str] = {}
    for entity in load_lexicon().entities.values():
        for form in (*entity.zh_forms, *entity.latin_forms):
            terms = form_terms(form)
            if terms and len(terms) <= MAX_SPAN:
                patterns.setdefault(terms, entity.id)
    return patterns


@lru_cache(maxsize=1)
def _longest_from() -> dict[str, int]:
    """For each word that starts some name: the most words a name starting with it has."""
    longest: dict[str, int] = {}
    for key in entity_patterns():
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return longest


@lru_cache(maxsize=1)
def _one_word_names() -> dict[str, str]:
    """The names of one word: word -> entity id."""
    return {key[0]: entity_id for key, entity_id in entity_patterns().items() if len(key) == 1}


def _spans(main: list[Item], patterns: dict[tuple[str, ...], str]) -> dict[int, tuple[str, int]]:
    """Names among the words (one per position): index in ``main`` -> (entity id,
    how many words). The longest form starting at a word wins."""
    found: dict[int, tuple[str, int]] = {}
    texts = [item[0] for item in main]
    longest = _longest_from()
    i = 0
    while i < len(texts):
        most = longest.get(texts[i], 0)
        if not most:  # most words start no name
            i += 1
            continue
        for size in range(min(most, len(texts) - i), 0, -1):
            entity_id = patterns.get(tuple(texts[i : i + size]))
            if entity_id is not None:
                found[i] = (entity_id, size)
                i += size
                break
        else:
            i += 1
    return found


def tag_entities(items: list[Item], mode: str) -> list[Item]:
    patterns = entity_patterns()
    main = [item for i, item in enumerate(items) if i == 0 or items[i - 1][1] != item[1]]
    spans = _spans(main, patterns)
    if mode == "query":
        return _replace_names(main, spans)
    starts = {
        id(main[i]): (entity_id, main[i : i + size]) for i, (entity_id, size) in spans.items()
    }
    one_word = _one_word_names()
    out: list[Item] = []
    for item in items:
        out.append(item)
        span = starts.get(id(item))
        if span is not None:
            entity_id, words = span[0], [w[0] for w in span[1]]
            end = span[1][-1][3]
        elif (entity_id := one_word.get(item[0])) is not None:
            words, end = [item[0]], item[3]
        else:
            continue
        for text in (ENTITY_PREFIX + entity_id, surface_tag(entity_id, words)):
            out.append([text, item[1], item[2], end, item[4], False])
    return out


def _replace_names(main: list[Item], spans: dict[int, tuple[str, int]]) -> list[Item]:
    out: list[Item] = []
    i = 0
    while i < len(main):
        if i not in spans:
            out.append(main[i])
            i += 1
            continue
        entity_id, size = spans[i]
        words = main[i : i + size]
        first = words[0]
        original = " ".join(w[4] or w[0] for w in words)
        out.append([ENTITY_PREFIX + entity_id, first[1], first[2], words[-1][3], original, False])
        i += size
    return out


def mark_stops(items: list[Item], mode: str) -> list[Item]:
    for item in items:
        if item[0] in STOP_WORDS or (item[4] or "") in STOP_WORDS:
            item[5] = True
    return items


WORD_STAGES: tuple[Callable[[list[Item], str], list[Item]], ...] = (
    stem_english,
    tag_entities,
    mark_stops,
)
