"""An article's characters by position, kept in its Xapian document.

Whoosh keeps each occurrence's characters with its posting; Xapian keeps only
positions. So each article document also holds, per field its snippets are
marked in (``body``, ``exact``), a table from position to characters (a value
slot: `terms.OFFSET_SLOTS`, zlib'd uint32 pairs): the first character and the
end of the text the occurrences at that position cover. Several terms may share
a position (a long word and its parts): the widest span is the one marked
anyway. `occurrences` reads words' positions through it.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["offset_table", "read_table"]

_NONE = np.iinfo(np.uint32).max  # a position no occurrence has


def offset_table(found: Mapping[str, list[Any]] | None) -> bytes:
    """A field's `Postings` as the table of characters by position (see above)."""
    occurrences = [o for found_at in (found or {}).values() for o in found_at]
    if not occurrences:
        return b""
    at = np.asarray(occurrences, dtype=np.int64)
    size = int(at[:, 0].max()) + 1
    starts = np.full(size, _NONE, dtype=np.uint32)
    ends = np.zeros(size, dtype=np.uint32)
    np.minimum.at(starts, at[:, 0], at[:, 1].astype(np.uint32))
    np.maximum.at(ends, at[:, 0], at[:, 2].astype(np.uint32))
    return zlib.compress(np.stack([starts, ends], axis=1).tobytes(), 1)


def read_table(raw: bytes) -> np.ndarray:
    """The table of `offset_table`: one (start, end) row per position."""
    if not raw:
        return np.zeros((0, 2), dtype=np.uint32)
    return np.frombuffer(zlib.decompress(raw), dtype=np.uint32).reshape(-1, 2)
