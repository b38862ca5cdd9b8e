"""Segment files read in place (`index.views.ViewFile`): what Whoosh reads through it."""

from __future__ import annotations

import pickle

from corpus_search.index.views import PEEK_BYTES, ViewFile


def test_pickles_load_one_after_another_small_or_large() -> None:
    small = (128, 12345, 3.5, True, 7, 200)
    large = list(range(PEEK_BYTES * 4))  # longer than a peek
    data = pickle.dumps(small) + b"--" + pickle.dumps(large) + pickle.dumps("end")
    view = ViewFile(data)
    assert pickle.load(view) == small
    assert view.tell() == len(pickle.dumps(small))
    assert view.read(2) == b"--"
    assert pickle.load(view) == large
    assert pickle.load(view) == "end" and view.tell() == len(data)


def test_peek_does_not_move() -> None:
    view = ViewFile(b"abcdef")
    view.seek(2)
    assert view.peek(3) == b"cde" and view.tell() == 2
    assert view.read(10) == b"cdef" and view.peek(1) == b""
