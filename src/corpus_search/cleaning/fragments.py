"""Hyperlink text split out of machine-translated English sentences.

In scraped English translations the text of a link often lands on its own line:
`Conventional` / `Electronic Commerce` / `Will it disappear? ...`, or
`...same platform.` / `market` / `。`. A fragment is a Latin-script line of at
most three words without sentence-final punctuation, nor a colon (`The winners
were:` introduces what follows). A capitalised fragment is joined to the
paragraph after it; a lower-case one continues the paragraph before it (placed
before that paragraph's final full stop). The headline (first paragraph) is
never merged.
"""

from __future__ import annotations

from corpus_search.cleaning.base import ends_sentence, is_latin_text

__all__ = ["is_fragment", "merge_link_fragments"]

MAX_FRAGMENT_WORDS = 3


def is_fragment(line: str) -> bool:
    """True for a Latin-script line of 1-3 words with no sentence-final punctuation."""
    words = line.split()
    return (
        0 < len(words) <= MAX_FRAGMENT_WORDS
        and is_latin_text(line)
        and not ends_sentence(line)
        and not line.rstrip().endswith((":", "："))
        and not line.lstrip().startswith(("-", "|", "*"))
    )


def _append(paragraph: str, fragment: str) -> str:
    body = paragraph.rstrip()
    if body.endswith("."):
        return f"{body[:-1]} {fragment}."
    return f"{body} {fragment}"


def merge_link_fragments(lines: list[str]) -> list[str]:
    """Rule: merge link-text fragments into the neighbouring English paragraph."""
    if not lines:
        return lines
    merged = [lines[0]]
    pending: list[str] = []
    for line in lines[1:]:
        if is_fragment(line):
            previous = merged[-1] if len(merged) > 1 else ""
            if line[0].islower() and not pending and is_latin_text(previous):
                merged[-1] = _append(previous, line)
            else:
                pending.append(line)
            continue
        if pending and is_latin_text(line):
            line = " ".join([*pending, line])
        else:
            merged.extend(pending)
        pending = []
        merged.append(line)
    return merged + pending
