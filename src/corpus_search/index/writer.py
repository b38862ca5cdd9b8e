"""A Whoosh segment writer that reads each field's lengths once when it flushes.

When a segment is flushed, Whoosh's field writer asks for the length of the
field in the document of every posting it writes (for the block statistics
BM25 uses), and each answer reads the lengths column from disk again, with a
file-existence check for fields that keep no lengths. A build writes millions
of postings, so this took about a third of the writing time. Here each field's
lengths are read into memory on first use; what is written is unchanged.
"""

from __future__ import annotations

from typing import Any

from whoosh.writing import SegmentWriter

__all__ = ["LengthTable", "BuildWriter"]


class LengthTable:
    """Field lengths of a segment's documents, read once per field."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        column = self._fields.get(fieldname)
        if column is None:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            column = [read(d, fieldname, default) for d in range(count)]
            self._fields[fieldname] = column
        return column[docnum]

    def close(self) -> None:
        self._reader.close()


class BuildWriter(SegmentWriter):
    """Whoosh's `SegmentWriter` with field lengths read once per field at flush."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = LengthTable(self.per_document_reader()) if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()
