"""An article's words with their characters, kept in its Xapian document.

Whoosh keeps each occurrence's characters with its posting; Xapian keeps only
positions. So each article document also holds, per field its snippets are
marked in (``body``, ``exact``), its `Postings` as they are: every word with
the position and characters of each occurrence (a value slot:
`terms.OFFSET_SLOTS`). The page's documents come with their values, so a
search reads where its words are in the page's articles without another round
trip to a shard (`occurrences`).

The value is zlib'd: a line of JSON (the words, and how many occurrences each
has, in order), then the occurrences as uint32 (position, start, end) triples.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["WordTable", "word_table"]


def word_table(found: Mapping[str, list[Any]] | None) -> bytes:
    """A field's `Postings` as a value (see above); empty for an empty field."""
    if not found:
        return b""
    words = list(found)
    counts = [len(found[w]) for w in words]
    triples = np.asarray([o for w in words for o in found[w]], dtype=np.uint32)
    head = json.dumps([words, counts], ensure_ascii=False).encode("utf-8")
    return zlib.compress(head + b"\n" + triples.tobytes(), 1)


@dataclass
class WordTable:
    """A field's words and their occurrences, read back from `word_table`."""

    where: dict[str, tuple[int, int]]  # word -> (first row, rows)
    rows: np.ndarray  # (position, start, end) per occurrence

    @classmethod
    def read(cls, raw: bytes) -> WordTable:
        if not raw:
            return cls({}, np.zeros((0, 3), dtype=np.uint32))
        head, _, body = zlib.decompress(raw).partition(b"\n")
        words, counts = json.loads(head)
        where, first = {}, 0
        for word, count in zip(words, counts, strict=True):
            where[word] = (first, count)
            first += count
        return cls(where, np.frombuffer(body, dtype=np.uint32).reshape(-1, 3))

    def occurrences(self, word: str) -> list[tuple[int, int, int]]:
        found = self.where.get(word)
        if found is None:
            return []
        first, count = found
        return [tuple(row) for row in self.rows[first : first + count].tolist()]  # type: ignore[misc]
