"""Ingest: raw article files -> clean `Article`s.

`read_file` decodes one file (`formats.decode`: UTF-8 with or without BOM,
UTF-16, UTF-32, GB18030/GBK, Big5), reads it in its format (`formats`: plain
text, HTML, JSON, JSON Lines) into drafts, and turns each draft into an
`Article` the same way whatever the format (`article_from`): the cleaning rules
of `corpus_search.cleaning`, then the metadata readers, where the file did not
state title, date, publication or language itself. `read_folder` reads a folder
(`corpus_search.folder`: subfolders too) and records every file and record it
cannot use in `IngestResult.skipped` instead of stopping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from corpus_search.cleaning import clean_article
from corpus_search.cleaning.paragraphs import normalise_spaces
from corpus_search.errors import IngestError
from corpus_search.folder import list_folder
from corpus_search.formats import SUFFIXES, draft_keys, read_drafts
from corpus_search.formats import decode as decode_bytes
from corpus_search.metadata import article_date, detect_lang, find_date, find_source, stated_lang
from corpus_search.models import Article, Draft, FileRead, IngestResult, Skipped

__all__ = [
    "SUFFIXES",
    "article_files",
    "article_from",
    "article_keys",
    "decode",
    "parse_article",
    "read_article",
    "read_bytes",
    "read_file",
    "read_folder",
]

SHOWN_REASONS = 3  # of a file's bad records, in the message when none is good


def decode(data: bytes) -> str:
    """Text of a file's bytes; IngestError for binary or undecodable content."""
    return decode_bytes(data).text


def read_bytes(path: Path) -> bytes:
    """A file's bytes; IngestError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc


def read_article(path: Path) -> Article:
    """Read, decode and clean one article file (the first article of a JSON file)."""
    return parse_article(path, read_bytes(path))


def parse_article(path: Path, data: bytes) -> Article:
    """The (first) article in the bytes of the file ``path``."""
    return read_file(path, data).articles[0]


def read_file(
    path: Path, data: bytes, name: str | None = None, ids: Sequence[str | None] = ()
) -> FileRead:
    """Every article in the bytes of the file ``path``, in file order, named ``name``
    (default: the file's name); ``ids`` replaces the ids they ask for, by position.
    IngestError when the file holds no usable article."""
    if not data or data.isspace():
        raise IngestError("empty file")
    decoded = decode_bytes(data)
    kind, drafts = _drafts(path, decoded.text)
    read = FileRead(kind, decoded.encoding, keys=[_key(d) for d in drafts])
    name = name or path.name
    for n, draft in enumerate(drafts):
        if isinstance(draft, Skipped):
            read.skipped.append(replace(draft, source_file=name))
            continue
        try:
            given = ids[n] if n < len(ids) else None
            read.articles.append(article_from(draft, name, given or draft.key))
        except IngestError as exc:
            read.skipped.append(Skipped(name, str(exc), draft.part))
    if not read.articles:
        raise IngestError(_nothing_usable(read.skipped))
    return read


def article_keys(path: Path, data: bytes) -> list[str | None]:
    """The id each article of the file asks for, in file order (None: a bad record;
    nothing for a file that cannot be read): cheap, nothing is cleaned."""
    try:
        return draft_keys(path, decode_bytes(data).text)
    except IngestError:
        return []


def _key(draft: Draft | Skipped) -> str | None:
    return draft.key if isinstance(draft, Draft) else None


def _drafts(path: Path, text: str) -> tuple[str, list[Draft | Skipped]]:
    """The format readers, where hostile input lands: whatever they raise skips the file."""
    try:
        return read_drafts(path, text)
    except IngestError:
        raise
    except (MemoryError, RecursionError):
        raise IngestError("too large or too deeply nested to read") from None
    except Exception as exc:
        raise IngestError(f"cannot be read ({type(exc).__name__}: {exc})") from exc


def _nothing_usable(skipped: list[Skipped]) -> str:
    if len(skipped) == 1 and skipped[0].part is None:
        return skipped[0].reason
    shown = "; ".join(f"{s.part}: {s.reason}" for s in skipped[:SHOWN_REASONS])
    more = f"; and {len(skipped) - SHOWN_REASONS} more" if len(skipped) > SHOWN_REASONS else ""
    return f"no usable record ({shown}{more})"


def _headline(line: str) -> str:
    return normalise_spaces(line.lstrip("#"))


def article_from(draft: Draft, source_file: str, article_id: str) -> Article:
    """Clean a draft into an article: the same rules and readers for every format; what
    the file states (date, publication, language) wins over what the text suggests.
    The title is the first line that survives cleaning (a spam line or a byline above
    the headline never is); date and source are read from the text as it stood with
    its header lines (`clean_article`)."""
    paragraphs, with_headers = clean_article(draft.text)
    if not paragraphs:
        raise IngestError("no text left after cleaning")
    title = _headline(paragraphs[0])
    passages = tuple(p for p in paragraphs[1:] if normalise_spaces(p) != title)
    return Article(
        id=article_id,
        source_file=source_file,
        title=title,
        lang=stated_lang(draft.lang) or detect_lang("\n".join([title, *passages])),
        date=find_date(draft.date or "") or article_date(with_headers),
        source=draft.source or find_source("\n".join(with_headers)),
        passages=passages,
        url=draft.url,
    )


def article_files(folder: Path) -> list[Path]:
    """The files of a folder and its subfolders to read, in name order (see
    `corpus_search.folder`); IngestError if it is not a folder."""
    return [found.path for found in list_folder(folder).files]


def read_folder(folder: Path) -> IngestResult:
    """Read every article file in `folder`; unusable files go to `skipped` with a reason."""
    listing = list_folder(folder)
    result = IngestResult(skipped=list(listing.skipped))
    for found in listing.files:
        result.files_read += 1
        try:
            read = read_file(found.path, read_bytes(found.path), found.name)
        except IngestError as exc:
            result.skipped.append(Skipped(source_file=found.name, reason=str(exc)))
            continue
        result.articles += read.articles
        result.skipped += read.skipped
    result.skipped.sort(key=lambda s: s.source_file)
    return result
