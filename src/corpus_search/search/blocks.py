"""Where each block of a Whoosh posting list starts: a few documents' postings at once.

A posting list is a chain of blocks of up to 128 postings, each behind a header
(its length, its last id, ...). Whoosh reaches a document by stepping from header
to header, so finding the ten articles of a page in the list of a word that
100,000 articles hold reads some 800 headers, for each word the page's snippets
mark. A list's block directory (each block's last id and where it starts) is kept
once known: a search that reads the whole list (`vector`) notes it on the way, or
the first page that needs it steps through the headers once. A page's documents
then go straight to their blocks.

Directories are kept per segment (a segment's id is unique and its files never
change), the most recently used up to DIRECTORY_BLOCKS blocks in all.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator, Sequence

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.mcore import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

__all__ = ["Directory", "each_block", "remember", "postings_of", "leaf_matcher"]

DIRECTORY_BLOCKS = 1 << 21  # about 32 MB of directories per process, at most

Directory = tuple[np.ndarray, np.ndarray]  # each block's last id, and where it starts
_Key = tuple[str, str, bytes]


class _Directories:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[_Key, Directory] = OrderedDict()
        self._blocks = 0
        self._lock = threading.Lock()

    def get(self, key: _Key) -> Directory | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: _Key, directory: Directory) -> None:
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = directory
            self._blocks += len(directory[0])
            while self._blocks > self.limit and len(self._kept) > 1:
                _, dropped = self._kept.popitem(last=False)
                self._blocks -= len(dropped[0])


_DIRECTORIES = _Directories(DIRECTORY_BLOCKS)


def _key(reader: IndexReader, field: str, term: bytes) -> _Key:
    return reader.segment().segment_id(), field, term


def leaf_matcher(matcher: Matcher) -> W3LeafMatcher | None:
    """The block reader of a segment's posting list (deleted documents unmasked), or
    None for a list kept otherwise (a single posting stored with its term)."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        return matcher
    return None


def each_block(matcher: W3LeafMatcher, read: bool = False) -> Iterator[int]:
    """Step ``matcher`` through its list from the first block, yielding where each
    block starts while the matcher stands on it (``read``: that block's data read)."""
    start = matcher._baseoffset
    while matcher.is_active():
        if read and matcher._data is None:
            matcher._read_data()
        yield start
        start = matcher._nextoffset
        matcher._next_block()


def remember(
    reader: IndexReader, field: str, term: bytes, last_ids: Sequence[int], starts: Sequence[int]
) -> None:
    """Keep a list's directory, found while reading the whole list."""
    key = _key(reader, field, term)
    if _DIRECTORIES.get(key) is None:
        directory = (np.asarray(last_ids, dtype=np.int64), np.asarray(starts, dtype=np.int64))
        _DIRECTORIES.put(key, directory)


def _directory(reader: IndexReader, field: str, term: bytes, matcher: W3LeafMatcher) -> Directory:
    key = _key(reader, field, term)
    found = _DIRECTORIES.get(key)
    if found is None:  # step through the headers once
        last_ids, starts = [], []
        for start in each_block(matcher):
            last_ids.append(matcher._maxid)
            starts.append(start)
        found = (np.asarray(last_ids, dtype=np.int64), np.asarray(starts, dtype=np.int64))
        _DIRECTORIES.put(key, found)
    return found


def postings_of(
    reader: IndexReader, field: str, term: bytes, docs: Sequence[int], astype: str
) -> Iterator[tuple[int, object]]:
    """(doc, value decoded as ``astype``) for each of the sorted ``docs`` (this
    segment's numbers) that holds the term."""
    if (field, term) not in reader:
        return
    postings = reader.postings(field, term)
    matcher = leaf_matcher(postings)
    if matcher is None:  # a short list: step through it
        for doc in docs:
            if postings.is_active() and postings.id() < doc:
                postings.skip_to(doc)
            if not postings.is_active():
                return
            if postings.id() == doc:
                yield doc, postings.value_as(astype)
        return
    last_ids, starts = _directory(reader, field, term, matcher)
    current = -1
    ids: Sequence[int] = ()
    for doc, block in zip(docs, np.searchsorted(last_ids, docs).tolist(), strict=True):
        if block >= len(starts):
            return
        if block != current:
            matcher._goto(int(starts[block]))
            matcher._read_ids()
            ids, current = matcher._ids, block
        at = bisect_left(ids, doc)
        if at < len(ids) and ids[at] == doc:
            matcher._i = at
            yield doc, matcher.value_as(astype)
