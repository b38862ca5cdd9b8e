"""A Xapian search engine fed by our own analysis (issue 10).

The same records the Whoosh build writes (`index.documents`) go into a Xapian
database, and the same Whoosh query trees (`query.QueryBuilder`) are translated
into Xapian queries, so both engines answer alike.

    terms.py      term prefixes and value slots: the naming shared by all below
    store.py      records of both indexes -> one Xapian database; updates, deletes, summary
    translate.py  Whoosh query trees -> xapian.Query
    weighting.py  Xapian's BM25 giving our BM25F's weights (wdf normalised by field)
    engine.py     ranked page, exact total, filters, facet counts
    facets.py     facet counts from value slots (entities spread over slots by id)
    offsets.py    an article's words with their positions and characters
    occurrences.py  where a page's words are, from those (snippets without Whoosh)
    shards.py     several remote shards searched as one; missing ones reported
    tcpsrv.py     start and stop `xapian-tcpsrv` serving one shard directory
"""

from __future__ import annotations

from corpus_search.xapian_backend.engine import FACETS, QUOTE_FACETS, Hit, Results, count, search
from corpus_search.xapian_backend.shards import Shard, ShardSet, shard_of, split_records
from corpus_search.xapian_backend.store import (
    build,
    delete_articles,
    index_averages,
    summary,
    write_records,
    write_summary,
)
from corpus_search.xapian_backend.tcpsrv import ShardServer, ShardServerError
from corpus_search.xapian_backend.translate import filter_query, to_xapian

__all__ = [
    "FACETS",
    "QUOTE_FACETS",
    "Hit",
    "Results",
    "Shard",
    "ShardServer",
    "ShardServerError",
    "ShardSet",
    "build",
    "count",
    "delete_articles",
    "filter_query",
    "index_averages",
    "search",
    "shard_of",
    "split_records",
    "summary",
    "to_xapian",
    "write_records",
    "write_summary",
]
