"""Every document's length in a field, read as one array per segment.

Whoosh keeps a field's lengths as a column of one byte per document (a coded
length, decoded through a 256-entry table). Its reader answers one document at
a time, a Python call each: at 10,000 articles and their quotes, reading every
length of the scored fields that way took most of a second on the first query.
Here the column's bytes are read at once and decoded by table lookup.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

__all__ = ["segment_lengths"]

_DECODE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def segment_lengths(reader: Any, field: str, empty: float = 1.0) -> np.ndarray:
    """The length of ``field`` in each document of one segment's reader; ``empty``
    where the field is empty or absent (Whoosh's scorer takes 1 for those)."""
    count = reader.doc_count_all()
    column = _column(reader, field)
    out = np.full(count, empty, dtype=np.float64)
    if column is None:
        return out
    raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
    raw = raw[:count]
    decoded = _DECODE[raw]
    out[: len(raw)] = np.where(raw == 0, empty, decoded)
    return out


def _column(reader: Any, field: str) -> Any:
    """The lengths column reader of ``field`` in a segment reader, or None."""
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None:
        return None
    return perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
