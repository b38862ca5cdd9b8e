"""Link lists: reading/related lists and "more info, click:" lead-ins.

A reading list is a heading line followed by headline-like lines (bulleted, or
short with no sentence-final punctuation, or an English Title Case headline):

* at the end of the article (`drop_trailing_reading_list`): the heading and the
  headlines after it go when the heading is a reading heading (`相關閱讀：`,
  `推荐阅读`, `猜你喜歡`, `Recommended reading:`, `More from X`, `You may also
  like` …), or when it is a short label (no colon, a few words) that starts the
  run of headline-like lines ending the article, and neither it nor any of the two
  or more headlines after it shares vocabulary with the article
  (`編輯精選`, `Editor's Picks` over unrelated headlines). A lead-in sentence
  such as `The winners were:` or `食堂本周的午餐菜单：` introduces content and stays;
* elsewhere (`drop_reading_lists`): a reading heading and the headlines right
  after it go; the text after them stays, wherever in the article they are.

A lead-in such as `欲了解更多「雲上時裝周」資訊,可點入:` goes together with the
link titles that follow. A trailing run of bulleted headlines (`- Instant news |
Is There Any Future For Department Stores?`) goes even without a heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus_search.cleaning.base import ends_sentence, has_han, is_latin_text, match_key
from corpus_search.cleaning.vocabulary import is_unrelated, terms

__all__ = [
    "drop_link_lead_ins",
    "drop_reading_lists",
    "drop_trailing_headlines",
    "drop_trailing_reading_list",
    "is_bulleted_headline",
    "is_headline_like",
    "is_label",
    "is_lead_in",
    "is_reading_heading",
    "is_related_marker",
]

_READING_HEADING = re.compile(
    r"(?:延伸|相關|推薦|更多|熱門|其他|往期)(?:閱讀|文章|新聞|報導|報道|推薦|連結|鏈接)"
    r"|猜你喜歡|你(?:可能|或許|也許)(?:也|還)?(?:會)?(?:喜歡|感興趣|想看)|看更多"
    r"|(?:related|recommended|suggested|further|more|additional|popular)"
    r"(?: (?:reading|articles?|stories|news|posts|links|coverage|content|headlines))?"
    r"|read (?:more|also|next)|more (?:from|on|in) .{1,40}|see also|don't miss"
    r"|you (?:may|might) (?:also )?(?:like|enjoy)|(?:most|top) (?:read|popular|viewed|stories)"
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
MAX_HEADLINE_WORDS = 16
MAX_LABEL_WORDS = 4
MAX_LABEL_CHARS = 8
MAX_LINKS = 12
MIN_UNRELATED_HEADLINES = 2
_BULLET = re.compile(r"^\s*(\|?\s*[-*•·]|\d+[.)、])\s+")
_HEADLINE_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
MIN_TRAILING_HEADLINES = 3
TITLE_CASE_SHARE = 0.75
_DECORATION = re.compile(r"^[\s|*•·#>\-]+|[\s:]+$")


def is_reading_heading(line: str) -> bool:
    """True for a reading/related heading (`延伸閱讀:`, `- Related reading`, `More from X`)."""
    key = _DECORATION.sub("", match_key(line))
    return len(key) <= 50 and _READING_HEADING.fullmatch(key) is not None


is_related_marker = is_reading_heading  # the name scripts/make-corpus imports


def is_lead_in(line: str) -> bool:
    """True for a "for more, click:" line that introduces a list of links."""
    key = match_key(line).rstrip()
    return key.endswith(":") and any(keyword in key for keyword in LEAD_IN_KEYWORDS)


def _is_title_case(text: str) -> bool:
    words = _HEADLINE_WORD.findall(text)
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(words) >= 3 and capitalised >= len(words) * TITLE_CASE_SHARE


def is_headline_like(line: str) -> bool:
    """True for a bulleted line, a short line with no sentence-final punctuation, or
    an English Title Case headline of one sentence."""
    if _BULLET.match(line):
        return True
    if is_latin_text(line):
        if len(line.split()) > MAX_HEADLINE_WORDS:
            return False
        return not ends_sentence(line) or _is_title_case(line)
    return len(line) <= MAX_LINK_TITLE_CHARS and not ends_sentence(line) and "。" not in line


def is_label(line: str) -> bool:
    """True for a short heading that labels rather than introduces: a few words, no
    colon, no sentence (`編輯精選`, `Editor's Picks`)."""
    text = _DECORATION.sub("", line)
    if not text or ends_sentence(text) or re.search(r"[:：,，]", line):
        return False
    if has_han(text):
        return len(text) <= MAX_LABEL_CHARS
    return len(text.split()) <= MAX_LABEL_WORDS


def _headline_run_start(lines: list[str]) -> int:
    start = len(lines)
    while start > 1 and is_headline_like(lines[start - 1]):
        start -= 1
    return start


def _unrelated_list(lines: list[str], heading: int) -> bool:
    """True when a label at `heading` heads two to `MAX_LINKS` headlines, shorter in
    all than the article above them, and none of them shares its vocabulary."""
    headlines = lines[heading + 1 :]
    if not MIN_UNRELATED_HEADLINES <= len(headlines) <= MAX_LINKS:
        return False
    article = lines[:heading]
    if not is_label(lines[heading]) or sum(map(len, article)) <= sum(map(len, headlines)):
        return False
    vocabulary = terms("\n".join(article))
    return all(is_unrelated(line, vocabulary) for line in lines[heading:])


def drop_trailing_reading_list(lines: list[str]) -> list[str]:
    """Rule: drop a reading list that ends the article (see module docstring): from a
    reading heading in the run of headline-like lines that ends it, or from a label
    that starts that run over unrelated headlines."""
    start = max(_headline_run_start(lines), 2)
    if start < len(lines) and _unrelated_list(lines, start):
        return lines[:start]
    for heading in range(start, len(lines)):
        if is_reading_heading(lines[heading]):
            return lines[:heading]
    return lines


def _skip_links(lines: list[str], start: int) -> int:
    end = start
    while end < len(lines) and end - start < MAX_LINKS and is_headline_like(lines[end]):
        end += 1
    return end


def _drop_introduced_links(lines: list[str], introduces: Callable[[str], bool]) -> list[str]:
    kept: list[str] = []
    index = 0
    while index < len(lines):
        if index and introduces(lines[index]):
            index = _skip_links(lines, index + 1)
            continue
        kept.append(lines[index])
        index += 1
    return kept


def drop_reading_lists(lines: list[str]) -> list[str]:
    """Rule: drop a reading heading and the headlines right after it, anywhere; the
    text after them stays."""
    return _drop_introduced_links(lines, is_reading_heading)


def drop_link_lead_ins(lines: list[str]) -> list[str]:
    """Rule: remove "more info" lead-ins together with the link titles after them."""
    return _drop_introduced_links(lines, is_lead_in)


def is_bulleted_headline(line: str) -> bool:
    """True for a bulleted link headline: `- Section | Headline` or a Title Case line."""
    match = _BULLET.match(line)
    if not match:
        return False
    text = line[match.end() :]
    return " | " in text or _is_title_case(text)


def drop_trailing_headlines(lines: list[str]) -> list[str]:
    """Rule: drop a run of three or more bulleted headlines at the end of the article."""
    end = len(lines)
    while end > 1 and is_bulleted_headline(lines[end - 1]):
        end -= 1
    return lines[:end] if len(lines) - end >= MIN_TRAILING_HEADLINES else lines
