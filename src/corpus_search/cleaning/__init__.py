"""Cleaning: raw article text -> clean paragraphs.

`RULES` is the one ordered list of rules and `clean_text` applies it. Each rule
takes and returns the list of paragraphs (one non-empty source line each; the
first is the headline) and can be imported and tested on its own. The order
matters: spaces are normalised first, over-long paragraphs cut before any rule
that keeps or drops whole paragraphs, pinyin annotations are removed before any
keyword matching, headers go before the category label under the headline is
looked for, and link fragments are merged after punctuation-only lines are gone.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus_search.cleaning.base import Rule
from corpus_search.cleaning.boilerplate import (
    drop_buttons,
    drop_category_line,
    drop_disclaimers,
    drop_header_lines,
    drop_trailing_tags,
    remove_page_markers,
)
from corpus_search.cleaning.fragments import merge_link_fragments
from corpus_search.cleaning.links import (
    cut_related_reading,
    drop_link_lead_ins,
    drop_trailing_headlines,
)
from corpus_search.cleaning.mt_repair import repair_trans_words
from corpus_search.cleaning.paragraphs import (
    drop_consecutive_duplicates,
    drop_empty,
    drop_punctuation_only,
    normalise_whitespace,
    split_long_paragraphs,
)
from corpus_search.cleaning.pinyin import remove_pinyin_annotations
from corpus_search.cleaning.spam import drop_spam_lines

__all__ = [
    "RULES",
    "Rule",
    "clean_article",
    "clean_text",
    "cut_related_reading",
    "drop_buttons",
    "drop_category_line",
    "drop_consecutive_duplicates",
    "drop_disclaimers",
    "drop_empty",
    "drop_header_lines",
    "drop_link_lead_ins",
    "drop_punctuation_only",
    "drop_spam_lines",
    "drop_trailing_headlines",
    "drop_trailing_tags",
    "merge_link_fragments",
    "normalise_whitespace",
    "remove_page_markers",
    "remove_pinyin_annotations",
    "repair_trans_words",
    "split_long_paragraphs",
]

RULES: tuple[Rule, ...] = (
    normalise_whitespace,
    drop_empty,
    split_long_paragraphs,
    drop_spam_lines,
    remove_pinyin_annotations,
    remove_page_markers,
    drop_trailing_tags,
    cut_related_reading,
    drop_trailing_headlines,
    drop_link_lead_ins,
    drop_disclaimers,
    drop_buttons,
    drop_header_lines,
    drop_category_line,
    repair_trans_words,
    drop_punctuation_only,
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
