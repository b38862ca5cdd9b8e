"""Our records (`index.documents`) written into Xapian databases, one per index.

Each record becomes one Xapian document:

- the text fields' `Postings` (terms our analyzer made, with positions) as
  terms prefixed by field and index, each occurrence's position added with ``add_posting`` so
  phrase queries work on our own tokens, and a wdf that carries the field's
  boost and length normalisation (`weighting`: our BM25F, by field);
- the metadata as boolean terms (filters, and deletes by article or file), and
  its index's term (``XK``);
- the pairs of neighbouring ``exact`` terms as boolean terms (``XR``: phrases are
  looked up by them, `analysis.pairs`);
- facet values in value slots (`terms.SLOTS`);
- the stored fields (``data`` included) as JSON in the document data;
- for an article, its words with their positions and characters (`offsets`:
  snippets without analysing the text again);
- the unique id as the ``Q`` term, so writing a record again replaces it.

One database holds both indexes of a build (``articles``, ``quotes``), so one
shard is one database, served on one port. It keeps, per index, the average
field lengths its wdfs were normalised with (metadata ``averages:articles`` …):
records written later, by an update, use the same.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xapian

from corpus_search.index.schema import ARTICLES, INDEXES, QUOTES
from corpus_search.xapian_backend.facets import counts, entity_values, spies
from corpus_search.xapian_backend.offsets import word_table
from corpus_search.xapian_backend.terms import (
    BOOLEAN_PREFIXES,
    OFFSET_SLOTS,
    SLOTS,
    TEXT_PREFIXES,
    boolean_term,
    kind_term,
    text_term,
)
from corpus_search.xapian_backend.weighting import (
    Averages,
    field_averages,
    field_length,
    wdf_unit,
)

__all__ = [
    "STORED_FIELDS",
    "document",
    "stored",
    "write_records",
    "delete_articles",
    "read_averages",
    "index_averages",
    "build",
    "BUILD",
    "keep_averages",
    "write_summary",
    "summary",
]

Record = dict[str, Any]
AVERAGES = "averages:"  # metadata key + index: its average field lengths, JSON
PEOPLE = "people"  # metadata key: the people found in the text (the build's people.json)
COUNTS = "counts"  # metadata key: records per index, articles per entity, quotes per speaker
BUILD = "build"  # metadata key: a new value each time the database is written
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


def _entities(record: Record) -> list[str]:
    return sorted({e for e in str(record.get("entities") or "").split(",") if e})


def _add_text(doc: xapian.Document, record: Record, averages: Averages, index: str) -> None:
    for field in TEXT_PREFIXES:
        found = record.get(field)
        if not found:
            continue
        unit = wdf_unit(field, field_length(found), averages.get(field, 0.0))
        add_posting, add_term = doc.add_posting, doc.add_term
        for text, occurrences in found.items():
            name = text_term(field, text, index)
            for position, _start, _end in occurrences:
                add_posting(name, position, 0)
            add_term(name, max(1, round(unit * len(occurrences))))  # `normalised_wdf`


def _add_metadata(doc: xapian.Document, record: Record, index: str) -> None:
    doc.add_boolean_term(kind_term(index))
    for field in BOOLEAN_PREFIXES:
        if field in ("entities", "kind", "pairs"):
            continue
        value = record.get(field)
        if value:
            doc.add_boolean_term(boolean_term(field, str(value)))
    add_boolean_term = doc.add_boolean_term
    for found in record.get("pairs") or ():
        add_boolean_term(boolean_term("pairs", found))
    entities = _entities(record)
    for entity in entities:
        doc.add_boolean_term(boolean_term("entities", entity))
    for slot, value in entity_values(entities).items():
        doc.add_value(slot, value.encode("utf-8"))
    for field, slot in SLOTS.items():
        value = str(record.get(field) or "")
        if value:
            doc.add_value(slot, value.encode("utf-8"))


def stored(record: Record) -> dict[str, Any]:
    """The fields of a record kept for display, as the Whoosh index stores them."""
    return {name: record[name] for name in STORED_FIELDS if name in record}


def document(record: Record, averages: Averages, index: str = ARTICLES) -> xapian.Document:
    """One record of ``index`` as a Xapian document (``averages``: of that index's field
    lengths)."""
    doc = xapian.Document()
    _add_text(doc, record, averages, index)
    _add_metadata(doc, record, index)
    if index == ARTICLES:  # snippets are marked in articles (`occurrences`)
        for field, slot in OFFSET_SLOTS.items():
            table = word_table(record.get(field))
            if table:
                doc.add_value(slot, table)
    doc.set_data(json.dumps(stored(record), ensure_ascii=False).encode("utf-8"))
    return doc


def read_averages(db: xapian.Database, index: str = ARTICLES) -> dict[str, float] | None:
    """The average field lengths an index's wdfs were normalised with."""
    raw = db.get_metadata(AVERAGES + index)
    return {k: float(v) for k, v in json.loads(raw).items()} if raw else None


def keep_averages(db: xapian.WritableDatabase, averages: Mapping[str, Averages]) -> None:
    """Record each index's averages in the database, for the records written later."""
    for index, found in averages.items():
        db.set_metadata(AVERAGES + index, json.dumps(dict(found)))


def write_records(
    db: xapian.WritableDatabase,
    records: Sequence[Record],
    averages: Averages | None = None,
    index: str = ARTICLES,
    fresh: bool = False,
) -> int:
    """Add or replace records of ``index`` by id (not committed); how many were
    written. The field lengths are normalised by ``averages``, else the index's own
    in the database, else (a new index) those of ``records``, which it then keeps.
    ``fresh``: none of the ids is in the database yet (a full build): each record is
    added without looking for one to replace."""
    if averages is None:
        averages = read_averages(db, index)
    if averages is None:
        averages = field_averages(records)
    if not db.get_metadata(AVERAGES + index):
        db.set_metadata(AVERAGES + index, json.dumps(averages))
    for record in records:
        doc = document(record, averages, index)
        if fresh:
            db.add_document(doc)
        else:
            db.replace_document(boolean_term("id", record["id"]), doc)
    return len(records)


def delete_articles(db: xapian.WritableDatabase, article_ids: Iterable[str]) -> None:
    """Remove every record of these articles, the article and its quotes (not
    committed)."""
    for article_id in article_ids:
        db.delete_document(boolean_term("article_id", article_id))


def index_averages(records: Mapping[str, Sequence[Record]]) -> dict[str, dict[str, float]]:
    """Each index's average field lengths over ``records`` (to give every shard)."""
    return {name: field_averages(found) for name, found in records.items()}


def build(
    directory: Path,
    records: Mapping[str, Sequence[Record]],
    averages: Mapping[str, Averages] | None = None,
    people: str = '{"people": []}',
) -> Path:
    """Write the records of every index into a database at ``directory`` (a fresh
    one: any database there is overwritten). Field lengths are normalised by the
    records' own averages, or by ``averages`` per index (given the whole
    collection's, shards built apart weigh alike)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    db = xapian.WritableDatabase(str(directory), xapian.DB_CREATE_OR_OVERWRITE)
    try:
        for name in INDEXES:
            write_records(db, records.get(name, ()), (averages or {}).get(name), name, True)
        write_summary(db, people)
        db.commit()
    finally:
        db.close()
    return directory


def _counts(db: xapian.Database, index: str, facet: str) -> tuple[int, dict[str, int]]:
    """How many records ``index`` has, and how many of them hold each value of a facet."""
    enquire = xapian.Enquire(db)
    enquire.set_query(xapian.Query(kind_term(index)))
    spied = spies(enquire, [facet])
    total = enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated()
    return total, counts(spied)[facet]


def write_summary(db: xapian.WritableDatabase, people: str) -> None:
    """Keep in the database what a server reading nothing else needs (not committed):
    ``people`` (the text of the build's people.json) and the counts of `summary`."""
    db.commit()  # the counts are of the records written
    articles, entities = _counts(db, ARTICLES, "entities")
    quotes, speakers = _counts(db, QUOTES, "speaker_id")
    counts = {"articles": articles, "quotes": quotes, "entities": entities, "speakers": speakers}
    db.set_metadata(COUNTS, json.dumps(counts, ensure_ascii=False))
    db.set_metadata(PEOPLE, people)
    db.set_metadata(BUILD, uuid.uuid4().hex)


def summary(db: xapian.Database) -> tuple[dict[str, Any], list[Record]]:
    """A database's counts (``articles``, ``quotes``: records; ``entities``: articles
    per entity id; ``speakers``: quotes per speaker id) and its people records."""
    counts = json.loads(db.get_metadata(COUNTS) or b"{}")
    people = json.loads(db.get_metadata(PEOPLE) or b"{}").get("people", [])
    return counts, people
