"""The end of an article: notices, tags and reading lists, peeled off from the end.

What follows the last paragraph of an article is furniture in any order: a
reading list, then tags, then a disclaimer and a copyright notice, or the other
way round. `trim_article_tail` applies `TAIL_RULES`, each of which only looks at
the last lines, again and again until none of them removes anything. Header
lines at the end (`Source: …`, `（记者 黄丽娟 杭州报道）`) and button labels are
set aside and put back, so that what stands before them is reached too, and the
metadata readers still see them.
"""

from __future__ import annotations

from corpus_search.cleaning.base import Rule
from corpus_search.cleaning.boilerplate import is_button_line
from corpus_search.cleaning.headers import is_header_line
from corpus_search.cleaning.links import drop_trailing_headlines, drop_trailing_reading_list
from corpus_search.cleaning.notices import drop_trailing_notices, drop_trailing_tags

__all__ = ["TAIL_RULES", "trim_article_tail"]

TAIL_RULES: tuple[Rule, ...] = (
    drop_trailing_notices,
    drop_trailing_tags,
    drop_trailing_reading_list,
    drop_trailing_headlines,
)


def _set_aside(line: str) -> bool:
    return is_header_line(line) or is_button_line(line)


def trim_article_tail(lines: list[str]) -> list[str]:
    """Rule: remove the notices, tags and reading lists that end the article, in any
    order (see module docstring)."""
    lines, aside = list(lines), []
    while len(lines) > 1:
        while len(lines) > 1 and _set_aside(lines[-1]):
            aside.insert(0, lines.pop())
        before = len(lines)
        for rule in TAIL_RULES:
            lines = rule(lines)
        if len(lines) == before:
            break
    return lines + aside
