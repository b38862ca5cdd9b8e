"""The index stage: three Whoosh indexes per build, built in parallel, swapped atomically.

schema.py     fields and field types of the articles, passages and quotes indexes
documents.py  one file -> its records, each text analysed once (runs in workers)
build.py      full and incremental builds, adding and removing files
store.py      build directories, the atomic swap, the manifest, opening
"""

from __future__ import annotations

from corpus_search.index.build import (
    BuildReport,
    add_files,
    default_workers,
    rebuild,
    remove_articles,
)
from corpus_search.index.schema import ARTICLES, INDEXES, QUOTES, build_schema
from corpus_search.index.store import (
    MANIFEST,
    fingerprint,
    index_version,
    is_current,
    live_directory,
    open_indexes,
    read_manifest,
)

__all__ = [
    "ARTICLES",
    "QUOTES",
    "INDEXES",
    "MANIFEST",
    "BuildReport",
    "add_files",
    "build_schema",
    "default_workers",
    "fingerprint",
    "index_version",
    "is_current",
    "live_directory",
    "open_indexes",
    "read_manifest",
    "rebuild",
    "remove_articles",
]
