"""Notices: tag lines, disclaimers and copyright notices.

Each is recognised by a small set of patterns and by its place: the rules that
match loosely only look at the last lines of an article, so a sentence that
mentions a disclaimer (`公司在產品說明的免責聲明中提醒消費者…`) or names tags
stays, and so does a last clause of law (`未經國會同意，各州不得征收…`).

* a tag line (at the end): a label (`Tags:`, `標籤：`, `关键词：`, `Topics:` …)
  and short terms, or, unlabelled, three or more short space-separated Han words
  or capitalised names and no punctuation (`Lazada 傳承 張勇 蔣凡 速賣通 雙11`);
* a disclaimer or copyright notice (at the end): a label at the start
  (`免責聲明：`, `版權聲明：`, `Disclaimer:`, `© 2023`, `Copyright 2023`), or a
  notice phrase in the line (`All rights reserved`, `版權所有`, `未經授權不得轉載`
  (不得 and a verb of copying), `不代表本站立場`, `本文僅代表作者觀點` …);
* a labelled notice (anywhere): the label at the start, or a phrase only a
  reprint notice uses (`如需轉載`, `轉載請註明`, `本文僅代表作者觀點`): such a
  line is furniture wherever it stands, also above the article or mid-way.

Patterns are written once in Traditional script; lines are compared through
`match_key` (width, case and script folded), so Simplified lines match too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus_search.cleaning.base import ends_sentence, has_han, match_key

__all__ = [
    "drop_labelled_notices",
    "drop_trailing_notices",
    "drop_trailing_tags",
    "is_labelled_notice",
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
    r"|(?:copyright\s*)?(?:©|\(c\)\s*\d{4})|copyright\s+\d{4})"
)
_REPRINT_PHRASE = re.compile(
    r"如需轉載|(?:轉載|轉發)請?(?:註明|注明|聯繫)|本文(?:僅|只)?代表(?:作者|個人)(?:個人)?觀點"
)
_COPYING = r"(?:轉載|轉貼|轉發|複製|重製|翻印|摘編|使用)"
_NOTICE_PHRASE = re.compile(
    r"all rights reserved|版權所有(?![人者])|版權歸.{0,6}所有"
    rf"|未經.{{0,6}}(?:授權|許可|同意).{{0,4}}不得.{{0,4}}{_COPYING}"
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


def is_labelled_notice(line: str) -> bool:
    """True for a notice by its label at the start, or by a reprint notice's phrase."""
    key = _key(line)
    return bool(_NOTICE_LABEL.match(key) or _REPRINT_PHRASE.search(key))


def is_notice(line: str) -> bool:
    """True for a disclaimer or copyright notice (a label, or any notice phrase)."""
    return is_labelled_notice(line) or _NOTICE_PHRASE.search(_key(line)) is not None


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


def drop_labelled_notices(lines: list[str]) -> list[str]:
    """Rule: drop labelled notices anywhere under the headline (see `is_labelled_notice`)."""
    return lines[:1] + [line for line in lines[1:] if not is_labelled_notice(line)]
