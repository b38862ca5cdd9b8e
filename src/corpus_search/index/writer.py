"""Whoosh's segment writer, with the per-posting work of a build taken out.

What is written is what Whoosh writes (same codec, same blocks, same term
table); how it gets there changes in three places that a build's millions of
postings made costly:

* postings are kept grouped by term (`pool.GroupedPool`) rather than as one
  tuple each, sorted and merged one by one;
* each term's postings go into its posting blocks a block at a time, not a
  call at a time (`_add_block`);
* each field's lengths, which the blocks' statistics need, are read once per
  flush rather than from disk for every posting (`LengthTable`).

The writer leans on two internals of whoosh-ng (pinned in pyproject.toml):
the segment writer's ``pool`` and the W3 field writer's ``_postwriter``, whose
block buffer (``_ids``, ``_weights``, ``_values`` and their statistics) it
fills; with another codec, postings are added one at a time as usual.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter
from whoosh.writing import SegmentWriter

from corpus_search.index.pool import Group, GroupedPool
from corpus_search.index.schema import AnalysedText, Postings

__all__ = ["LengthTable", "BuildWriter"]

_MB = 2**20
_SHORT = 200  # characters: longer values are not remembered
_REMEMBERED = 4096  # values, before the memory of them starts afresh


class LengthTable:
    """Field lengths of a segment's documents, read once per field. Only scorable
    fields keep lengths: for any other, Whoosh's reader would look for the missing
    column on disk again for every document."""

    def __init__(self, reader: Any, schema: Any) -> None:
        self._reader = reader
        self._schema = schema
        self._fields: dict[str, list[int] | None] = {}

    def column(self, fieldname: str) -> list[int] | None:
        """Every document's length of the field; None for a field that keeps none."""
        if fieldname not in self._fields:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            scored = self._schema[fieldname].scorable
            self._fields[fieldname] = (
                [read(d, fieldname, 0) for d in range(count)] if scored else None
            )
        return self._fields[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        found = self.column(fieldname)
        return found[docnum] if found is not None else default

    def close(self) -> None:
        self._reader.close()


class BuildWriter(SegmentWriter):
    """Whoosh's `SegmentWriter`, with postings grouped by term (see the module)."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = GroupedPool(self._tempstorage, limitmb * _MB)
        self._indexed: dict[tuple[str, Any], list[Any]] = {}  # see `_terms`
        # Term vectors and spelling words are written per document by Whoosh's
        # own method; no field of ours has either.
        self._plain = not any(
            field.vector or field.separate_spelling() for _, field in self.schema.items()
        )

    def add_document(self, **fields: Any) -> None:
        if not self._plain:
            super().add_document(**fields)
            return
        self._check_state()
        schema, perdoc, docnum = self.schema, self.perdocwriter, self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        docboost = self._doc_boost(fields)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    length = self._add_postings(name, field, docnum, value, boost)
                    length = length if field.scorable else 0
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_postings(self, name: str, field: Any, docnum: int, value: Any, boost: float) -> int:
        """A field's postings into the pool; the total frequency of its terms."""
        if isinstance(value, Postings) and isinstance(field, AnalysedText):
            weight = field.format.field_boost * boost
            return self.pool.add_analysed(name, docnum, value, field.encoder(), weight)
        items = self._terms(name, field, value)
        if boost != 1.0:
            items = ((t, f, w * boost, v) for t, f, w, v in items)
        return self.pool.add_field(name, docnum, items)

    def _terms(self, name: str, field: Any, value: Any) -> Any:
        """What Whoosh's ``field.index`` makes of a value, remembered for short values
        of fields that are not unique: an article's language, year, source and id
        recur in the record of each of its quotes."""
        if field.unique or not isinstance(value, str | int) or len(str(value)) > _SHORT:
            return field.index(value)
        found = self._indexed.get((name, value))
        if found is None:
            if len(self._indexed) >= _REMEMBERED:
                self._indexed.clear()
            found = self._indexed[name, value] = list(field.index(value))
        return found

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = LengthTable(reader, self.schema) if reader is not None else None
        try:
            if isinstance(self.fieldwriter, W3FieldWriter):
                _write_groups(self.fieldwriter, self.schema, lengths, self.pool)
            else:  # another codec: Whoosh's own way, a posting at a time
                self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()


def _write_groups(writer: Any, schema: Any, lengths: LengthTable | None, pool: GroupedPool) -> None:
    """Every term's postings, in order, through a W3 field writer's posting writer."""
    current = None
    column: list[int] | None = None
    for fieldname, term, group in pool.groups():
        if fieldname != current:
            if current is not None:
                writer.finish_field()
            writer.start_field(fieldname, schema[fieldname])
            current = fieldname
            column = lengths.column(fieldname) if lengths is not None else None
        writer.start_term(term)
        _add_block(writer._postwriter, group, column)
        writer.finish_term()
    if current is not None:
        writer.finish_field()


def _add_block(postings: W3PostingsWriter, group: Group, column: list[int] | None) -> None:
    """A term's postings into the posting writer's block buffer, a block at a time,
    with the statistics its ``add_posting`` keeps (the largest weight; the shortest
    and longest non-zero field length)."""
    docs, weights, values = group
    limit, start, count = postings._blocklimit, 0, len(docs)
    while start < count:
        room = limit - len(postings._ids)
        if room <= 0:
            postings._write_block()
            continue
        end = min(count, start + room)
        ids = docs[start:end]
        postings._ids.extend(ids)
        chunk = weights[start:end]
        postings._weights.extend(chunk)
        postings._maxweight = max(postings._maxweight, max(chunk))
        postings._values.extend(v for v in values[start:end] if v)
        if column is not None:
            found = [n for n in (column[d] for d in ids) if n]
            if found:
                low = min(found)
                if postings._minlength is None or low < postings._minlength:
                    postings._minlength = low
                postings._maxlength = max(postings._maxlength, max(found))
        start = end
