"""Bytes -> text, with the encoding that read them, or why they are not text.

In order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); NUL bytes mean
UTF-16 without a mark, or a binary file; then strict UTF-8, the common case and
the fastest; then charset-normalizer, limited to the encodings Chinese news
comes in besides Unicode (GB18030 and its subsets GBK and GB2312, Big5 and its
extensions). Whatever decodes must still read as text: a file with more than a
few control characters is binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from corpus_search.errors import IngestError

__all__ = ["CANDIDATES", "Decoded", "decode"]

CANDIDATES = ("gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs")
_SUPERSET = {"gbk": "gb18030", "gb2312": "gb18030"}  # decode with the superset
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # not tab, newlines, form feed
CONTROL_SHARE = 0.01  # more control characters than this: a binary file
PLAIN_SHARE = 0.9  # UTF-16 without a mark: this share of ordinary characters at least
_NOT_PLAIN = re.compile(r"[^\t-~\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
UNSUPPORTED = "not UTF-8, UTF-16, GB18030 or Big5 text"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec that decoded it, e.g. "utf-8", "utf-16", "big5"


def decode(data: bytes) -> Decoded:
    """The text of a file's bytes; IngestError for binary or undecodable content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding)
    if b"\x00" in data:
        return _utf16_without_bom(data)
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid byte 0x{data[exc.start]:02x} at offset {exc.start}"
    encoding = _detect(data)
    if encoding is None:
        raise IngestError(f"{UNSUPPORTED} ({utf8_error})")
    return _strict(data, encoding)


def _strict(data: bytes, encoding: str) -> Decoded:
    try:
        return _checked(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid {encoding.upper()} text: {exc.reason}") from exc


def _checked(text: str, encoding: str) -> Decoded:
    controls = _count(_CONTROL, text)
    if controls > len(text) * CONTROL_SHARE:
        raise IngestError(f"binary file ({controls} control characters as {encoding})")
    return Decoded(text, encoding)


def _utf16_without_bom(data: bytes) -> Decoded:
    """UTF-16 without a byte-order mark, if one byte order reads as ordinary text
    (ASCII, Han, CJK and full-width punctuation); else the NUL bytes mean binary."""
    best, share = None, PLAIN_SHARE
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            decoded = _checked(data.decode(encoding), encoding)
        except (UnicodeDecodeError, IngestError):
            continue
        found = _plain_share(decoded.text)
        if found > share:
            best, share = decoded, found
    if best is None:
        raise IngestError("binary file (contains NUL bytes)")
    return best


def _plain_share(text: str) -> float:
    return 1 - _count(_NOT_PLAIN, text) / max(1, len(text))


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def _detect(data: bytes) -> str | None:
    """The Chinese encoding charset-normalizer finds most plausible, if any."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is None:
        return None
    name = best.encoding.replace("_", "-").lower()
    return _SUPERSET.get(name, name)
