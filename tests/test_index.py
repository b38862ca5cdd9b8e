from __future__ import annotations

from pathlib import Path

import pytest

from corpus_search.config import Settings
from corpus_search.errors import CorpusSearchError, IndexBuildError, IndexMissingError
from corpus_search.index import documents as index_module
from corpus_search.index import fingerprint, is_current, live_directory, open_indexes, rebuild
from corpus_search.search import SearchService
from support import SEEDS


def copy_seeds(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt"))[:count]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def test_build_reports_what_it_read(tmp_path: Path) -> None:
    source = copy_seeds(tmp_path / "src", 5)
    (source / "latin1.txt").write_bytes("Caf\xe9 au lait, na\xefve r\xe9sum\xe9".encode("latin-1"))
    (source / "empty.txt").write_bytes(b"")
    report = rebuild(Settings(index_dir=tmp_path / "ix", source_dir=source))
    assert report.articles == 5 and report.files_read == 7
    assert report.passages > 100 and report.quotes > 0
    assert {s.source_file for s in report.skipped} == {"latin1.txt", "empty.txt"}
    # Where the time went: each stage, and the CPU of the build and its workers.
    assert {"plan", "prepare", "commit", "finish"} <= set(report.phases)
    assert 0 < report.phases["prepare"] <= report.seconds and report.cpu_seconds > 0
    assert "CPU" in next(line for line in report.lines() if line.startswith("time"))
    assert "_cpu_started" not in report.to_dict()


def test_rebuild_swaps_atomically_and_the_service_follows(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "ix", source_dir=copy_seeds(tmp_path / "a", 5))
    rebuild(settings)
    service = SearchService(settings)
    assert service.health()["articles"] == 5
    first_build = settings.index_dir.resolve()
    rebuild(settings.with_paths(source=copy_seeds(tmp_path / "b", 2)))
    assert settings.index_dir.is_symlink()
    assert settings.index_dir.resolve() != first_build
    assert service.health()["articles"] == 2
    builds = [p for p in tmp_path.glob("ix-*") if p.is_dir()]
    assert len(builds) <= 2


def test_a_failed_build_leaves_the_previous_index_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(index_dir=tmp_path / "ix", source_dir=copy_seeds(tmp_path / "a", 3))
    rebuild(settings)
    service = SearchService(settings)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(index_module, "extract_quotes_and_people", broken)
    with pytest.raises(IndexBuildError, match="previous index kept"):
        rebuild(settings, full=True)
    monkeypatch.undo()
    assert service.health()["articles"] == 3
    assert service.search("张勇").total > 0
    with pytest.raises(CorpusSearchError):
        rebuild(settings.with_paths(source=tmp_path / "missing"))
    assert open_indexes(live_directory(settings))["articles"].doc_count() == 3


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="corpus-search build"):
        SearchService(Settings(index_dir=tmp_path / "nothing")).search("張勇")


def test_an_index_knows_whether_it_is_current(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "ix", source_dir=copy_seeds(tmp_path / "a", 1))
    assert not is_current(settings)
    rebuild(settings)
    assert is_current(settings)
    manifest = settings.index_dir / "manifest.json"
    manifest.write_text(manifest.read_text("utf-8").replace(fingerprint(), "older"), "utf-8")
    assert not is_current(settings)


def test_a_folder_with_no_readable_article_does_not_replace_the_index(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "ix", source_dir=copy_seeds(tmp_path / "a", 2))
    rebuild(settings)
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "binary.txt").write_bytes(b"\x00\x01\x02")
    with pytest.raises(IndexBuildError, match="no article could be read"):
        rebuild(settings.with_paths(source=junk))
    assert SearchService(settings).health()["articles"] == 2
