"""Chinese word segmentation: the only module that imports jieba.

The segmenter is a private `jieba.Tokenizer` whose user dictionary is generated
from the lexicon, so names and domain terms (张勇, 双11, 阿里妈妈, 云上时装周 …)
come out as single words. Input is canonical (Simplified) text.

jieba's own start-up reads its prefix dictionary (500,000 words and prefixes)
from a cache file in the temporary directory with ``marshal.load`` on the open
file, which takes 0.7 s; the same dictionary is kept in our cache
(`corpus_search.cache`) as newline-joined words and an array of counts, and
loads in about 0.15 s. The lexicon words are added afterwards, as before.
jieba is imported without ``pkg_resources`` (see `_import_jieba`).

jieba cuts a text block by block (runs of Han, Latin and digits between spaces
and punctuation), and a block's words depend on that block alone. News repeats
its clauses (names, titles, set phrases, syndicated paragraphs), so the words of
recent blocks are remembered (`_remember_blocks`): a repeated block is not cut
again. The words are the same either way.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from corpus_search import cache
from corpus_search.lexicon import load_lexicon

__all__ = [
    "jieba_whoosh_analyzer",
    "is_word",
    "new_tokenizer",
    "plain_cut",
    "prefix_dict",
    "dictionary_tag",
    "segment",
    "subwords",
    "tagged",
]


def _import_jieba() -> ModuleType:
    """jieba, imported without the ``pkg_resources`` it only uses to open its dictionary.

    jieba 0.42 does ``try: import pkg_resources`` and otherwise opens its files by
    path; importing pkg_resources costs 0.1 s (and a deprecation warning) in every
    process. While jieba is imported, ``sys.modules`` makes that import fail.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return importlib.import_module("jieba")
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        return importlib.import_module("jieba")
    finally:
        if sys.modules.get("pkg_resources", "") is None:
            del sys.modules["pkg_resources"]


if TYPE_CHECKING:
    import jieba
    import jieba.posseg
else:
    jieba = _import_jieba()

jieba.setLogLevel(logging.WARNING)

# High enough that a lexicon entry wins over jieba's own split of the same characters.
_USER_WORD_FREQ = 200_000


# (words and prefixes, newline-terminated; their counts as an int64 array; total count)
PrefixState = tuple[str, bytes, int]


def _build_prefix_dict() -> PrefixState:
    """jieba's prefix dictionary, as its own `initialize` builds it from dict.txt."""
    tokenizer = jieba.Tokenizer()
    freq, total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    return cache.pack_strs(freq), cache.pack_ints(freq.values()), total


def _decode_prefix_dict(state: PrefixState) -> tuple[dict[str, int], int]:
    words, counts, total = state
    freq = dict(zip(cache.unpack_strs(words), cache.unpack_ints(counts), strict=True))
    if not isinstance(total, int):
        raise ValueError("jieba prefix dictionary: bad total")
    return freq, total


def prefix_dict(directory: Path | None = None) -> tuple[dict[str, int], int]:
    """(FREQ, total) of jieba's stock dictionary: from the cache in `directory`."""
    dict_file = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    inputs = (jieba.__version__, cache.file_stamp(dict_file))
    return cache.cached(
        "jieba-prefix-dict",
        inputs,
        _build_prefix_dict,
        _decode_prefix_dict,
        directory=directory,
    )


def new_tokenizer(directory: Path | None = None) -> jieba.Tokenizer:
    """A jieba tokenizer on the stock dictionary plus the lexicon words.

    Equivalent to ``Tokenizer(); initialize()`` and then ``add_word`` for each
    lexicon word, with the stock dictionary read from the cache in `directory`.
    """
    tokenizer = jieba.Tokenizer()
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total = prefix_dict(directory)
        tokenizer.initialized = True
    for word in load_lexicon().chinese_words():
        tokenizer.add_word(word, freq=_USER_WORD_FREQ)
    return tokenizer


BLOCKS_REMEMBERED = 32768  # per process: about 10 MB


def _remember_blocks(tokenizer: jieba.Tokenizer) -> jieba.Tokenizer:
    """Have ``tokenizer`` cut each distinct block once (its dictionary must not
    change afterwards). Wraps jieba's per-block cutter (``__cut_DAG``, what
    ``cut(HMM=True)`` calls for each block), which has no public hook."""
    cut_block = tokenizer._Tokenizer__cut_DAG

    @lru_cache(maxsize=BLOCKS_REMEMBERED)
    def remembered(block: str) -> tuple[str, ...]:
        return tuple(cut_block(block))

    tokenizer._Tokenizer__cut_DAG = remembered
    return tokenizer


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    return _remember_blocks(new_tokenizer())


def segment(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word jieba finds, spaces and punctuation included."""
    return list(_tokenizer().tokenize(text, HMM=True))


def is_word(text: str) -> bool:
    return bool(_tokenizer().FREQ.get(text))


def subwords(word: str) -> Iterator[tuple[str, int]]:
    """Dictionary words of two to four characters inside a longer word, with their
    offsets: 阿里巴巴集团 -> 阿里, 阿里巴巴, 巴巴, 集团 (jieba's search mode, by offset)."""
    if len(word) <= 2:
        return
    for size in range(2, min(4, len(word) - 1) + 1):
        for start in range(len(word) - size + 1):
            piece = word[start : start + size]
            if is_word(piece):
                yield piece, start


@lru_cache(maxsize=1)
def _pos_tokenizer() -> jieba.posseg.POSTokenizer:
    """jieba's tagger on our tokenizer. Importing ``jieba.posseg`` already reads the
    stock dictionary's word tags (for its default tagger, ``posseg.dt``: a third of a
    second); a tagger made the usual way would read them again, so ours shares that
    table when both stand on the same dictionary (the lexicon's words carry no tags)."""
    posseg = importlib.import_module("jieba.posseg")
    ours = _tokenizer()
    if ours.dictionary != posseg.dt.tokenizer.dictionary:
        return posseg.POSTokenizer(ours)
    tagger: jieba.posseg.POSTokenizer = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    tagger.tokenizer = ours
    tagger.word_tag_tab = posseg.dt.word_tag_tab
    return tagger


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str, int], ...]:
    """(word, part of speech, start) for every word of canonical ``text``: jieba's
    tagger on the same dictionary, so names it has never seen come out of its HMM
    as ``nr`` (person) when they look like one."""
    words: list[tuple[str, str, int]] = []
    offset = 0
    for pair in _pos_tokenizer().cut(text, HMM=True):
        words.append((pair.word, pair.flag, offset))
        offset += len(pair.word)
    return tuple(words)


def dictionary_tag(word: str) -> str | None:
    """The part of speech of a word of the dictionary (``x`` for lexicon words
    added without one); None for a word the dictionary does not hold."""
    if not is_word(word):
        return None
    return str(_pos_tokenizer().word_tag_tab.get(word, "x"))


def plain_cut(text: str) -> Iterator[tuple[str, int, int]]:
    """jieba's stock dictionary only (no lexicon): for the evaluation baselines."""
    yield from jieba.dt.tokenize(text, HMM=True)


def jieba_whoosh_analyzer() -> object:
    """jieba's bundled Whoosh ChineseAnalyzer, as shipped: for the evaluation baseline."""
    from jieba.analyse import ChineseAnalyzer

    return ChineseAnalyzer()
