"""JSON and JSON Lines: one article per record.

A record is an object with a ``title`` and a ``body`` (a string) or
``paragraphs`` (a list of strings), and optionally ``id``, ``date``, ``source``,
``lang`` and ``url``. A JSON file holds one record or an array of them; a JSON
Lines file one record a line. A bad record is skipped with the reason and where
it is (``line 3``, ``record 2``); the others are kept.

A record's article id is its ``id``, else the file's name and where the record
is (``news-3`` for line 3 of news.jsonl), else (a lone record) the file's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from corpus_search.errors import IngestError
from corpus_search.formats.detect import JSON, JSONL
from corpus_search.metadata import make_id
from corpus_search.models import Draft, Skipped

__all__ = ["Records", "json_drafts", "parse_records", "starts_with_a_record"]

_META = ("date", "source", "lang", "url")


@dataclass(frozen=True)
class _Bad:
    reason: str


Entry = tuple[str | None, Any]  # (where in the file, the parsed value or _Bad)


@dataclass(frozen=True)
class Records:
    format: str  # JSON or JSONL
    entries: list[Entry]


def parse_records(text: str, lines: bool) -> Records:
    """The records of a JSON or JSON Lines text (``lines``: one a line, always);
    IngestError when it is neither."""
    whole = ""
    if not lines:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            whole = _reason(exc)
        else:
            if isinstance(value, list):
                return Records(JSON, [(f"record {n}", v) for n, v in enumerate(value, 1)])
            return Records(JSON, [(None, value)])
    entries = [(f"line {n}", _value(line)) for n, line in _numbered(text)]
    if lines or any(isinstance(v, dict) for _, v in entries):
        return Records(JSONL, entries)
    raise IngestError(f"not valid JSON ({whole})")


def starts_with_a_record(text: str) -> bool:
    """True when the text's first line, or the whole text, is a JSON object or array
    of objects (a cheap test before a text file is read as JSON)."""
    first = text.lstrip().partition("\n")[0]
    return isinstance(_value(first), dict) or _is_records(text)


def _is_records(text: str) -> bool:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and isinstance(value[0], dict)
    )


def _numbered(text: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _value(line: str) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError) as exc:
        return _Bad(f"not valid JSON ({_reason(exc)})")


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)


def json_drafts(records: Records, stem: str) -> list[Draft | Skipped]:
    """One draft per good record, a `Skipped` (file name left blank) per bad one."""
    return [_draft(value, stem, where) for where, value in records.entries]


def _draft(value: Any, stem: str, where: str | None) -> Draft | Skipped:
    if isinstance(value, _Bad):
        return Skipped("", value.reason, where)
    if not isinstance(value, dict):
        return Skipped("", f"not a JSON object but {type(value).__name__}", where)
    try:
        key = _key(value, stem, where)
        text = f"{_title(value)}\n{_body(value)}"
    except ValueError as exc:
        return Skipped("", str(exc), where)
    meta = {k: v.strip() for k in _META if isinstance(v := value.get(k), str) and v.strip()}
    return Draft(key=key, text=text, part=where, **meta)


def _key(record: dict[str, Any], stem: str, where: str | None) -> str:
    given = record.get("id")
    if given is None:
        return make_id(f"{stem}-{where.split()[-1]}" if where else stem)
    if isinstance(given, bool) or not isinstance(given, str | int) or not str(given).strip():
        raise ValueError(f"id {given!r} is not a non-empty string or number")
    return make_id(str(given).strip())


def _title(record: dict[str, Any]) -> str:
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("no title (a non-empty string)")
    return " ".join(title.split())


def _body(record: dict[str, Any]) -> str:
    body, paragraphs = record.get("body"), record.get("paragraphs")
    if isinstance(body, str) and body.strip():
        return body
    if isinstance(paragraphs, list) and all(isinstance(p, str) for p in paragraphs):
        if any(p.strip() for p in paragraphs):
            return "\n".join(paragraphs)
    raise ValueError("no body (a non-empty string) or paragraphs (a list of strings)")
