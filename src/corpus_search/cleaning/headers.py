"""Header lines: who wrote the article, for whom and when, and a section label.

Their content is metadata (`corpus_search.metadata` reads date and source from the
text as it stands just before `drop_header_lines`), not article text:

* labelled lines (`來源丨…`, `作者丨…`, `Source: …`, `Editor: …`);
* bylines (`By Jane Doe, The Harbour Times`), reporter credits
  (`港島日報記者陳美玲／香港報導`, `（记者 黄丽娟 杭州报道）`) and date lines
  (`2023年6月2日 10:20`, `Published: Jun. 2, 2023`), recognised by
  `corpus_search.metadata`; a bracketed credit at the start of a paragraph
  (`〔記者林志豪／台中報導〕台中市政府…`) is cut off the paragraph;
* a section label under the headline (`行業趨勢`, `财经观察`): two to eight Han
  characters with no punctuation, directly under the headline *and* directly
  above another header line, so it belongs to the header block. The same short
  line followed by the article's text is a lede and stays.
"""

from __future__ import annotations

import re

from corpus_search.cleaning.base import match_key
from corpus_search.metadata import is_byline, is_credit_line, is_date_line, leading_credit

__all__ = [
    "drop_category_line",
    "drop_header_lines",
    "is_category_label",
    "is_header_line",
]

_HEADER = re.compile(
    r"^(來源|來自|出處|作者|文|撰文|編輯|責編|責任編輯|記者|攝影|source|author|editor|by)"
    r"\s*[丨|:]"
)
MAX_HEADER_CHARS = 60
MAX_CATEGORY_CHARS = 8
_CATEGORY = re.compile(rf"[\u3400-\u9fff]{{2,{MAX_CATEGORY_CHARS}}}")


def is_header_line(line: str) -> bool:
    """True for a short byline/source line, a reporter credit or a date line."""
    if len(line) > MAX_HEADER_CHARS:
        return False
    if _HEADER.match(match_key(line).strip()):
        return True
    return is_date_line(line) or is_byline(line) or is_credit_line(line)


def _without_credit(line: str) -> str:
    credit = leading_credit(line)
    return line.strip()[len(credit) :].strip() if credit else line


def drop_header_lines(lines: list[str]) -> list[str]:
    """Rule: drop header lines, and cut a bracketed reporter credit off the paragraph
    it starts (see module docstring)."""
    kept = (_without_credit(line) for line in lines if not is_header_line(line))
    return [line for line in kept if line]


def is_category_label(line: str) -> bool:
    """True for a line of two to eight Han characters and nothing else."""
    return _CATEGORY.fullmatch(line) is not None


def drop_category_line(lines: list[str]) -> list[str]:
    """Rule: drop a section label directly under the headline when a header line
    (date, byline, source, credit) follows it; a short lede followed by text stays."""
    if len(lines) > 2 and is_category_label(lines[1]) and is_header_line(lines[2]):
        return [lines[0], *lines[2:]]
    return lines
