"""Formats: a file's bytes -> the drafts of its articles, before cleaning.

    decode.py  bytes -> text: byte-order marks, UTF-8, then GB18030 or Big5
    detect.py  which format: what the text holds decides, else its suffix
    text.py    plain text (.txt, .md): one article
    html.py    HTML pages (.html, .htm) through trafilatura: one article
    jsonl.py   JSON and JSON Lines (.json, .jsonl): one article per record

Every draft then goes through the same cleaning rules and metadata readers
(`corpus_search.ingest`), whatever its format.
"""

from __future__ import annotations

from pathlib import Path

from corpus_search.formats.decode import Decoded, decode
from corpus_search.formats.detect import (
    HTML,
    JSON,
    JSONL,
    SUFFIXES,
    TEXT,
    declared_format,
    has_markup,
    looks_like_html,
    looks_like_json,
)
from corpus_search.formats.html import html_drafts
from corpus_search.formats.jsonl import Records, json_drafts, parse_records, starts_with_a_record
from corpus_search.formats.text import text_drafts
from corpus_search.metadata import make_id
from corpus_search.models import Draft, Skipped

__all__ = [
    "HTML",
    "JSON",
    "JSONL",
    "SUFFIXES",
    "TEXT",
    "Decoded",
    "classify",
    "decode",
    "draft_keys",
    "read_drafts",
]


def read_drafts(path: Path, text: str) -> tuple[str, list[Draft | Skipped]]:
    """The format of a file's text, and a draft (or the reason it was left out)
    for each article in it, in file order."""
    kind, records = classify(path, text)
    if records is not None:
        return kind, json_drafts(records, path.stem)
    if kind == HTML:
        return kind, list(html_drafts(text, path.stem))
    return kind, list(text_drafts(text, path.stem))


def draft_keys(path: Path, text: str) -> list[str | None]:
    """The id each article of the file asks for, in file order (None: a bad record),
    without the cost of extracting HTML or cleaning anything."""
    _, records = classify(path, text)
    if records is None:
        return [make_id(path.stem)]
    return [d.key if isinstance(d, Draft) else None for d in json_drafts(records, path.stem)]


def classify(path: Path, text: str) -> tuple[str, Records | None]:
    """The format of the text (see `detect`), with the records of a JSON one."""
    declared = declared_format(path)
    claims_json = declared in (JSON, JSONL)
    if looks_like_json(text) and (claims_json or starts_with_a_record(text)):
        records = parse_records(text, lines=declared == JSONL)
        return records.format, records
    if looks_like_html(text):
        return HTML, None
    if claims_json:
        records = parse_records(text, lines=declared == JSONL)
        return records.format, records
    if declared == HTML and has_markup(text):
        return HTML, None
    return TEXT, None
