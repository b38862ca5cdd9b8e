"""Article metadata read from the text: language/script, date, source and id.

* `detect_lang`: `en` unless Han characters make up a fair share of the letters;
  then `zh-Hant` or `zh-Hans` by counting characters that only one script uses
  (those `to_simplified` resp. `to_traditional` would change).
* `find_date`: the first full date stated (2021-11-05, 2021年11月5日,
  October 20th, 2016, 20 October 2016) as ISO `YYYY-MM-DD`.
* `find_source`: a `來源丨…`/`Source: …` header, else the publication named in
  an interview formula (`接受《阿里足跡》專訪`, `與《阿里足跡》的對答`).
* `stated_lang`: a language tag a file states (`zh-TW`, `zh_Hans`, `en-GB`) as
  one of the three the index knows, or None (then `detect_lang` decides).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date

from corpus_search.normalise import fold_width, to_simplified, to_traditional

__all__ = ["detect_lang", "find_date", "find_source", "is_date_line", "make_id", "stated_lang"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
MIN_HAN_SHARE = 0.25

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日號号]"),
    re.compile(rf"\b(?P<m>{_MONTH})\.?\s+{_DAY},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?P<m>{_MONTH})\.?,?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")


def detect_lang(text: str) -> str:
    """`zh-Hant`, `zh-Hans` or `en` for the given article text."""
    han = _HAN.findall(text)
    latin = len(_LATIN.findall(text))
    if not han or len(han) / (len(han) + latin) < MIN_HAN_SHARE:
        return "en"
    counts = Counter(han)
    traditional = sum(n for ch, n in counts.items() if to_simplified(ch) != ch)
    simplified = sum(n for ch, n in counts.items() if to_traditional(ch) != ch)
    return "zh-Hant" if traditional > simplified else "zh-Hans"


_TRADITIONAL_TAGS = frozenset({"zh-hant", "zh-tw", "zh-hk", "zh-mo"})
_SIMPLIFIED_TAGS = frozenset({"zh-hans", "zh-cn", "zh-sg", "zh-my"})


def stated_lang(tag: str | None) -> str | None:
    """`zh-Hant`, `zh-Hans` or `en` for a language tag, or None for any other (or
    plain `zh`, which does not say which script)."""
    folded = (tag or "").strip().replace("_", "-").lower()
    if folded == "en" or folded.startswith("en-"):
        return "en"
    heads = {folded[:5], folded[:7]}  # zh-tw, zh-hant
    if heads & _TRADITIONAL_TAGS:
        return "zh-Hant"
    if heads & _SIMPLIFIED_TAGS:
        return "zh-Hans"
    return None


def _month_number(value: str) -> int:
    return int(value) if value.isdigit() else _MONTHS[value.lower()]


def _dates(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, iso) for every valid full date in the text."""
    folded = fold_width(text)
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            try:
                found = date(int(match["y"]), _month_number(match["m"]), int(match["d"]))
            except ValueError:
                continue
            yield match.start(), match.end(), found.isoformat()


def find_date(text: str) -> str | None:
    """The first full date the text states, as `YYYY-MM-DD`, or None."""
    found = sorted(_dates(text))
    return found[0][2] if found else None


def is_date_line(line: str) -> bool:
    """True for a line that holds nothing but a date (and maybe a time)."""
    rest = fold_width(line)
    for start, end, _ in sorted(_dates(line), reverse=True):
        rest = rest[:start] + rest[end:]
    if rest == fold_width(line):
        return False
    return not any(ch.isalnum() for ch in _TIME.sub("", rest))


_SOURCE_HEADER = re.compile(r"^\s*(?:來源|来源|出處|出处|source)\s*[丨|:]\s*(?P<name>.+)$", re.I)
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_INTERVIEW = re.compile(
    r"(?P<name>《[^《》\n]{1,30}》)\s*(?:的|之)?\s*(?:獨家|独家)?\s*"
    r"(?:專訪|专访|採訪|采访|訪問|访问|對答|对答|對話|对话|訪談|访谈|記者|记者)"
)


def _header_source(lines: Iterable[str]) -> str | None:
    for line in lines:
        match = _SOURCE_HEADER.match(fold_width(line))
        if match:
            name = _TRAILING_NOTE.sub("", match["name"]).strip(" :;,.")
            if name:
                return name
    return None


def find_source(text: str) -> str | None:
    """The publication the text names as its source, or None (see module docstring)."""
    header = _header_source(text.splitlines())
    if header:
        return header
    match = _INTERVIEW.search(text)
    return match["name"] if match else None


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def make_id(stem: str) -> str:
    """A stable, URL-safe id from a file stem; a short hash keeps lossy ids unique."""
    folded = unicodedata.normalize("NFKC", stem)
    safe = _UNSAFE.sub("-", folded).strip("-.")
    if safe == stem:
        return safe
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
    return f"{safe}-{digest}" if safe else digest
