"""Shared vocabulary: does a line talk about what the article talks about?

Reading lists and keyword spam are unrelated to the article they sit in: their
words are not the article's words. A text's terms are its Han character pairs
(script and width folded, so 鲜叶 and 鮮葉 are one term) and its Latin words of
three letters or more, lower-cased, without a plural -s and without the most
common function words. `shared_share` is the part of a line's terms that the
article also uses.
"""

from __future__ import annotations

import re

from corpus_search.cleaning.base import fold_key, match_key

__all__ = ["is_unrelated", "shared_share", "terms"]

MAX_SHARED = 1 / 3  # a line sharing less than this part of its terms is unrelated
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z][a-z']{2,}")
_FUNCTION_WORDS = frozenset(
    "the and for with from that this are was were will has have had its his her their "
    "our you your into over than but not all can could would should may might also about "
    "after before more most what when why how who which there here they them been being "
    "does did just only very out off any some".split()
)


def _latin_terms(key: str) -> set[str]:
    words = (word.strip("'") for word in _WORD.findall(key))
    stems = {word[:-1] if word.endswith("s") and len(word) > 3 else word for word in words}
    return {stem for stem in stems if stem not in _FUNCTION_WORDS}


def _han_terms(key: str) -> set[str]:
    found: set[str] = set()
    for run in _HAN_RUN.findall(key):
        found.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return found


def terms(text: str) -> frozenset[str]:
    """The Han character pairs and Latin content words of the text (see module doc).
    No term spans two lines: a text's terms are those of its lines together."""
    key = match_key(text) if "\n" not in text else fold_key(text)  # only lines recur
    return frozenset(_latin_terms(key) | _han_terms(key))


def shared_share(line: str, vocabulary: frozenset[str]) -> float:
    """The part of the line's terms that are in `vocabulary` (0.0 for a line with none)."""
    own = terms(line)
    return len(own & vocabulary) / len(own) if own else 0.0


def is_unrelated(line: str, vocabulary: frozenset[str]) -> bool:
    """True when the line shares less than `MAX_SHARED` of its terms with `vocabulary`."""
    return shared_share(line, vocabulary) < MAX_SHARED
