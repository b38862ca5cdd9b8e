"""How our fields are named inside a Xapian database: term prefixes and value slots.

Xapian has one flat term space per database, so every field's terms carry a
prefix (Xapian's convention: ``Q`` for the unique id, ``X`` and a capital for
the rest). Every prefix is two characters except ``Q``, and no other starts with
``Q``, so no prefix is the start of another and a term never reads as another
field's.

    text (positional, scored)   XT title, XB body, XE exact
    boolean (filters, deletes)  Q id, XA article_id, XF source_file, XL lang,
                                XY year, XS source, XN entities (one each),
                                XP speaker_id
    values (facets, ties)       see SLOTS

Xapian refuses terms over 245 bytes; a longer one (a run of characters no
analyzer cut) keeps its first bytes and a digest of the whole, the same way at
indexing and at query time.
"""

from __future__ import annotations

import hashlib

__all__ = [
    "TEXT_PREFIXES",
    "BOOLEAN_PREFIXES",
    "SLOTS",
    "ID_SLOT",
    "MAX_TERM_BYTES",
    "term",
    "text_term",
    "boolean_term",
]

TEXT_PREFIXES = {"title": "XT", "body": "XB", "exact": "XE"}
BOOLEAN_PREFIXES = {
    "id": "Q",
    "article_id": "XA",
    "source_file": "XF",
    "lang": "XL",
    "year": "XY",
    "source": "XS",
    "entities": "XN",
    "speaker_id": "XP",
}
# Value slots: one value per document. ``entities`` holds the record's entity ids,
# sorted and comma-joined (facets split them); ``id`` orders documents of equal
# score the same way on one database and on shards.
SLOTS = {"lang": 0, "year": 1, "source": 2, "entities": 3, "speaker_id": 4, "id": 5}
ID_SLOT = SLOTS["id"]
MAX_TERM_BYTES = 245
_DIGEST_BYTES = 16  # hex characters of the digest that ends a shortened term


def term(prefix: str, text: str) -> bytes:
    """``prefix`` + ``text`` as UTF-8, shortened (stably) to what Xapian accepts."""
    raw = (prefix + text).encode("utf-8")
    if len(raw) <= MAX_TERM_BYTES:
        return raw
    digest = hashlib.sha1(raw).hexdigest()[:_DIGEST_BYTES].encode("ascii")
    keep = raw[: MAX_TERM_BYTES - len(digest) - 1].decode("utf-8", errors="ignore")
    return keep.encode("utf-8") + b"#" + digest


def text_term(field: str, text: str) -> bytes:
    return term(TEXT_PREFIXES[field], text)


def boolean_term(field: str, value: str) -> bytes:
    return term(BOOLEAN_PREFIXES[field], value)
