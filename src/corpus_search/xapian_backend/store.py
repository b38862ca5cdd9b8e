"""Our records (`index.documents`) written into Xapian databases, one per index.

Each record becomes one Xapian document:

- the text fields' `Postings` (terms our analyzer made, with positions) as
  prefixed terms, each occurrence's position added with ``add_posting`` so
  phrase queries work on our own tokens, and a wdf that carries the field's
  boost and length normalisation (`weighting`: our BM25F, by field);
- the metadata as boolean terms (filters, and deletes by article or file);
- facet values in value slots (`terms.SLOTS`);
- the stored fields (``data`` included) as JSON in the document data;
- the unique id as the ``Q`` term, so writing a record again replaces it.

A build directory holds one database per index (``articles``, ``quotes``). Each
keeps the average field lengths its wdfs were normalised with (metadata
``averages``): records written later, by an update, use the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xapian

from corpus_search.index.schema import INDEXES
from corpus_search.xapian_backend.terms import (
    BOOLEAN_PREFIXES,
    SLOTS,
    TEXT_PREFIXES,
    boolean_term,
    text_term,
)
from corpus_search.xapian_backend.weighting import (
    Averages,
    field_averages,
    field_length,
    normalised_wdf,
)

__all__ = [
    "STORED_FIELDS",
    "database_path",
    "document",
    "stored",
    "write_records",
    "delete_articles",
    "read_averages",
    "index_averages",
    "build",
    "open_build",
]

Record = dict[str, Any]
AVERAGES = "averages"  # metadata key: the average field lengths, JSON
STORED_FIELDS = (
    "id",
    "article_id",
    "source_file",
    "lang",
    "year",
    "source",
    "entities",
    "speaker_id",
    "passage",
    "data",
)


def database_path(directory: Path, name: str) -> Path:
    """Where index ``name`` (one of `INDEXES`) lives in a build directory."""
    return directory / name


def _entities(record: Record) -> list[str]:
    return sorted({e for e in str(record.get("entities") or "").split(",") if e})


def _add_text(doc: xapian.Document, record: Record, averages: Averages) -> None:
    for field in TEXT_PREFIXES:
        found = record.get(field)
        if not found:
            continue
        length, average = field_length(found), averages.get(field, 0.0)
        for text, occurrences in found.items():
            name = text_term(field, text)
            for position, _start, _end in occurrences:
                doc.add_posting(name, position, 0)
            doc.add_term(name, normalised_wdf(field, len(occurrences), length, average))


def _add_metadata(doc: xapian.Document, record: Record) -> None:
    for field in BOOLEAN_PREFIXES:
        if field == "entities":
            continue
        value = record.get(field)
        if value:
            doc.add_boolean_term(boolean_term(field, str(value)))
    entities = _entities(record)
    for entity in entities:
        doc.add_boolean_term(boolean_term("entities", entity))
    for field, slot in SLOTS.items():
        value = ",".join(entities) if field == "entities" else str(record.get(field) or "")
        if value:
            doc.add_value(slot, value.encode("utf-8"))


def stored(record: Record) -> dict[str, Any]:
    """The fields of a record kept for display, as the Whoosh index stores them."""
    return {name: record[name] for name in STORED_FIELDS if name in record}


def document(record: Record, averages: Averages) -> xapian.Document:
    """One record as a Xapian document (``averages``: of the index's field lengths)."""
    doc = xapian.Document()
    _add_text(doc, record, averages)
    _add_metadata(doc, record)
    doc.set_data(json.dumps(stored(record), ensure_ascii=False).encode("utf-8"))
    return doc


def read_averages(db: xapian.Database) -> dict[str, float] | None:
    """The average field lengths a database's wdfs were normalised with."""
    raw = db.get_metadata(AVERAGES)
    return {k: float(v) for k, v in json.loads(raw).items()} if raw else None


def write_records(
    db: xapian.WritableDatabase, records: Sequence[Record], averages: Averages | None = None
) -> int:
    """Add or replace records by id (not committed); how many were written. The
    field lengths are normalised by ``averages``, else the database's own, else (a
    new database) those of ``records``, which it then keeps."""
    if averages is None:
        averages = read_averages(db)
    if averages is None:
        averages = field_averages(records)
    if not db.get_metadata(AVERAGES):
        db.set_metadata(AVERAGES, json.dumps(averages))
    for record in records:
        db.replace_document(boolean_term("id", record["id"]), document(record, averages))
    return len(records)


def delete_articles(db: xapian.WritableDatabase, article_ids: Iterable[str]) -> None:
    """Remove every record of these articles: the article and its quotes (not committed)."""
    for article_id in article_ids:
        db.delete_document(boolean_term("article_id", article_id))


def index_averages(records: Mapping[str, Sequence[Record]]) -> dict[str, dict[str, float]]:
    """Each index's average field lengths over ``records`` (to give every shard)."""
    return {name: field_averages(found) for name, found in records.items()}


def build(
    directory: Path,
    records: Mapping[str, Sequence[Record]],
    averages: Mapping[str, Averages] | None = None,
) -> dict[str, Path]:
    """Write one database per index into ``directory`` (a fresh one: any database
    already there is overwritten); the path of each. Field lengths are normalised
    by the records' own averages, or by ``averages`` per index (a shard's build
    gives those of the whole collection, so every shard weighs alike)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in INDEXES:
        path = database_path(directory, name)
        db = xapian.WritableDatabase(str(path), xapian.DB_CREATE_OR_OVERWRITE)
        try:
            write_records(db, records.get(name, ()), (averages or {}).get(name))
            db.commit()
        finally:
            db.close()
        paths[name] = path
    return paths


def open_build(directory: Path) -> dict[str, xapian.Database]:
    """Each index of a build directory, opened read-only."""
    return {name: xapian.Database(str(database_path(directory, name))) for name in INDEXES}
