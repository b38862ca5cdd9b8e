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
from functools import lru_cache

import opencc

__all__ = [
    "canonical_with_offsets",
    "fold_width",
    "to_canonical",
    "to_simplified",
    "to_traditional",
    "canonical_key",
]

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def fold_width(text: str) -> str:
    """NFKC-fold full-width forms and turn NBSP/ideographic spaces into spaces."""
    return unicodedata.normalize("NFKC", text).replace("\u00a0", " ")


def to_canonical(text: str) -> str:
    """The one normal form used for indexing and querying (see module docstring)."""
    text = fold_width(text)
    if not _HAN.search(text):
        return text
    return _converter("tw2sp").convert(_converter("s2twp").convert(text))


def to_simplified(text: str) -> str:
    """Display conversion to Simplified script (no vocabulary changes)."""
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Display conversion to Traditional script (no vocabulary changes)."""
    return _converter("s2t").convert(text)


def canonical_key(text: str) -> str:
    """A lookup key for names: canonical script, lower case, single spaces."""
    return " ".join(to_canonical(text).lower().split())


_PIECE = re.compile(
    r"[^\n。！？!?；;，,、：:\s]+[\n。！？!?；;，,、：:\s]*|[\n。！？!?；;，,、：:\s]+"
)


def canonical_with_offsets(text: str) -> tuple[str, list[int]]:
    """`to_canonical(text)` plus, for each of its characters, the offset of the
    source character it came from, so that matches can be highlighted in the
    text as written. Conversions that change a piece's length are mapped
    proportionally within that piece."""
    whole = to_canonical(text)
    if len(whole) == len(text):
        return whole, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    for match in _PIECE.finditer(text):
        piece, start = match.group(), match.start()
        converted = to_canonical(piece)
        out.append(converted)
        if len(converted) == len(piece):
            offsets.extend(range(start, start + len(piece)))
        else:
            ratio = len(piece) / max(len(converted), 1)
            offsets.extend(start + int(i * ratio) for i in range(len(converted)))
    return "".join(out), offsets
