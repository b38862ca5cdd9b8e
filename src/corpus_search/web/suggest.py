"""Help for a search that found nothing: "did you mean" and the query with a term left out.

The vocabulary is the index's own words (English words lower-cased, as the ``exact``
field holds them; Chinese words as jieba cut them, in the canonical script) with
their document counts, plus the lexicon's forms; it is read once per build, and the
words' sounds were computed when the build was written (``index/sounds.py``).
English spelling candidates come from Whoosh's ``ListCorrector`` (Levenshtein
automata) over that word list. Chinese candidates are known words that sound the
same (same toneless pinyin: the usual input-method slip, 张永 for 张勇) or differ from
the typed word in one character. Every suggestion is a whole query that was counted,
with the same filters, and found something.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh.spelling import ListCorrector

from corpus_search.errors import CorpusSearchError
from corpus_search.index.sounds import sound_of
from corpus_search.normalise import HAN, to_canonical, to_simplified, to_traditional
from corpus_search.search import Filters, SearchService
from corpus_search.search.generation import BuildView
from corpus_search.segment import segment
from corpus_search.web.params import check_query
from corpus_search.web.script import written_lang

__all__ = ["Suggestion", "Vocabulary", "count", "did_you_mean", "drop_one_term", "query_terms"]

_ENGLISH = re.compile(r"[A-Za-z]+")
_HAN = re.compile(f"[{HAN}]+")
_PHRASE = re.compile(r'"[^"]*"?|“[^”]*”?|「[^」]*」?')
_PUNCT = re.compile(r"^[\W_]+$")
CANDIDATES = 3  # replacements tried per misspelled word
MAX_TERMS = 8  # longest query whose one-term-shorter variants are tried


@dataclass(frozen=True)
class Suggestion:
    query: str
    total: int
    dropped: str = ""  # for a shorter query: the term left out


@dataclass
class Vocabulary:
    english: Counter[str] = field(default_factory=Counter)
    chinese: Counter[str] = field(default_factory=Counter)  # canonical forms
    by_sound: dict[str, list[str]] = field(default_factory=dict)
    by_length: dict[int, list[str]] = field(default_factory=dict)
    sorted_english: list[str] = field(default_factory=list)

    def finish(self, sounds: dict[str, str]) -> Vocabulary:
        for word in self.chinese:
            self.by_sound.setdefault(sounds.get(word) or sound_of(word), []).append(word)
            self.by_length.setdefault(len(word), []).append(word)
        self.sorted_english = sorted(self.english)
        return self


def _vocabulary(generation: BuildView) -> Vocabulary:
    """The index's words with their document counts, and the lexicon's forms."""
    vocab = Vocabulary()
    for term, articles in generation.terms("exact"):
        if len(term) > 2 and term.isascii() and term.isalpha():
            vocab.english[term] = articles
    for term, articles in generation.terms("body"):
        if len(term) > 1 and _HAN.fullmatch(term):
            vocab.chinese[term] = articles
    for entity in generation.lexicon.entities.values():
        vocab.english.update(w.lower() for f in entity.latin_forms for w in _ENGLISH.findall(f))
        vocab.chinese.update(f for f in entity.zh_forms if _HAN.fullmatch(f) and len(f) > 1)
    return vocab.finish(generation.sounds())


def vocabulary(service: SearchService) -> Vocabulary:
    """The words of the indexed articles and the lexicon, built once per index version.

    Safe for concurrent first requests: it is built under the build's cache lock (the
    others wait for it, then share it), and a new build brings a new cache, swapped
    in whole with its build (`BuildView`); nothing is ever cleared while another thread
    reads it."""
    generation = service.generation()
    return generation.cached("vocabulary", lambda: _vocabulary(generation))


def count(service: SearchService, query: str, filters: Filters) -> int:
    """How many articles a query finds (0 when it cannot be searched, as a query of stop
    words alone: no suggestion leads to a refusal)."""
    try:
        check_query(service, query)
        return service.count(query, filters)
    except CorpusSearchError:
        return 0


def _verified(
    service: SearchService, queries: Iterable[tuple[str, str]], filters: Filters, limit: int
) -> list[Suggestion]:
    found: list[Suggestion] = []
    seen: set[str] = set()
    for query, dropped in queries:
        query = " ".join(query.split())
        if query and query not in seen and len(found) < limit:
            seen.add(query)
            total = count(service, query, filters)
            if total:
                found.append(Suggestion(query, total, dropped))
    return found


# -- did you mean -----------------------------------------------------------------


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _english_options(vocab: Vocabulary, word: str) -> list[str]:
    low = word.lower()
    if len(low) < 3 or low in vocab.english or not vocab.sorted_english:
        return []
    found = ListCorrector(vocab.sorted_english).suggest(low, limit=8, maxdist=2, prefix=1)
    return sorted(found, key=lambda s: (_distance(low, s), -vocab.english[s]))[:CANDIDATES]


def _windows(run: str) -> list[tuple[int, int]]:
    """Stretches of a Chinese run worth correcting: the whole (short) run, unknown
    words, and runs of single characters that jieba could not join."""
    spans = [(0, len(run))] if len(run) <= 6 else []
    singles: list[tuple[int, int]] = []
    for word, start, end in segment(run):
        if len(word) == 1:
            singles.append((start, end))
            continue
        if len(singles) > 1:
            spans.append((singles[0][0], singles[-1][1]))
        singles = []
        spans.append((start, end))
    if len(singles) > 1:
        spans.append((singles[0][0], singles[-1][1]))
    return list(dict.fromkeys(spans))


def _chinese_options(vocab: Vocabulary, run: str) -> list[tuple[str, list[str]]]:
    canonical = to_canonical(run)
    if len(canonical) != len(run):
        return []
    out = []
    for start, end in _windows(canonical):
        word = canonical[start:end]
        if word in vocab.chinese or len(word) < 2:
            continue
        sound = [w for w in vocab.by_sound.get(sound_of(word), []) if w != word]
        near = [
            w
            for w in vocab.by_length.get(len(word), [])
            if sum(a != b for a, b in zip(w, word, strict=True)) == 1
        ]
        ranked = sorted(sound, key=lambda w: -vocab.chinese[w])
        ranked += sorted(set(near) - set(sound), key=lambda w: -vocab.chinese[w])
        convert = to_traditional if written_lang(run) == "zh-Hant" else to_simplified
        if ranked:
            out.append((run[start:end], [convert(w) for w in ranked[:CANDIDATES]]))
    return out


def did_you_mean(
    service: SearchService, query: str, filters: Filters, limit: int = 3
) -> list[Suggestion]:
    """Queries spelt like this one, from known words, that find something."""
    vocab = vocabulary(service)
    options = [(w, _english_options(vocab, w)) for w in _ENGLISH.findall(query)]
    options += [o for run in _HAN.findall(query) for o in _chinese_options(vocab, run)]
    options = [(typed, found) for typed, found in options if found]
    if not options:
        return []
    combined = query
    for typed, found in options:
        combined = combined.replace(typed, found[0], 1)
    variants = [combined] + [query.replace(t, w, 1) for t, found in options for w in found]
    return _verified(service, ((v, "") for v in variants), filters, limit)


# -- one term fewer -------------------------------------------------------------------


def _split_word(word: str) -> list[str]:
    """A word as typed, cut into search terms (a Chinese run by jieba)."""
    canonical = to_canonical(word)
    if not _HAN.search(word) or len(canonical) != len(word):
        return [word]
    pieces = [word[s:e] for _, s, e in segment(canonical)]
    return [p for p in pieces if p.strip() and not _PUNCT.match(p)]


def query_terms(query: str) -> list[str]:
    """The terms of a query as typed: quoted phrases whole, words, Chinese words."""
    terms: list[str] = []
    cursor = 0
    for match in [*_PHRASE.finditer(query), None]:
        free = query[cursor : match.start() if match else len(query)]
        terms += [t for word in free.split() for t in _split_word(word)]
        if match:
            terms.append(match.group())
            cursor = match.end()
    return terms


def drop_one_term(service: SearchService, query: str, filters: Filters) -> list[Suggestion]:
    """The query with each one of its terms left out, where that finds something."""
    terms = query_terms(query)
    if not 2 <= len(terms) <= MAX_TERMS:
        return []
    variants = [(" ".join(terms[:i] + terms[i + 1 :]), term) for i, term in enumerate(terms)]
    found = _verified(service, variants, filters, limit=len(terms))
    return sorted(found, key=lambda s: -s.total)
