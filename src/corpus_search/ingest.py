"""Ingest: raw article files -> clean `Article`s.

`read_article` decodes one file (UTF-8, UTF-8 with BOM, UTF-16/32 with BOM),
cleans it with `corpus_search.cleaning.clean_text` and reads its metadata.
`read_folder` reads every `*.txt` and `*.md` file of a folder in name order and
records the files it cannot use in `IngestResult.skipped` instead of stopping.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from corpus_search.cleaning import clean_article
from corpus_search.cleaning.paragraphs import normalise_spaces
from corpus_search.errors import IngestError
from corpus_search.metadata import detect_lang, find_date, find_source, make_id
from corpus_search.models import Article, IngestResult, Skipped

__all__ = [
    "SUFFIXES",
    "article_files",
    "decode",
    "parse_article",
    "read_article",
    "read_bytes",
    "read_folder",
]

SUFFIXES = (".txt", ".md")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> str:
    """Text of a file's bytes; IngestError for binary or non-UTF-8 content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(f"not valid {encoding.upper()} text: {exc.reason}") from exc
    if b"\x00" in data:
        raise IngestError("binary file (contains NUL bytes; UTF-16 text needs a BOM)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from exc


def read_bytes(path: Path) -> bytes:
    """A file's bytes; IngestError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc


def _headline(line: str) -> str:
    return normalise_spaces(line.lstrip("#"))


def read_article(path: Path) -> Article:
    """Read, decode and clean one article file (see module docstring)."""
    return parse_article(path, read_bytes(path))


def parse_article(path: Path, data: bytes) -> Article:
    """Decode and clean the bytes of the article file ``path``."""
    if not data.strip():
        raise IngestError("empty file")
    text = decode(data)
    paragraphs, with_headers = clean_article(text)
    if not paragraphs:
        raise IngestError("no text left after cleaning")
    title = _headline(paragraphs[0])
    passages = tuple(p for p in paragraphs[1:] if normalise_spaces(p) != title)
    header_text = "\n".join(with_headers)
    return Article(
        id=make_id(path.stem),
        source_file=path.name,
        title=title,
        lang=detect_lang("\n".join([title, *passages])),
        date=find_date(header_text),
        source=find_source(header_text),
        passages=passages,
    )


def article_files(folder: Path) -> list[Path]:
    """The article files of a folder, in name order; IngestError if it is not a folder."""
    if not folder.is_dir():
        raise IngestError(f"not a folder: {folder}")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


def read_folder(folder: Path) -> IngestResult:
    """Read every article file in `folder`; unusable files go to `skipped` with a reason."""
    result = IngestResult()
    for path in article_files(folder):
        result.files_read += 1
        try:
            result.articles.append(read_article(path))
        except IngestError as exc:
            result.skipped.append(Skipped(source_file=path.name, reason=str(exc)))
    return result
