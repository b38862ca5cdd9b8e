"""How our fields are named inside a Xapian database: term prefixes and value slots.

One database holds both indexes of a build (articles and quotes: one database
is what a shard serves), and Xapian has one flat term space per database, so
every field's terms carry a prefix (Xapian's convention: ``Q`` for the unique
id, ``X`` and capitals for the rest). No prefix is the start of another, so a
term never reads as another field's.

    text (positional, scored)   articles: XT title, XB body, XE exact
                                quotes:   XUT title, XUB body, XUE exact
    boolean (filters, deletes)  Q id, XK index (articles or quotes),
                                XA article_id, XF source_file, XL lang,
                                XY year, XS source, XN entities (one each),
                                XP speaker_id, XR pairs (`analysis.pairs`)
    values (facets, ties)       see SLOTS

The text prefixes differ by index so that each index keeps its own term
statistics (Whoosh's idf is per index); the ``XK`` term counts each index's
records.

Xapian refuses terms over 245 bytes; a longer one (a run of characters no
analyzer cut) keeps its first bytes and a digest of the whole, the same way at
indexing and at query time.
"""

from __future__ import annotations

import hashlib

from corpus_search.index.schema import ARTICLES

__all__ = [
    "TEXT_PREFIXES",
    "text_prefixes",
    "kind_term",
    "BOOLEAN_PREFIXES",
    "SLOTS",
    "ID_SLOT",
    "OFFSET_SLOTS",
    "ENTITY_SLOTS",
    "MAX_TERM_BYTES",
    "term",
    "text_term",
    "boolean_term",
]

TEXT_PREFIXES = {"title": "XT", "body": "XB", "exact": "XE"}  # of articles
_QUOTE_TEXT = {field: "XU" + prefix[1:] for field, prefix in TEXT_PREFIXES.items()}
BOOLEAN_PREFIXES = {
    "id": "Q",
    "kind": "XK",
    "article_id": "XA",
    "source_file": "XF",
    "lang": "XL",
    "year": "XY",
    "source": "XS",
    "entities": "XN",
    "speaker_id": "XP",
    "pairs": "XR",
}
# Value slots: one value per document (a record's entity ids: ENTITY_SLOTS). ``id``
# orders documents of equal score the same way on one database and on shards.
SLOTS = {"lang": 0, "year": 1, "source": 2, "speaker_id": 4, "id": 5}
ID_SLOT = SLOTS["id"]
# A record's entity ids, each always in the slot its id hashes to: `facets`.
ENTITY_SLOTS = tuple(range(10, 26))
# An article's words with the position and characters of each occurrence, per field
# its snippets are marked in (`offsets`).
OFFSET_SLOTS = {"body": 7, "exact": 8}
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


def text_prefixes(index: str) -> dict[str, str]:
    """The text fields' prefixes in one index (``articles`` or ``quotes``)."""
    return TEXT_PREFIXES if index == ARTICLES else _QUOTE_TEXT


def text_term(field: str, text: str, index: str = ARTICLES) -> bytes:
    return term(text_prefixes(index)[field], text)


def kind_term(index: str) -> bytes:
    """The term every record of one index holds."""
    return term(BOOLEAN_PREFIXES["kind"], index)


def boolean_term(field: str, value: str) -> bytes:
    return term(BOOLEAN_PREFIXES[field], value)
