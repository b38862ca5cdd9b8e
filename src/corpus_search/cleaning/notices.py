"""Notices after the article: tag lines, disclaimers and copyright notices.

Each is recognised by a small set of patterns and by its place: only the last
lines of an article are looked at, so a sentence that mentions a disclaimer
(`公司在產品說明的免責聲明中提醒消費者…`) or names tags in the text stays.

* a tag line: a label (`Tags:`, `標籤：`, `关键词：`, `Topics:` …) and short terms,
  or, unlabelled, three or more short space-separated Han words or capitalised
  names and no punctuation (`Lazada 傳承 張勇 蔣凡 速賣通 雙11`);
* a disclaimer or copyright notice: a label at the start (`免責聲明：`, `版權聲明：`,
  `Disclaimer:`, `Copyright`, `©`), or a notice phrase anywhere in the line
  (`All rights reserved`, `版權所有`, `未經授權不得轉載`, `本文僅代表作者觀點` …).

Patterns are written once in Traditional script; lines are compared through
`match_key` (width, case and script folded), so Simplified lines match too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus_search.cleaning.base import ends_sentence, has_han, match_key

__all__ = [
    "drop_trailing_notices",
    "drop_trailing_tags",
    "is_notice",
    "is_tag_line",
]

MAX_TAG_CHARS = 12
MAX_TAG_LINE_CHARS = 80
_LEAD = re.compile(r"^[\s|*•·#>\-\[【]*")
_TAG_LABEL = re.compile(
    r"^(?:tags?|keywords?|topics?|標籤|標簽|關鍵詞|關鍵字|熱詞|主題詞)\s*[:：丨|]\s*\S"
)
_NOTICE_LABEL = re.compile(
    r"^(?:(?:免責|版權|轉載|法律)(?:聲明|說明)\s*(?:[:：丨|】\]]|$)|disclaimer\s*(?:[:：|]|$)"
    r"|(?:copyright\s*)?(?:©|\(c\))|copyright\s+\d{4})"
)
_NOTICE_PHRASE = re.compile(
    r"all rights reserved|版權所有|版權歸.{0,6}所有|未經.{0,6}(?:授權|許可|同意).{0,4}不得"
    r"|(?:轉載|轉發)請?(?:註明|注明|聯繫)|如需轉載|本文(?:僅|只)?代表(?:作者|個人)"
    r"|不代表本.{0,6}(?:立場|觀點)"
)


def _key(line: str) -> str:
    return _LEAD.sub("", match_key(line).strip())


def is_tag_line(line: str) -> bool:
    """True for a labelled line of tags, or three or more short space-separated tags
    (Han words or capitalised names) with no punctuation."""
    if len(line) > MAX_TAG_LINE_CHARS:
        return False
    if _TAG_LABEL.match(_key(line)):
        return not ends_sentence(line)
    tokens = line.split()
    if len(tokens) < 3 or ends_sentence(line):
        return False
    if any(len(token) > MAX_TAG_CHARS or not token.isalnum() for token in tokens):
        return False
    named = [t for t in tokens if has_han(t) or t[0].isupper() or t[0].isdigit()]
    return len(named) == len(tokens)


def is_notice(line: str) -> bool:
    """True for a disclaimer or copyright notice (a label at the start, or a notice phrase)."""
    key = _key(line)
    return bool(_NOTICE_LABEL.match(key) or _NOTICE_PHRASE.search(key))


def _drop_last(lines: list[str], test: Callable[[str], bool]) -> list[str]:
    end = len(lines)
    while end > 1 and test(lines[end - 1]):
        end -= 1
    return lines[:end]


def drop_trailing_tags(lines: list[str]) -> list[str]:
    """Rule: drop tag lines at the end of the article (see `is_tag_line`)."""
    return _drop_last(lines, is_tag_line)


def drop_trailing_notices(lines: list[str]) -> list[str]:
    """Rule: drop disclaimers and copyright notices at the end of the article."""
    return _drop_last(lines, is_notice)
