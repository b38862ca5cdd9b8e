"""Chinese word segmentation: the only module that imports jieba.

The segmenter is a private `jieba.Tokenizer` whose user dictionary is generated
from the lexicon, so names and domain terms (张勇, 双11, 阿里妈妈, 云上时装周 …)
come out as single words. Input is canonical (Simplified) text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import lru_cache

import jieba

from corpus_search.lexicon import load_lexicon

__all__ = ["segment", "subwords", "is_word", "plain_cut", "jieba_whoosh_analyzer"]

jieba.setLogLevel(logging.WARNING)

# High enough that a lexicon entry wins over jieba's own split of the same characters.
_USER_WORD_FREQ = 200_000


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in load_lexicon().chinese_words():
        tokenizer.add_word(word, freq=_USER_WORD_FREQ)
    return tokenizer


def segment(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (word, start, end) for every word jieba finds, spaces and punctuation included."""
    yield from _tokenizer().tokenize(text, HMM=True)


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


def plain_cut(text: str) -> Iterator[tuple[str, int, int]]:
    """jieba's stock dictionary only (no lexicon): for the evaluation baselines."""
    yield from jieba.dt.tokenize(text, HMM=True)


def jieba_whoosh_analyzer() -> object:
    """jieba's bundled Whoosh ChineseAnalyzer, as shipped: for the evaluation baseline."""
    from jieba.analyse import ChineseAnalyzer

    return ChineseAnalyzer()
