"""Block directories of Whoosh posting lists (`search.blocks`): a page's documents read
straight from their blocks give what stepping through the list gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from whoosh import fields, index

from corpus_search.search import blocks
from corpus_search.search.vector import _leaf_arrays


def _index(tmp_path: Path, docs: int) -> index.Index:
    schema = fields.Schema(body=fields.TEXT(phrase=True))
    tmp_path.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        for n in range(docs):  # "common" in every doc, "rare" in every 97th, twice
            words = ["common", f"w{n}"] + (["rare", "x", "rare"] if n % 97 == 0 else [])
            writer.add_document(body=" ".join(words))
    return ix


def _stepped(reader, term: bytes, docs: list[int]) -> list[tuple[int, object]]:
    postings, found = reader.postings("body", term), []
    for doc in docs:
        if postings.is_active() and postings.id() < doc:
            postings.skip_to(doc)
        if postings.is_active() and postings.id() == doc:
            found.append((doc, postings.value_as("positions")))
    return found


def test_a_page_read_from_the_directory_is_what_stepping_finds(tmp_path: Path) -> None:
    ix = _index(tmp_path, 1000)  # "common": eight blocks of up to 128
    with ix.searcher() as searcher:
        reader = next(leaf.reader() for leaf, _ in searcher.leaf_searchers())
        page = [0, 5, 127, 128, 129, 500, 776, 970, 999]
        for term in (b"common", b"rare", b"w500", b"nowhere"):
            expected = _stepped(reader, term, page) if (("body", term) in reader) else []
            got = list(blocks.postings_of(reader, "body", term, page, "positions"))
            assert got == expected, term  # the directory found by stepping headers once
            again = list(blocks.postings_of(reader, "body", term, page, "positions"))
            assert again == expected  # ... and kept
        rare = list(blocks.postings_of(reader, "body", b"rare", [97, 98], "positions"))
        assert rare == _stepped(reader, b"rare", [97, 98]) and len(rare[0][1]) == 2


def test_reading_a_whole_list_notes_its_directory(tmp_path: Path) -> None:
    ix = _index(tmp_path / "a", 600)
    with ix.searcher() as searcher:
        reader = next(leaf.reader() for leaf, _ in searcher.leaf_searchers())
        ids, weights, _ = _leaf_arrays(reader, "body", b"common", False)
        assert ids.tolist() == list(range(600)) and np.all(weights == 1.0)
        key = (reader.segment().segment_id(), "body", b"common")
        last_ids, starts = blocks._DIRECTORIES.get(key)  # type: ignore[misc]
        assert last_ids.tolist()[-1] == 599 and len(starts) == len(last_ids) >= 5
        assert list(blocks.postings_of(reader, "body", b"common", [599], "positions")) == [
            (599, [0])
        ]


def test_directories_kept_are_bounded() -> None:
    kept = blocks._Directories(limit=10)
    for n in range(5):
        kept.put(("seg", "body", bytes([n])), (np.arange(4), np.arange(4)))
    assert kept.get(("seg", "body", bytes([0]))) is None  # the oldest went
    assert kept.get(("seg", "body", bytes([4]))) is not None
