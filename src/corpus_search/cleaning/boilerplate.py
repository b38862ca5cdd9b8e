"""Page furniture that is not article text: disclaimers, share buttons, page-break
markers, source/author/date header lines, a category label under the headline and
a trailing line of tags.

Keywords are written once in Traditional script; lines are compared through
`match_key` (width, case and script folded), so Simplified lines match too.
"""

from __future__ import annotations

import re

from corpus_search.cleaning.base import ends_sentence, has_han, match_key
from corpus_search.metadata import is_date_line

__all__ = [
    "drop_buttons",
    "drop_category_line",
    "drop_disclaimers",
    "drop_header_lines",
    "drop_trailing_tags",
    "is_button_line",
    "is_disclaimer",
    "is_header_line",
    "is_tag_line",
    "remove_page_markers",
]

DISCLAIMER_KEYWORDS = (
    "免責聲明",
    "本文僅代表作者觀點",
    "如需轉載",
    "版權歸原創者所有",
    "版權歸原作者所有",
    "轉載請註明",
    "未經授權不得轉載",
    "disclaimer:",
    "all rights reserved",
)
BUTTON_LINES = frozenset(
    {"分享", "分享到", "點擊閱讀原文", "閱讀原文", "點擊查看原文", "查看原文", "share", "read more"}
)
_PAGE_MARKER = re.compile(r"\{\s*page_?break\s*\}|<!--\s*pagebreak\s*-->", re.IGNORECASE)
_HEADER = re.compile(
    r"^(來源|來自|出處|作者|文|撰文|編輯|責編|責任編輯|記者|攝影|source|author|editor|by)"
    r"\s*[丨|:]"
)
_NOT_WORD = re.compile(r"[\W_]+")
MAX_HEADER_CHARS = 60
MAX_CATEGORY_CHARS = 8
MAX_TAG_CHARS = 12
_CATEGORY = re.compile(rf"[\u3400-\u9fff]{{2,{MAX_CATEGORY_CHARS}}}")


def is_disclaimer(line: str) -> bool:
    """True for copyright/reprint disclaimers (免責聲明, 如需轉載, 版權歸原創者所有...)."""
    key = match_key(line)
    return any(keyword in key for keyword in DISCLAIMER_KEYWORDS)


def drop_disclaimers(lines: list[str]) -> list[str]:
    """Rule: drop disclaimer lines."""
    return [line for line in lines if not is_disclaimer(line)]


def is_button_line(line: str) -> bool:
    """True for a line that is only a share/read-the-original button label."""
    return _NOT_WORD.sub(" ", match_key(line)).strip() in BUTTON_LINES


def drop_buttons(lines: list[str]) -> list[str]:
    """Rule: drop button labels such as 分享 and 點擊閱讀原文."""
    return [line for line in lines if not is_button_line(line)]


def remove_page_markers(lines: list[str]) -> list[str]:
    """Rule: remove `{page_break}` markers; a line left empty is dropped."""
    stripped = (_PAGE_MARKER.sub(" ", line).strip() for line in lines)
    return [line for line in stripped if line]


def is_header_line(line: str) -> bool:
    """True for a short byline/source line (來源丨…, 作者丨…, Source: …) or a lone date."""
    if len(line) > MAX_HEADER_CHARS:
        return False
    return _HEADER.match(match_key(line).strip()) is not None or is_date_line(line)


def drop_header_lines(lines: list[str]) -> list[str]:
    """Rule: drop header lines; their content is read by `corpus_search.metadata`."""
    return [line for line in lines if not is_header_line(line)]


def drop_category_line(lines: list[str]) -> list[str]:
    """Rule: drop a lone category label (2-8 Han, no punctuation) right under the headline."""
    if len(lines) > 2 and _CATEGORY.fullmatch(lines[1]):
        return [lines[0], *lines[2:]]
    return lines


def is_tag_line(line: str) -> bool:
    """True for a line of three or more short space-separated tags and no punctuation.

    Tags are Han words or capitalised names, so a short English sentence is not one.
    """
    tokens = line.split()
    if len(tokens) < 3 or ends_sentence(line):
        return False
    if any(len(token) > MAX_TAG_CHARS or not token.isalnum() for token in tokens):
        return False
    named = [t for t in tokens if has_han(t) or t[0].isupper() or t[0].isdigit()]
    return len(named) == len(tokens)


def drop_trailing_tags(lines: list[str]) -> list[str]:
    """Rule: drop the last paragraph if it is a line of tags (see `is_tag_line`)."""
    if len(lines) > 1 and is_tag_line(lines[-1]):
        return lines[:-1]
    return lines
