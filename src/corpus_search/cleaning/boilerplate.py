"""Page furniture that is not article text: share buttons and page-break markers.

Button labels are written once in Traditional script; lines are compared through
`match_key` (width, case and script folded), so Simplified lines match too.
"""

from __future__ import annotations

import re

from corpus_search.cleaning.base import match_key

__all__ = [
    "drop_buttons",
    "is_button_line",
    "remove_page_markers",
]

BUTTON_LINES = frozenset(
    {"分享", "分享到", "點擊閱讀原文", "閱讀原文", "點擊查看原文", "查看原文", "share", "read more"}
)
_PAGE_MARKER = re.compile(r"\{\s*page_?break\s*\}|<!--\s*pagebreak\s*-->", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


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
