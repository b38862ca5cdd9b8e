"""Script and width folding: the only module that imports OpenCC.

Every piece of Chinese text, indexed or queried, goes through `to_canonical`:
NFKC folding (full-width letters and digits, ideographic spaces) followed by
OpenCC's Simplified->Taiwan-phrase conversion and back (s2twp then tw2sp).
The round trip lands Simplified, Hong Kong/Traditional and Taiwan-vocabulary
text on one Simplified form: 張勇/张勇 -> 张勇, 維吉尼亞州/弗吉尼亚州 -> 弗吉尼亚州,
釋出/发布 -> 发布, 軟體/软件 -> 软件.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

import opencc

__all__ = [
    "HAN",
    "canonical_many",
    "canonical_with_offsets",
    "fold_width",
    "to_canonical",
    "to_simplified",
    "to_traditional",
    "canonical_key",
    "canonical_keys",
]

# Han characters, as a regex class body: the unified ideographs with extension A,
# the compatibility block, and extensions B on (U+20000-U+3134F, where OpenCC has
# twins of common characters too). Every stage uses this one definition.
HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{HAN}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Between texts converted in one call: OpenCC's phrases never hold it, so each
# text comes back as it would alone (a call costs about 15 us before any text).
_BETWEEN = "\x01"


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def fold_width(text: str) -> str:
    """NFKC-fold full-width forms and turn NBSP/ideographic spaces into spaces."""
    return unicodedata.normalize("NFKC", text).replace("\u00a0", " ")


def to_canonical(text: str) -> str:
    """The one normal form used for indexing and querying (see module docstring)."""
    return _round_trip(fold_width(text))


def _convert(config: str, text: str) -> str:
    """OpenCC's conversion, safe for any string: OpenCC reads a C string (it would
    stop at a NUL) of UTF-8 (a lone surrogate cannot be encoded, so it becomes
    U+FFFD, one character for one). The length of the text is kept."""
    if "\x00" in text:
        return "\x00".join(_convert(config, part) for part in text.split("\x00"))
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return str(_converter(config).convert(text))


def _round_trip(text: str) -> str:
    if not _HAN.search(text):
        return text
    return _convert("tw2sp", _convert("s2twp", text))


def to_simplified(text: str) -> str:
    """Display conversion to Simplified script (no vocabulary changes)."""
    return _convert("t2s", text)


def to_traditional(text: str) -> str:
    """Display conversion to Traditional script (no vocabulary changes)."""
    return _convert("s2t", text)


def canonical_key(text: str) -> str:
    """A lookup key for names: canonical script, lower case, single spaces."""
    return " ".join(to_canonical(text).lower().split())


def canonical_keys(texts: Sequence[str]) -> list[str]:
    """`canonical_key` of each text, the scripts converted in one call."""
    converted = _batch(to_canonical, texts)
    if converted is None:
        return [canonical_key(text) for text in texts]
    return [" ".join(text.lower().split()) for text in converted]


def _batch(convert: Callable[[str], str], texts: Sequence[str]) -> list[str] | None:
    """``convert`` applied to each text in one call; None where that cannot be done
    (a text holding the separator, or a conversion that lost one)."""
    if not texts or any(_BETWEEN in text for text in texts):
        return None
    converted = convert(_BETWEEN.join(texts)).split(_BETWEEN)
    return converted if len(converted) == len(texts) else None


_BREAK = r"[\n。！？!?；;，,、：:\s]"
_PIECE = re.compile(rf"(?:(?!{_BREAK}).)+{_BREAK}*|{_BREAK}+")


# Characters `fold_width` leaves as they are, one by one (ASCII is never folded here):
# runs of them are copied whole; the others (full-width forms such as ，：？) one by one.
_KEPT_RUN = re.compile("[\x00-\x7f\u3001-\u3003\u3008-\u3011\u3400-\u4dbf\u4e00-\u9fff]+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold_width(ch)


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold_width` character by character, so each output character knows its source."""
    if "\u00a0" not in text and unicodedata.is_normalized("NFKC", text):
        return text, list(range(len(text)))  # nothing to fold: the common case
    out: list[str] = []
    offsets: list[int] = []
    done = 0
    for run in _KEPT_RUN.finditer(text):
        _fold_each(text, done, run.start(), out, offsets)
        out.append(run.group())
        offsets.extend(range(run.start(), run.end()))
        done = run.end()
    _fold_each(text, done, len(text), out, offsets)
    return "".join(out), offsets


def _fold_each(text: str, start: int, end: int, out: list[str], offsets: list[int]) -> None:
    for i in range(start, end):
        folded = _fold_char(text[i])
        out.append(folded)
        offsets.extend([i] * len(folded))


def canonical_with_offsets(text: str) -> tuple[str, list[int]]:
    """`to_canonical(text)` plus, for each of its characters, the offset of the
    source character it came from, so that matches can be highlighted in the
    text as written. Width folding is mapped exactly, character by character; a
    script conversion that changes a piece's length is mapped proportionally
    within that piece."""
    folded, source = _fold_with_offsets(text)
    whole = _round_trip(folded)
    if len(whole) == len(folded):
        return whole, source
    out: list[str] = []
    offsets: list[int] = []
    for match in _PIECE.finditer(folded):
        piece, start = match.group(), match.start()
        converted = _round_trip(piece)
        out.append(converted)
        ratio = len(piece) / max(len(converted), 1)
        offsets.extend(source[start + int(i * ratio)] for i in range(len(converted)))
    return "".join(out), offsets


def canonical_many(texts: Sequence[str]) -> list[tuple[str, list[int]]]:
    """`canonical_with_offsets` of each text, the scripts converted in one call where
    that keeps each text's length (else that text is converted alone, as it says)."""
    folded = [_fold_with_offsets(text) for text in texts]
    converted = _batch(_round_trip, [text for text, _ in folded])
    if converted is None:
        return [canonical_with_offsets(text) for text in texts]
    return [
        (whole, source) if len(whole) == len(text) else canonical_with_offsets(original)
        for original, (text, source), whole in zip(texts, folded, converted, strict=True)
    ]
