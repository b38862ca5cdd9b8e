"""Link lists: "Related reading" tails and "more info, click:" lead-ins.

A related-reading marker (`- Related reading`, `延伸閱讀:`, `相關閱讀`...) near the
end of an article, or followed mostly by link-like lines, ends the article: the
marker and everything after it go. Elsewhere, the marker and a lead-in such as
`欲了解更多「雲上時裝周」資訊,可點入:` go together with the link titles that
follow (short lines without sentence-final punctuation, or bulleted lines).
A trailing run of bulleted headlines (`- Instant news | Is There Any Future For
Department Stores?`) goes even without a marker.
"""

from __future__ import annotations

import re

from corpus_search.cleaning.base import ends_sentence, match_key

__all__ = [
    "cut_related_reading",
    "drop_trailing_headlines",
    "is_bulleted_headline",
    "drop_link_lead_ins",
    "is_lead_in",
    "is_link_title",
    "is_related_marker",
]

RELATED_MARKERS = frozenset(
    {
        "related reading",
        "related articles",
        "related stories",
        "related news",
        "further reading",
        "延伸閱讀",
        "相關閱讀",
        "相關文章",
        "相關新聞",
        "推薦閱讀",
        "更多閱讀",
    }
)
LEAD_IN_KEYWORDS = (
    "了解更多",
    "可點入",
    "點擊進入",
    "請點擊",
    "詳情請",
    "更多資訊",
    "for more information",
    "for more details",
    "click here",
)
MAX_LINK_TITLE_CHARS = 40
MAX_LINKS = 12
TAIL_FRACTION = 0.5
_BULLET = re.compile(r"^\s*(\|?\s*[-*•·]|\d+[.)、])\s+")
_HEADLINE_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
MIN_TRAILING_HEADLINES = 3
TITLE_CASE_SHARE = 0.75
_DECORATION = re.compile(r"^[\s|*•·#>\-]+|[\s:]+$")


def is_related_marker(line: str) -> bool:
    """True for a "Related reading" / 延伸閱讀 heading, bullets and colon ignored."""
    return _DECORATION.sub("", match_key(line)) in RELATED_MARKERS


def is_lead_in(line: str) -> bool:
    """True for a "for more, click:" line that introduces a list of links."""
    key = match_key(line).rstrip()
    return key.endswith(":") and any(keyword in key for keyword in LEAD_IN_KEYWORDS)


def is_link_title(line: str) -> bool:
    """True for a bulleted line, or a short line with no sentence-final punctuation."""
    if _BULLET.match(line):
        return True
    return len(line) <= MAX_LINK_TITLE_CHARS and not ends_sentence(line)


def _ends_article(lines: list[str], index: int) -> bool:
    rest = lines[index + 1 :]
    links = sum(1 for line in rest if is_link_title(line))
    return index >= len(lines) * TAIL_FRACTION or links >= len(rest) * 0.6


def _skip_links(lines: list[str], start: int) -> int:
    end = start
    while end < len(lines) and end - start < MAX_LINKS and is_link_title(lines[end]):
        end += 1
    return end


def cut_related_reading(lines: list[str]) -> list[str]:
    """Rule: remove a related-reading list (and, at the end, all that follows it)."""
    kept: list[str] = []
    index = 0
    while index < len(lines):
        if index and is_related_marker(lines[index]):
            if _ends_article(lines, index):
                break
            index = _skip_links(lines, index + 1)
            continue
        kept.append(lines[index])
        index += 1
    return kept


def drop_link_lead_ins(lines: list[str]) -> list[str]:
    """Rule: remove "more info" lead-ins together with the link titles after them."""
    kept: list[str] = []
    index = 0
    while index < len(lines):
        if index and is_lead_in(lines[index]):
            index = _skip_links(lines, index + 1)
            continue
        kept.append(lines[index])
        index += 1
    return kept


def is_bulleted_headline(line: str) -> bool:
    """True for a bulleted link headline: `- Section | Headline` or a Title Case line."""
    match = _BULLET.match(line)
    if not match:
        return False
    text = line[match.end() :]
    if " | " in text:
        return True
    words = _HEADLINE_WORD.findall(text)
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(words) >= 3 and capitalised >= len(words) * TITLE_CASE_SHARE


def drop_trailing_headlines(lines: list[str]) -> list[str]:
    """Rule: drop a run of three or more bulleted headlines at the end of the article."""
    end = len(lines)
    while end > 1 and is_bulleted_headline(lines[end - 1]):
        end -= 1
    return lines[:end] if len(lines) - end >= MIN_TRAILING_HEADLINES else lines
