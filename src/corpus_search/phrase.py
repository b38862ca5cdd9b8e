"""A phrase query whose matcher checks positions with set arithmetic.

Whoosh answers ``Phrase`` with its general span machinery (``SpanNear2``), which
builds span objects for every candidate document in Python. Our phrases are
always exact (no slop), so a candidate matches when some position p of the first
word has the second word at p+1, the third at p+2 …: one set intersection per
word, in C. Scores are what Whoosh gives a phrase: the sum of its words' scores,
times the query's boost.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh.matching.mcore import Matcher, NoQualityAvailable
from whoosh.query import Phrase, Term

__all__ = ["ExactPhrase"]


class ExactPhrase(Phrase):
    """``Phrase`` with slop 1 (words in a row), answered by `_ConsecutiveMatcher`."""

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        children = []
        for word in self.words:
            term = field.to_bytes(word)
            if (fieldname, term) not in reader:
                return matching.NullMatcher()
            children.append(Term(fieldname, word).matcher(searcher, context))
        if any(not c.is_active() for c in children):
            return matching.NullMatcher()
        return _ConsecutiveMatcher(children, self.boost)


class _ConsecutiveMatcher(Matcher):
    def __init__(self, children: list[Matcher], boost: float) -> None:
        self._children = children
        self._boost = boost
        self._active = True
        self._count = 0
        self._pending = True  # found on first use: a skip_to first saves a scan

    def _align(self) -> bool:
        """Move every child to the same document (False: one ran out)."""
        children = self._children
        while True:
            target = max(c.id() for c in children)
            for c in children:
                if c.id() < target:
                    c.skip_to(target)
                    if not c.is_active():
                        return False
            if all(c.id() == target for c in children):
                return True

    def _settle(self) -> None:
        if self._pending:
            self._pending = False
            self._find()

    def _find(self) -> None:
        children = self._children
        while self._align():
            starts = set(children[0].value_as("positions"))
            for offset, child in enumerate(children[1:], start=1):
                starts &= {p - offset for p in child.value_as("positions")}
                if not starts:
                    break
            if starts:
                self._count = len(starts)
                return
            children[0].next()
            if not children[0].is_active():
                break
        self._active = False

    def is_active(self) -> bool:
        self._settle()
        return self._active

    def reset(self) -> None:
        for c in self._children:
            c.reset()
        self._active = True
        self._pending = True

    def copy(self) -> _ConsecutiveMatcher:
        return _ConsecutiveMatcher([c.copy() for c in self._children], self._boost)

    def replace(self, minquality: float = 0) -> Matcher:
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        """An upper bound of any score (a phrase scores its words' scores)."""
        try:
            return self._boost * sum(c.max_quality() for c in self._children)
        except NoQualityAvailable:
            return float("inf")

    def id(self) -> int:
        self._settle()
        return int(self._children[0].id())

    def next(self) -> bool:
        self._settle()
        self._children[0].next()
        if not self._children[0].is_active():
            self._active = False
            return False
        self._find()
        return False

    def skip_to(self, id: int) -> None:
        if not self._active:
            return
        for c in self._children:
            if c.is_active() and c.id() < id:
                c.skip_to(id)
            if not c.is_active():
                self._active = False
                return
        self._pending = True

    def supports(self, astype: str) -> bool:
        return astype in ("weight", "frequency")

    def value(self) -> Any:
        return None

    def value_as(self, astype: str) -> Any:
        if astype == "frequency":
            return self._count
        if astype == "weight":
            return float(self._count)
        raise NotImplementedError(astype)

    def weight(self) -> float:
        return float(self._count)

    def score(self) -> float:
        return self._boost * sum(c.score() for c in self._children)

    def children(self) -> list[Matcher]:
        return list(self._children)
