"""Article ids and file names unique across a build, whatever the files are called.

Every article asks for an id: a text or HTML file its name's stem, a JSON
record its ``id`` (`formats.jsonl`). Files are taken in path order and each gets
the ids it asks for, unless an earlier file (or record) has one already: then the
first free ``-2``, ``-3``… suffix that no article asks for (a.md is ``a``, a.txt
``a-2``). The same folder gives the same ids, in a full build or an incremental
one.

A file is known in the index (``source_file``, ``/sources/`` links) by its name,
or by its path in the folder when another file there has the same name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

__all__ = ["assign_ids", "index_names"]


def assign_ids(asked: Mapping[str, Sequence[str | None]]) -> dict[str, list[str | None]]:
    """The id each article gets, per file and by position (None stays None: a record
    that asks for none is not indexed), files taken in path order."""
    wanted = {key for keys in asked.values() for key in keys if key}
    taken: set[str] = set()
    suffixes: Counter[str] = Counter()
    given: dict[str, list[str | None]] = {}
    for path in sorted(asked):
        ids: list[str | None] = []
        for key in asked[path]:
            if key is not None and key in taken:
                key = _free(key, taken, wanted, suffixes)
            if key is not None:
                taken.add(key)
            ids.append(key)
        given[path] = ids
    return given


def _free(key: str, taken: set[str], wanted: set[str], suffixes: Counter[str]) -> str:
    n = max(2, suffixes[key])
    while f"{key}-{n}" in taken or f"{key}-{n}" in wanted:
        n += 1
    suffixes[key] = n + 1
    return f"{key}-{n}"


def index_names(shown: Mapping[str, str]) -> dict[str, str]:
    """Each file's name in the index, from its path in the folder (``shown``): its own
    name where no other file has it, else that path."""
    own = {path: name.rsplit("/", 1)[-1] for path, name in shown.items()}
    counts = Counter(own.values())
    return {path: own[path] if counts[own[path]] == 1 else shown[path] for path in shown}
