"""The index stage: two Whoosh indexes per build, built in parallel, swapped atomically.

    schema.py     fields and field types of the articles and quotes indexes
    documents.py  one file -> its records, each text analysed once (runs in workers)
    parallel.py   worker processes that prepare files and write their own segments
    sounds.py     the sound of each Chinese word, for "did you mean"
    build.py      full and incremental builds, adding and removing files
    store.py      build directories, the atomic swap, the manifest, opening
    xapian.py     the build's Xapian databases, when the backend is xapian
    lock.py       one build at a time per index path
    writer.py     Whoosh's segment writer, reading field lengths once per flush
    lengths.py    every document's field length as one array per segment
    views.py      segment files read in place (a whoosh-ng fix)

Names are loaded on first use, so that searching does not import the build side
(cleaning, quotes) it never runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "build": ("BuildReport", "add_files", "default_workers", "rebuild", "remove_articles"),
    "lock": ("build_lock",),
    "schema": ("ARTICLES", "QUOTES", "INDEXES", "build_schema"),
    "store": (
        "MANIFEST",
        "fingerprint",
        "index_problem",
        "index_version",
        "is_current",
        "live_directory",
        "open_indexes",
        "read_manifest",
    ),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
