"""The build's segment writer writes what Whoosh's own writer writes, only faster."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import SegmentWriter

from corpus_search.index.documents import prepare
from corpus_search.index.parallel import between_files
from corpus_search.index.pool import GroupedPool
from corpus_search.index.schema import INDEXES, build_schema
from corpus_search.index.writer import BuildWriter
from support import SEEDS


def test_the_pool_gives_back_each_term_once_in_order_across_spilled_runs() -> None:
    pool = GroupedPool(RamStorage(), limit=600)  # a run every few postings
    added: dict[tuple[str, bytes], list[tuple[int, float, bytes]]] = {}
    for docnum in range(40):
        for fieldname in ("title", "body"):
            terms = [f"w{(docnum * 7 + i) % 13}".encode() for i in range(docnum % 5 + 1)]
            items = [(t, 2, 2.0 + docnum, bytes([docnum, i])) for i, t in enumerate(terms)]
            assert pool.add_field(fieldname, docnum, items) == 2 * len(items)
            for t, _, weight, value in items:
                added.setdefault((fieldname, t), []).append((docnum, weight, value))
    pool.add(("body", b"w0", 40, 1.0, None))  # a merged segment's posting, no value
    added[("body", b"w0")].append((40, 1.0, b""))
    assert len(pool._runs) > 3
    got = [
        ((fieldname, term), list(zip(docs, weights, values, strict=True)))
        for fieldname, term, (docs, weights, values) in pool.groups()
    ]
    assert got == sorted(added.items())
    # Posting by posting, as Whoosh's own pool gives them (for other codecs' writers).
    flat = [(f, t, d, w, v) for (f, t), found in sorted(added.items()) for d, w, v in found]
    assert list(pool.iter_postings()) == flat
    pool.cleanup()
    assert pool._runs == [] and list(pool.groups()) == []


def _records(count: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in INDEXES}
    for path in sorted(SEEDS.glob("*.txt"))[:count]:
        for name, records in prepare(path).records.items():
            out[name] += records
    return out


def _written(directory: Path, name: str, records: list[dict[str, Any]], writer: Any) -> Any:
    directory.mkdir(parents=True)
    ix = whoosh_index.create_in(str(directory), build_schema(name), indexname=name)
    w = writer(ix)
    for record in records:
        w.add_document(**dict(record))
    w.commit()
    return whoosh_index.open_dir(str(directory), indexname=name)


def _contents(ix: Any) -> list[Any]:
    """Every posting with its value, each term's statistics, stored fields and lengths."""
    seen: list[Any] = []
    with ix.reader() as reader:
        for fieldname in sorted(reader.indexed_field_names()):
            for term in reader.lexicon(fieldname):
                info = reader.term_info(fieldname, term)
                seen.append((fieldname, term, info.weight(), info.doc_frequency()))
                seen.append((info.min_length(), info.max_length(), info.max_weight()))
                postings = reader.postings(fieldname, term)
                while postings.is_active():
                    seen.append((postings.id(), postings.weight(), postings.value()))
                    postings.next()
        for docnum in range(reader.doc_count_all()):
            seen.append(sorted(reader.stored_fields(docnum).items()))
            seen.append([reader.doc_field_length(docnum, f) for f in ("title", "body", "exact")])
    return seen


@pytest.mark.parametrize("limitmb", [64, 0.05], ids=["in-memory", "spilled"])
def test_the_build_writer_writes_what_whoosh_writes(tmp_path: Path, limitmb: float) -> None:
    for name, records in _records(3).items():
        ours = _written(
            tmp_path / f"ours-{name}", name, records, lambda ix: BuildWriter(ix, limitmb)
        )
        plain = _written(tmp_path / f"plain-{name}", name, records, SegmentWriter)
        assert _contents(ours) == _contents(plain)
        with ours.searcher() as searcher:
            assert searcher.doc_count() == len(records) > 2


def test_between_files_hides_each_files_survivors_from_the_collector_then_hands_them_back() -> None:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with between_files() as done_with_file:
        assert not gc.isenabled()
        kept = [[n] for n in range(1000)]  # a file's records, alive to the end
        done_with_file()
        assert gc.get_freeze_count() >= len(kept)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_forked_worker_keeps_its_parents_dictionaries_frozen() -> None:
    dictionary = {n: [n] for n in range(1000)}
    gc.freeze()  # as the build does before forking its workers
    try:
        frozen = gc.get_freeze_count()
        with between_files() as done_with_file:
            kept = [[n] for n in range(100)]
            done_with_file()
        assert gc.get_freeze_count() >= frozen + len(kept) and gc.isenabled()
    finally:
        gc.unfreeze()
    assert dictionary[999] == [999]
