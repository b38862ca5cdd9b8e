"""An article's words with their characters, kept in its Xapian document.

Whoosh keeps each occurrence's characters with its posting; Xapian keeps only
positions. So each article document also holds, per field its snippets are
marked in (``body``, ``exact``), its `Postings` as they are: every word with
the position and characters of each occurrence (a value slot:
`terms.OFFSET_SLOTS`). The page's documents come with their values, so a
search reads where its words are in the page's articles without another round
trip to a shard (`occurrences`).

The value is zlib'd: the number of words (uint32), the words in sorted order
joined by NUL, then for each word the row its occurrences start at (uint32,
one more at the end), then the occurrences as uint32 (position, start, end)
triples, word after word. Reading it splits the words once and finds a word by
bisection: no per-word structure is built for a page's article. The page's
tables are inflated by ISA-L (`isal`: the same zlib streams, read about twice as
fast as by zlib: a fifth of a 10k-article query's time went to inflating them),
or by zlib where isal is not installed.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

try:
    from isal.isal_zlib import decompress
except ImportError:  # pragma: no cover - a platform without isal's wheels
    from zlib import decompress

__all__ = ["WordTable", "word_table"]


def word_table(found: Mapping[str, list[Any]] | None) -> bytes:
    """A field's `Postings` as a value (see above); empty for an empty field."""
    if not found:
        return b""
    words = sorted(w for w in found if "\0" not in w)  # NUL separates them (none has it)
    starts = np.cumsum([0] + [len(found[w]) for w in words], dtype=np.uint32)
    triples = np.asarray([o for w in words for o in found[w]], dtype=np.uint32)
    joined = "\0".join(words).encode("utf-8")
    size = np.asarray([len(words), len(joined)], dtype=np.uint32)
    return zlib.compress(size.tobytes() + joined + starts.tobytes() + triples.tobytes(), 1)


@dataclass
class WordTable:
    """A field's words and their occurrences, read back from `word_table`."""

    words: list[str]  # sorted
    starts: np.ndarray  # the first row of each word's occurrences, and the end
    rows: np.ndarray  # (position, start, end) per occurrence

    @classmethod
    def read(cls, raw: bytes) -> WordTable:
        if not raw:
            return cls([], np.zeros(1, dtype=np.uint32), np.zeros((0, 3), dtype=np.uint32))
        data = decompress(raw)
        count, length = np.frombuffer(data, dtype=np.uint32, count=2).tolist()
        at = 8 + length
        words = data[8:at].decode("utf-8").split("\0") if count else []
        starts = np.frombuffer(data, dtype=np.uint32, count=count + 1, offset=at)
        rows = np.frombuffer(data, dtype=np.uint32, offset=at + 4 * (count + 1))
        return cls(words, starts, rows.reshape(-1, 3))

    def of(self, word: str) -> np.ndarray:
        """The word's (position, start, end) rows; none for a word the field lacks."""
        n = bisect_left(self.words, word)
        if n == len(self.words) or self.words[n] != word:
            return self.rows[:0]
        return self.rows[int(self.starts[n]) : int(self.starts[n + 1])]

    def occurrences(self, word: str) -> list[tuple[int, int, int]]:
        return [tuple(row) for row in self.of(word).tolist()]  # type: ignore[misc]
