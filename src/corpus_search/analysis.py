"""Whoosh analyzers: the one normalisation path for indexing and querying.

Two analyzers, both built here and nowhere else:

``build_analyzer()`` (fields ``title`` and ``body``), in order:
  1. BilingualTokenizer  NFKC + OpenCC round trip to canonical Simplified, jieba
                         segmentation, Latin words lower-cased; ordinal positions;
                         character offsets into the text as written. At index time
                         the dictionary words inside long words are added at the
                         same position (jieba's search mode).
  2. EnglishStemFilter   Porter stems for Latin words (records -> record).
  3. EntityFilter        lexicon names in any form -> ``@entity-id`` tokens. Indexing
                         keeps the words and adds the entity token; a query
                         replaces the name by the entity token, so 張勇, 张勇,
                         Zhang Yong, Daniel Zhang and zhangyong are one term.
  4. EnglishStopFilter   drops English stop words (positions keep their gaps).

``build_exact_analyzer()`` (field ``exact``): canonical Han characters one by
one and Latin words unstemmed, for phrases and fragments that cut through words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whoosh.analysis import Composable, Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang.porter import stem
from whoosh.lang.stopwords import stoplists

from corpus_search.lexicon import load_lexicon
from corpus_search.normalise import canonical_with_offsets
from corpus_search.segment import segment, subwords

__all__ = [
    "BilingualTokenizer",
    "CanonicalTokenizer",
    "CharTokenizer",
    "Unit",
    "EnglishStemFilter",
    "EntityFilter",
    "EnglishStopFilter",
    "ENTITY_PREFIX",
    "SURFACE_MARK",
    "surface_tag",
    "form_terms",
    "build_analyzer",
    "build_exact_analyzer",
    "is_han",
    "latin_words",
    "Analysed",
    "analyse",
]

ENTITY_PREFIX = "@"
SURFACE_MARK = ":"  # between an entity id and the form it is written in
_HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[0-9a-z]+")
_STOP_WORDS = frozenset(stoplists["en"]) | {"s", "t", "us"}
_MAX_SPAN = 6


def is_han(text: str) -> bool:
    return bool(_HAN_CHAR.search(text))


def latin_words(text: str) -> list[str]:
    """Lower-cased Latin/digit words of a string, as the tokenizer splits them."""
    return _LATIN_WORD.findall(text.lower())


# A unit of text: (term, start, end, same_position). Offsets index the text the
# units were found in; same_position marks a sub-word sharing its parent's position.
Unit = tuple[str, int, int, bool]


class CanonicalTokenizer(Tokenizer):
    """Base of our tokenizers: the Whoosh tokenizer contract in one place.

    Subclasses yield units of the canonical text (``units``); this class gives them
    ordinal positions and maps their offsets back onto the text as written."""

    def units(self, canonical: str, mode: str) -> Iterator[Unit]:
        raise NotImplementedError

    def convert(self, value: str) -> tuple[str, list[int]]:
        """The text to cut into units, and the source offset of each of its characters."""
        return _canonical(value)

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        canonical, offsets = self.convert(value)
        t = Token(positions=positions, chars=chars, mode=mode, removestops=removestops, **kwargs)
        pos = start_pos - 1
        for text, start, end, same_position in self.units(canonical, mode):
            pos += 0 if same_position else 1
            t.text = t.original = text
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + offsets[start]
                t.endchar = start_char + offsets[end - 1] + 1
            yield t


@lru_cache(maxsize=64)
def _canonical(value: str) -> tuple[str, list[int]]:
    # Both analyzers convert the same text one after the other: convert it once.
    return canonical_with_offsets(value)


class BilingualTokenizer(CanonicalTokenizer):
    """Canonical-script jieba words and lower-cased Latin words (see module doc)."""

    def units(self, canonical: str, mode: str) -> Iterator[Unit]:
        for word, start, end in segment(canonical):
            if is_han(word):
                yield word, start, end, False
                if mode == "index" and len(word) > 2:
                    for sub, offset in subwords(word):
                        yield sub, start + offset, start + offset + len(sub), True
            else:
                for m in _LATIN_WORD.finditer(word.lower()):
                    yield m.group(), start + m.start(), start + m.end(), False


class CharTokenizer(CanonicalTokenizer):
    """Han characters one by one and whole Latin/digit words, canonical script."""

    _UNIT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[0-9a-z]+")

    def units(self, canonical: str, mode: str) -> Iterator[Unit]:
        for match in self._UNIT.finditer(canonical.lower()):
            yield match.group(), match.start(), match.end(), False


class EnglishStemFilter(Filter):
    """Porter-stems Latin words; Chinese words pass unchanged."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.text.isascii() and t.text.isalpha():
                t.text = _stem(t.text)
            yield t


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return stem(word)


def surface_tag(entity_id: str, words: list[str] | tuple[str, ...]) -> str:
    """The term of a name written in one particular form (``@zhang-yong:逍遥子``): lets a
    query prefer text that writes the name as the query does, without a phrase search."""
    return f"{ENTITY_PREFIX}{entity_id}{SURFACE_MARK}{' '.join(words)}"


def form_terms(form: str) -> tuple[str, ...]:
    """The terms a lexicon form analyzes to (without entity matching): the key
    under which the EntityFilter recognises it."""
    chain = BilingualTokenizer() | EnglishStemFilter()
    return tuple(t.text for t in chain(form, mode="query"))


@lru_cache(maxsize=1)
def entity_patterns() -> dict[tuple[str, ...], str]:
    """Every lexicon form as a term sequence, mapped to its entity id."""
    patterns: dict[tuple[str, ...], str] = {}
    for entity in load_lexicon().entities.values():
        for form in (*entity.zh_forms, *entity.latin_forms):
            terms = form_terms(form)
            if terms and len(terms) <= _MAX_SPAN:
                patterns.setdefault(terms, entity.id)
    return patterns


class EntityFilter(Filter):
    """Recognises lexicon names (see module doc). Keeps whole spans only: the
    longest form starting at a token wins."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        patterns = entity_patterns()
        buffered = [t.copy() for t in tokens]
        main = _main_tokens(buffered)
        spans = _find_spans(main, patterns)
        query = bool(buffered) and buffered[0].mode == "query"
        for t in buffered:
            span = spans.get(id(t))
            if query:
                if span is None and any(id(t) in s.covered for s in spans.values()):
                    continue
                if span is not None:
                    t.original = " ".join(x.original or x.text for x in span.tokens)
                    t.text = ENTITY_PREFIX + span.entity_id
                    t.endchar = span.tokens[-1].endchar
                yield t
                continue
            yield t
            single = patterns.get((t.text,))
            entity_id = span.entity_id if span is not None else single
            if entity_id is not None:
                words = [x.text for x in span.tokens] if span is not None else [t.text]
                tag = t.copy()
                if span is not None:
                    tag.endchar = span.tokens[-1].endchar
                for text in (ENTITY_PREFIX + entity_id, surface_tag(entity_id, words)):
                    tag.text = text
                    yield tag


def _main_tokens(buffered: list[Token]) -> list[Token]:
    # Sub-words share their parent's position and come right after it.
    if not buffered or not buffered[0].positions:
        return buffered
    return [t for i, t in enumerate(buffered) if i == 0 or buffered[i - 1].pos != t.pos]


class _Span:
    def __init__(self, entity_id: str, tokens: list[Token]) -> None:
        self.entity_id = entity_id
        self.tokens = tokens
        self.covered = {id(x) for x in tokens[1:]}


def _find_spans(main: list[Token], patterns: dict[tuple[str, ...], str]) -> dict[int, _Span]:
    spans: dict[int, _Span] = {}
    i = 0
    while i < len(main):
        for size in range(min(_MAX_SPAN, len(main) - i), 0, -1):
            key = tuple(t.text for t in main[i : i + size])
            if key in patterns:
                spans[id(main[i])] = _Span(patterns[key], main[i : i + size])
                i += size
                break
        else:
            i += 1
    return spans


class EnglishStopFilter(Filter):
    """Drops English stop words; Chinese words and entity tokens pass."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.text in _STOP_WORDS or (t.original or "") in _STOP_WORDS:
                if t.removestops:
                    continue
                t.stopped = True
            yield t


def build_analyzer() -> Composable:
    """The analyzer of the ``title`` and ``body`` fields; its chain, in order."""
    chain: Composable = (
        BilingualTokenizer() | EnglishStemFilter() | EntityFilter() | EnglishStopFilter()
    )
    assert isinstance(chain, CompositeAnalyzer)
    return chain


def build_exact_analyzer() -> Composable:
    """The analyzer of the ``exact`` field: canonical characters and words."""
    return CharTokenizer()


# -- analysing a text once, for every field --------------------------------------

Posting = tuple[str, int, int, int]  # (term, position, start char, end char)


@dataclass(frozen=True)
class Analysed:
    """A text run once through each analyzer (index mode): what every field of every
    record made from it needs, so that no text is analysed twice."""

    words: tuple[Posting, ...]  # the title/body analyzer
    chars: tuple[Posting, ...]  # the exact analyzer

    def mentions(self) -> list[str]:
        """Entity ids the text names, in order of first mention."""
        ids = (t[len(ENTITY_PREFIX) :] for t, *_ in self.words if t.startswith(ENTITY_PREFIX))
        return list(dict.fromkeys(i for i in ids if SURFACE_MARK not in i))

    def within(self, start: int, end: int) -> Analysed:
        """The postings of the characters ``start:end``, positions counted from 0."""
        return Analysed(_slice(self.words, start, end), _slice(self.chars, start, end))


def _slice(postings: tuple[Posting, ...], start: int, end: int) -> tuple[Posting, ...]:
    inside = [p for p in postings if p[2] >= start and p[3] <= end]
    if not inside:
        return ()
    first = inside[0][1]
    return tuple((t, pos - first, s - start, e - start) for t, pos, s, e in inside)


@lru_cache(maxsize=1)
def _analyzers() -> tuple[Composable, Composable]:
    return build_analyzer(), build_exact_analyzer()


def _postings(analyzer: Composable, text: str) -> tuple[Posting, ...]:
    tokens = analyzer(text, mode="index", positions=True, chars=True)
    return tuple((t.text, t.pos, t.startchar, t.endchar) for t in tokens if not t.stopped)


def analyse(text: str) -> Analysed:
    """``text`` through the body analyzer and the exact analyzer, once each."""
    words, chars = _analyzers()
    return Analysed(_postings(words, text), _postings(chars, text))
