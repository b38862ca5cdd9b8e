"""Plain text (`.txt`, `.md`): one article, the headline on the first line."""

from __future__ import annotations

from corpus_search.metadata import make_id
from corpus_search.models import Draft

__all__ = ["text_drafts"]


def text_drafts(text: str, stem: str) -> list[Draft]:
    """The one article of a plain-text file; its id comes from the file name."""
    return [Draft(key=make_id(stem), text=text)]
