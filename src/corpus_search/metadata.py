"""Article metadata read from the text: language/script, date, source and id.

* `detect_lang`: `en` unless Han characters make up a fair share of the letters;
  then `zh-Hant` or `zh-Hans` by counting characters that only one script uses
  (those `to_simplified` resp. `to_traditional` would change).
* `find_date`: the first full date a short text states (2023-06-02, 2023/6/2,
  2023年6月2日, June 2, 2023, Jun. 2, 2023, 2 June 2023, October 20th, 2016)
  as ISO `YYYY-MM-DD`; `article_date`: the date an article states for itself,
  from a date line or a dateline near the top, never from a quotation.
* `find_source`: a `來源丨…`/`Source: …` header, a byline (`By Jane Doe, The
  Harbour Times`), a reporter credit (`港島日報記者陳美玲／香港報導`), else the
  publication named in a report or interview formula (`據「海峽週報」報導`,
  `接受《阿里足跡》專訪`); a name in 「」 is shown in 《》.
* `stated_lang`: a language tag a file states (`zh-TW`, `zh_Hans`, `en-GB`) as
  one of the three the index knows, or None (then `detect_lang` decides).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cache

from corpus_search.normalise import fold_width, to_simplified, to_traditional

__all__ = [
    "article_date",
    "byline_publication",
    "detect_lang",
    "find_date",
    "find_source",
    "is_byline",
    "is_credit_line",
    "is_date_line",
    "leading_credit",
    "make_id",
    "reporter_credit",
    "stated_lang",
]

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
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?", re.IGNORECASE)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
_DATE_EXTRAS = re.compile(  # weekdays, time zones, 上午/下午 and brackets
    rf"(?i:\b(?:{_WEEKDAYS})\b\.?)|(?:星期|週|周|禮拜|礼拜)[一二三四五六日天]|\b[A-Z]{{2,4}}\b"
    r"|[上下]午|[()\[\]【】,]",
)
_DATE_LABEL = re.compile(  # `Published:`, `發佈時間：`, or any short label with a colon
    r"^\s*(?:(?:published|updated|posted|dated?|發佈於|發布於|发布于|更新於|更新于)\b\s*:?"
    r"|[^\s:]{1,12}\s*:)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"「[^」]*」|『[^』]*』|“[^”]*”|\"[^\"]*\"")
DATELINE_LINES = 3  # a dateline is looked for in this many lines after the headline,
DATELINE_CHARS = 40  # at the start of the line

_SOURCE_HEADER = re.compile(r"^\s*(?:來源|来源|出處|出处|source)\s*[丨|:]\s*(?P<name>.+)$", re.I)
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_INTERVIEW = re.compile(
    r"(?P<name>《[^《》\n]{1,30}》)\s*(?:的|之)?\s*(?:獨家|独家)?\s*"
    r"(?:專訪|专访|採訪|采访|訪問|访问|對答|对答|對話|对话|訪談|访谈|記者|记者)"
)
_REPORT = re.compile(
    r"(?:據|据|根據|根据)\s*[^\s,，。「《]{0,6}(?P<name>《[^《》\n]{1,20}》|「[^「」\n]{2,20}」)"
    r"\s*(?:\d{1,2}月\d{1,2}日)?\s*的?\s*(?:報導|報道|报道)"
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_BYLINE = re.compile(
    rf"^[Bb][Yy]\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*?)"
    r"(?:\s*[,|/]\s*(?P<after>[^.!?]+?))?\s*$"
)
_ROLE_WORDS = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|staff|contributor|columnist|intern"
    r"|photographer|analyst|bureau|chief|senior|special)s?\b",
    re.IGNORECASE,
)
MAX_BYLINE_CHARS = 80
_HAN_NAME = r"[\u4e00-\u9fff]{2,4}"
_CREDIT = re.compile(  # matched on the line as written: both widths of brackets
    r"(?P<open>[\[【〔(（])?\s*(?P<pub>《[^《》]{1,20}》|[^\s\[【〔(（《記记]{2,12}?)?\s*(?:記者|记者)\s*"
    rf"{_HAN_NAME}(?:\s*[、,，]\s*{_HAN_NAME})*\s*[/／]?\s*[\u4e00-\u9fff]{{0,6}}?"
    r"(?:\d{1,2}日)?\s*(?:綜合報導|综合报道|報導|報道|报道|電|电)\s*(?P<close>[\]】〕)）])?"
)
_SELF = frozenset({"本報", "本报", "本台", "本網", "本网", "本刊", "本社"})


def detect_lang(text: str) -> str:
    """`zh-Hant`, `zh-Hans` or `en` for the given article text."""
    counts = Counter(text)  # characters counted once, then judged once each
    han = {ch: n for ch, n in counts.items() if _HAN.match(ch)}
    latin = sum(n for ch, n in counts.items() if _LATIN.match(ch))
    total = sum(han.values())
    if not total or total / (total + latin) < MIN_HAN_SHARE:
        return "en"
    traditional = sum(n for ch, n in han.items() if _scripts(ch)[0])
    simplified = sum(n for ch, n in han.items() if _scripts(ch)[1])
    return "zh-Hant" if traditional > simplified else "zh-Hans"


@cache  # a few thousand characters in any archive
def _scripts(ch: str) -> tuple[bool, bool]:
    """Is the character written otherwise in Simplified script, in Traditional?"""
    return to_simplified(ch) != ch, to_traditional(ch) != ch


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
    """True for a line that holds nothing but a date, and maybe a time, a weekday, a
    time zone and a label (`Published: Jun. 2, 2023`, `2023年6月2日（星期五）`)."""
    folded = fold_width(line)
    rest = folded
    for start, end, _ in sorted(_dates(line), reverse=True):
        rest = rest[:start] + rest[end:]
    if rest == folded:
        return False
    rest = _DATE_LABEL.sub("", _DATE_EXTRAS.sub(" ", _TIME.sub(" ", rest)))
    return not any(ch.isalnum() for ch in rest)


def _unquoted(text: str) -> str:
    """The text with every quotation blanked out (same length, so offsets hold)."""
    return _QUOTED.sub(lambda m: " " * len(m[0]), fold_width(text))


def article_date(lines: Sequence[str]) -> str | None:
    """The date an article states for itself: its first date line, else a dateline at
    the start of one of the first lines after the headline (`LISBON, 2 June 2023 -`),
    never a date inside a quotation; None when there is neither."""
    for line in lines:
        if is_date_line(line):
            return find_date(line)
    for line in lines[: DATELINE_LINES + 1]:
        found = find_date(_unquoted(line)[:DATELINE_CHARS])
        if found:
            return found
    return None


def _clean_name(name: str) -> str:
    return _TRAILING_NOTE.sub("", name).strip(" :;,.")


def _header_source(lines: Iterable[str]) -> str | None:
    for line in lines:
        match = _SOURCE_HEADER.match(fold_width(line))
        if match and _clean_name(match["name"]):
            return _clean_name(match["name"])
    return None


def byline_publication(line: str) -> str | None:
    """The publication of a byline (`By Jane Doe, The Harbour Times`,
    `By Omar Haddad | Coastline Daily`); None for a role (`Staff Writer`) or none."""
    match = _BYLINE.match(fold_width(line).strip())
    if not match or not match["after"]:
        return None
    after = _clean_name(match["after"])
    return None if not after or _ROLE_WORDS.search(after) else after


def is_byline(line: str) -> bool:
    """True for a short `By Name[, Publication]` line (no sentence)."""
    text = fold_width(line).strip()
    return len(text) <= MAX_BYLINE_CHARS and _BYLINE.match(text) is not None


def reporter_credit(line: str) -> re.Match[str] | None:
    """The reporter credit the line starts with (`港島日報記者陳美玲／香港報導`,
    `〔記者林志豪／台中報導〕`, `（记者 黄丽娟 杭州报道）`), or None; matched on the
    line as written."""
    return _CREDIT.match(line.strip())


def is_credit_line(line: str) -> bool:
    """True for a line that is a reporter credit and nothing else."""
    match = reporter_credit(line)
    return match is not None and match.end() == len(line.strip())


def leading_credit(line: str) -> str:
    """The bracketed reporter credit a paragraph starts with (`〔記者林志豪／台中報導〕`),
    as written, or '' (a credit without brackets is only read as a line of its own)."""
    match = reporter_credit(line)
    if match is None or not match["open"] or not match["close"]:
        return ""
    return line.strip()[: match.end()]


def _credit_source(lines: Iterable[str]) -> str | None:
    for line in lines:
        if not (is_credit_line(line) or leading_credit(line)):
            continue
        match = reporter_credit(line)
        if match and match["pub"] and match["pub"] not in _SELF:
            return match["pub"]
    return None


def _byline_source(lines: Iterable[str]) -> str | None:
    for line in lines:
        if is_byline(line) and (found := byline_publication(line)):
            return found
    return None


def _publication(name: str) -> str:
    """A name in 「」 is shown in 《》, as publication names are written."""
    return f"《{name[1:-1]}》" if name.startswith("「") else name


def find_source(text: str) -> str | None:
    """The publication the text names as its source, or None (see module docstring)."""
    lines = text.splitlines()
    found = _header_source(lines) or _byline_source(lines) or _credit_source(lines)
    if found:
        return found
    match = _REPORT.search(text) or _INTERVIEW.search(text)
    return _publication(match["name"]) if match else None


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def make_id(stem: str) -> str:
    """A stable, URL-safe id from a file stem; a short hash keeps lossy ids unique."""
    folded = unicodedata.normalize("NFKC", stem)
    safe = _UNSAFE.sub("-", folded).strip("-.")
    if safe == stem:
        return safe
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
    return f"{safe}-{digest}" if safe else digest
