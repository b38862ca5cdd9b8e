"""Cleaning: raw article text -> clean paragraphs.

`RULES` is the one ordered list of rules and `clean_text` applies it. Each rule
takes and returns the list of paragraphs (one non-empty source line each; the
first is the headline) and can be imported and tested on its own. The title of
an article is the first line that survives them all: a spam line above the
headline, a date or a byline goes, and the headline is what is left on top.

The order matters: spaces are normalised first, over-long paragraphs cut before
any rule that keeps or drops whole paragraphs, punctuation-only lines dropped
before any rule looks at the last lines, pinyin annotations removed before any
keyword or vocabulary matching; the end of the article is trimmed (notices,
tags, reading lists, `tail.py`) before reading lists and labelled notices
elsewhere are looked for;
the section label under the headline is looked for while the header lines
under it are still there, and header lines go last among the furniture, so
`clean_article` can hand the metadata readers the text with them; link fragments
are merged at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus_search.cleaning.base import Rule
from corpus_search.cleaning.boilerplate import drop_buttons, remove_page_markers
from corpus_search.cleaning.fragments import merge_link_fragments
from corpus_search.cleaning.headers import drop_category_line, drop_header_lines
from corpus_search.cleaning.links import (
    drop_link_lead_ins,
    drop_reading_lists,
    drop_trailing_headlines,
    drop_trailing_reading_list,
)
from corpus_search.cleaning.mt_repair import repair_trans_words
from corpus_search.cleaning.notices import (
    drop_labelled_notices,
    drop_trailing_notices,
    drop_trailing_tags,
)
from corpus_search.cleaning.paragraphs import (
    drop_consecutive_duplicates,
    drop_empty,
    drop_punctuation_only,
    normalise_whitespace,
    split_long_paragraphs,
)
from corpus_search.cleaning.pinyin import remove_pinyin_annotations
from corpus_search.cleaning.spam import drop_spam_lines
from corpus_search.cleaning.tail import TAIL_RULES, trim_article_tail

__all__ = [
    "RULES",
    "TAIL_RULES",
    "Rule",
    "clean_article",
    "clean_text",
    "drop_buttons",
    "drop_category_line",
    "drop_consecutive_duplicates",
    "drop_empty",
    "drop_header_lines",
    "drop_labelled_notices",
    "drop_link_lead_ins",
    "drop_punctuation_only",
    "drop_reading_lists",
    "drop_spam_lines",
    "drop_trailing_headlines",
    "drop_trailing_notices",
    "drop_trailing_reading_list",
    "drop_trailing_tags",
    "merge_link_fragments",
    "normalise_whitespace",
    "remove_page_markers",
    "remove_pinyin_annotations",
    "repair_trans_words",
    "split_long_paragraphs",
    "trim_article_tail",
]

RULES: tuple[Rule, ...] = (
    normalise_whitespace,
    drop_empty,
    split_long_paragraphs,
    drop_punctuation_only,
    remove_pinyin_annotations,
    drop_spam_lines,
    remove_page_markers,
    trim_article_tail,
    drop_reading_lists,
    drop_labelled_notices,
    drop_link_lead_ins,
    drop_buttons,
    drop_category_line,
    drop_header_lines,
    repair_trans_words,
    merge_link_fragments,
    drop_consecutive_duplicates,
)


def clean_text(raw: str, rules: Sequence[Rule] = RULES) -> list[str]:
    """Clean paragraphs of an article, headline first, in the original script."""
    return clean_article(raw, rules)[0]


def clean_article(raw: str, rules: Sequence[Rule] = RULES) -> tuple[list[str], list[str]]:
    """The clean paragraphs, and the text as it stood just before header lines were dropped.

    The second list (junk, link lists and pinyin already gone, bylines and date
    lines still in) is what `corpus_search.metadata` reads date and source from.
    """
    lines = raw.splitlines()
    with_headers = lines
    for rule in rules:
        if rule is drop_header_lines:
            with_headers = lines
        lines = rule(lines)
    return lines, with_headers
