"""Which format a file is in: what it holds decides, its suffix only otherwise.

JSON that parses (an object, or an array or lines of objects) is read as JSON
whatever the file is called, and so is a page that starts as HTML does
(`<!doctype html>`, `<html>`, `<head>`, `<body>`, after an XML declaration or
comments); anything else is read as its suffix says.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "HTML",
    "JSON",
    "JSONL",
    "SUFFIXES",
    "TEXT",
    "declared_format",
    "has_markup",
    "looks_like_html",
    "looks_like_json",
]

TEXT, HTML, JSON, JSONL = "text", "html", "json", "jsonl"
SUFFIXES = {
    ".txt": TEXT,
    ".md": TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".json": JSON,
    ".jsonl": JSONL,
}
SNIFF_CHARS = 4096
_HTML_START = re.compile(
    r"(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)

_TAG = re.compile(r"<[A-Za-z!/?]")


def declared_format(path: Path) -> str:
    """The format the file's suffix names (plain text when it names none)."""
    return SUFFIXES.get(path.suffix.lower(), TEXT)


def looks_like_html(text: str) -> bool:
    return _HTML_START.match(text[:SNIFF_CHARS]) is not None


def has_markup(text: str) -> bool:
    """True when the text has at least one tag (a page with no markup is plain text)."""
    return _TAG.search(text[:SNIFF_CHARS]) is not None


def looks_like_json(text: str) -> bool:
    """True when the text starts as a JSON object or array does (it may not parse)."""
    return text.lstrip()[:1] in ("{", "[")
