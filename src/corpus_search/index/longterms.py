"""Terms too long to keep in the term table: a fix for whoosh-ng 5.4.0.

whoosh-ng keeps the postings of a term found in at most eight documents of a
segment inside the term's entry, each posting's length packed in 16 bits. A
term with a posting over 64 KB (a word that occurs a few thousand times in one
article: any common word of a very long one, where few other articles share its
segment) made the whole build fail with "'H' format requires 0 <= number <=
65535". With `install()`, such a term's postings are written as a block in the
postings file instead, as every other term's are; nothing else changes.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

__all__ = ["COMPACT_POSTINGS", "LONGEST_INLINE", "install"]

COMPACT_POSTINGS = 8  # whoosh-ng inlines the postings of terms in at most this many documents
LONGEST_INLINE = 0xFFFF  # bytes: what a 16-bit length can say


def install() -> None:
    """Make whoosh-ng write a block for a term whose postings it could not inline."""
    writer: Any = whoosh3.W3PostingsWriter
    if getattr(writer.finish_postings, "bounded", False):
        return
    inline = writer.finish_postings

    def finish_postings(self: Any, allow_compact: bool = True) -> Any:
        if allow_compact and len(self) <= COMPACT_POSTINGS:
            allow_compact = all(len(value) <= LONGEST_INLINE for value in self._values)
        return inline(self, allow_compact)

    finish_postings.bounded = True  # type: ignore[attr-defined]
    writer.finish_postings = finish_postings
