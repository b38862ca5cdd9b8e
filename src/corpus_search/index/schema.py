"""The schema of a build's three Whoosh indexes, and the field types behind it.

A build directory holds two indexes with one schema, so that each search reads
only the postings of the records it ranks:

    articles   one record per article: title, body (every passage), ``exact``,
               each occurrence with its characters (snippets and highlights are
               read from the index, not re-analysed); language, year,
               publication and the entities named, as columns for facets,
               filters and the language preference; the text, stored
    quotes     one record per quotation, with its speaker

Text fields take text, which their analyzer cuts (queries), or ``Postings`` that
the build made with that same analyzer beforehand (see ``analysis.analyse``), so
that no text is analysed twice.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from operator import sub
from struct import Struct
from struct import error as StructError
from typing import Any

from whoosh.analysis import Composable
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import _INT_SIZE, Positions
from whoosh.system import pack_uint, unpack_uint

from corpus_search.analysis import Posting, build_analyzer, build_exact_analyzer

__all__ = [
    "ARTICLES",
    "QUOTES",
    "INDEXES",
    "SEPARATOR",
    "FORMAT",
    "AnalysedText",
    "OrdinalPositions",
    "OrdinalCharacters",
    "Occurrence",
    "Postings",
    "SCORED_FIELDS",
    "build_schema",
    "postings",
]

ARTICLES, QUOTES = "articles", "quotes"
INDEXES = (ARTICLES, QUOTES)
SCORED_FIELDS = ("title", "body", "exact")  # the positional fields BM25F weighs
SEPARATOR = "\n\n"  # between an article's title and body, and between its passages
FORMAT = "16"  # bump when what is written changes: older builds are then rebuilt

# Most terms occur once in a record: their encodings are packed directly (the same
# bytes as the general path: a count, the array code, the values in native order).
_ONE = pack_uint(1)
_ONE_H, _ONE_I = _ONE + b"H", _ONE + b"I"
_H, _I = Struct("=H"), Struct("=I")
_HHH, _III = Struct("=3H"), Struct("=3I")


_LAYOUTS_UP_TO = 96  # values: longer runs are packed by an array


@lru_cache(maxsize=_LAYOUTS_UP_TO * 4)
def _layout(count: int, size: int) -> tuple[bytes, Struct]:
    return pack_uint(count) + b"H", Struct(f"={size}H")


def _packed(count: int, values: list[int]) -> bytes:
    """The count, the array code and the values: 16-bit where they all fit, else 32-bit."""
    try:
        if len(values) <= _LAYOUTS_UP_TO:
            head, layout = _layout(count, len(values))
            return head + layout.pack(*values)
        return pack_uint(count) + b"H" + array("H", values).tobytes()
    except (StructError, OverflowError):
        return pack_uint(count) + b"I" + array("I", values).tobytes()


def _one(position: int) -> bytes:
    """A lone position, packed directly (the bytes `_packed` would make)."""
    return _ONE_H + _H.pack(position) if position < 1 << 16 else _ONE_I + _I.pack(position)


class OrdinalPositions(Positions):
    """Positions stored as an array of 16- or 32-bit gaps, decoded in C.

    Whoosh's own varint decoding is a Python loop per position (and whoosh-ng
    5.4.0 misreads a posting whose bytes end in 0x2E as its legacy pickle
    format); phrase queries decode many positions, so this matters."""

    def encode(self, poslist: list[int]) -> bytes:
        if len(poslist) == 1:
            return _one(poslist[0])
        return _packed(len(poslist), [poslist[0], *map(sub, poslist[1:], poslist)])

    def decode_positions(self, valuestring: bytes) -> list[int]:
        code = chr(valuestring[_INT_SIZE])
        return list(accumulate(array(code, valuestring[_INT_SIZE + 1 :])))


class OrdinalCharacters(OrdinalPositions):
    """Positions with each occurrence's characters (start, end) in the text as
    written: what highlighting needs, read from the index instead of re-analysing.

    Encoded as one array: n position gaps, n starts, n lengths."""

    def encode(self, poslist: list[tuple[int, int, int]]) -> bytes:  # type: ignore[override]
        if len(poslist) == 1:
            ((p, s, e),) = poslist
            if p < 1 << 16 and s < 1 << 16 and e - s < 1 << 16:
                return _ONE_H + _HHH.pack(p, s, e - s)
            return _ONE_I + _III.pack(p, s, e - s)
        positions, starts, ends = zip(*poslist, strict=True)
        gaps = map(sub, positions[1:], positions)
        values = [positions[0], *gaps, *starts, *map(sub, ends, starts)]
        return _packed(len(positions), values)

    def _values(self, valuestring: bytes) -> tuple[int, array]:
        count = unpack_uint(valuestring[:_INT_SIZE])[0]
        return count, array(chr(valuestring[_INT_SIZE]), valuestring[_INT_SIZE + 1 :])

    def decode_positions(self, valuestring: bytes) -> list[int]:
        count, values = self._values(valuestring)
        return list(accumulate(values[:count]))

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        count, values = self._values(valuestring)
        starts = values[count : 2 * count]
        ends = (s + n for s, n in zip(starts, values[2 * count :], strict=True))
        return list(zip(accumulate(values[:count]), starts, ends, strict=False))


Occurrence = tuple[int, int, int]  # (position, start char, end char)


class Postings(dict[str, list[Occurrence]]):
    """A text analysed beforehand: term -> its occurrences, in position order."""


def postings(found: tuple[Posting, ...], shift: int = 0) -> Postings:
    out = Postings()
    for term, pos, start, end in found:
        if (seen := out.get(term)) is None:
            out[term] = [(pos + shift, start, end)]
        else:
            seen.append((pos + shift, start, end))
    return out


class AnalysedText(TEXT):
    """A positional TEXT field that also indexes `Postings` as they are; with
    ``chars``, each occurrence keeps its characters (for highlighting)."""

    def __init__(self, analyzer: Composable, field_boost: float = 1.0, chars: bool = False) -> None:
        super().__init__(analyzer=analyzer, phrase=True, field_boost=field_boost)
        kind = OrdinalCharacters if chars else OrdinalPositions
        self.format = kind(field_boost=field_boost)
        self.chars = chars

    def index(self, value: Any, boost: float = 1.0, **kwargs: Any) -> Any:
        if not isinstance(value, Postings):
            return super().index(value, boost=boost, **kwargs)
        encode, weight = self.encoder(), self.format.field_boost * boost
        return (
            (term.encode("utf-8"), len(found), len(found) * weight, encode(found))
            for term, found in value.items()
        )

    def encoder(self) -> Callable[[list[Occurrence]], bytes]:
        """What a term's occurrences are written as: with their characters or not."""
        encode = self.format.encode
        if self.chars:
            return encode

        def positions(found: list[Occurrence]) -> bytes:  # most quote terms occur once
            return _one(found[0][0]) if len(found) == 1 else encode([p for p, _, _ in found])

        return positions


def build_schema(index: str = ARTICLES) -> Schema:
    """The schema of one of the INDEXES: only articles keep characters (snippets and
    highlights are read from them; a quote card marks its few words itself)."""
    text, chars = build_analyzer(), index == ARTICLES
    return Schema(
        id=ID(stored=True, unique=True),
        article_id=ID(stored=True),
        source_file=ID(stored=True),
        title=AnalysedText(text, field_boost=2.0),
        body=AnalysedText(text, chars=chars),
        exact=AnalysedText(build_exact_analyzer(), chars=chars),
        lang=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        entities=KEYWORD(stored=True, commas=True, scorable=False),
        mentioned=COLUMN(VarBytesColumn()),  # the entities, comma-separated, for facets
        speaker_id=ID(stored=True, sortable=True),
        passage=NUMERIC(stored=True),
        order=NUMERIC(sortable=True),  # file order, for listings
        data=STORED(),
    )
