"""Incremental builds, add/remove, builds in worker processes, and serve --workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search.browser import _free_port, _wait
from corpus_search.cli import main
from corpus_search.config import Settings
from corpus_search.errors import IndexBuildError
from corpus_search.index import add_files, read_manifest, rebuild, remove_articles
from corpus_search.index.build import PARALLEL_FROM
from corpus_search.search import SearchService
from support import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def copy(folder: Path, count: int = 5) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEED_FILES[:count]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def test_a_second_build_reads_only_what_changed(tmp_path: Path) -> None:
    source = copy(tmp_path / "src", 4)
    settings = Settings(index_dir=tmp_path / "ix", source_dir=source)
    first = rebuild(settings)
    assert (first.mode, first.added, first.articles) == ("full", 4, 4)
    service = SearchService(settings)
    assert service.search("胡伟雄").total == 1
    unchanged = rebuild(settings)
    assert (unchanged.mode, unchanged.unchanged, unchanged.added) == ("incremental", 4, 0)

    (source / SEED_FILES[3].name).unlink()  # the only article naming 胡伟雄
    (source / SEED_FILES[4].name).write_bytes(SEED_FILES[4].read_bytes())
    changed = source / SEED_FILES[0].name
    text = changed.read_text("utf-8").replace("一直推進全球化", "一直推進補充說明全球化")
    changed.write_text(text, "utf-8")
    report = rebuild(settings)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 2)
    assert report.articles == 4
    assert "1 new, 1 changed, 1 removed, 2 unchanged" in "\n".join(report.lines())
    assert service.search("胡伟雄").total == 0  # the running service follows the swap
    assert service.search("补充说明").total == 1
    assert service.health()["articles"] == 4


def test_add_and_remove_change_the_live_index(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "ix", source_dir=copy(tmp_path / "src", 2))
    rebuild(settings)
    service = SearchService(settings)
    elsewhere = copy(tmp_path / "elsewhere", 4)
    report = add_files(settings, [elsewhere / SEED_FILES[3].name])
    assert (report.added, report.articles) == (1, 3)
    assert service.search("胡伟雄").total == 1
    assert service.raw_source(SEED_FILES[3].name) == SEED_FILES[3].read_bytes()
    # A later build of the source folder keeps the file added from elsewhere.
    assert rebuild(settings).articles == 3
    removed = remove_articles(settings, [SEED_FILES[3].stem])
    assert (removed.removed, removed.articles) == (1, 2)
    assert service.search("胡伟雄").total == 0
    with pytest.raises(IndexBuildError, match="no article with id"):
        remove_articles(settings, ["no-such-article"])


def test_add_and_remove_from_the_command_line(tmp_path: Path) -> None:
    source = copy(tmp_path / "src", 1)
    index = tmp_path / "ix"
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--source", str(source), "--index", str(index)])
    assert built.exit_code == 0, built.output
    extra = copy(tmp_path / "more", 2) / SEED_FILES[1].name
    added = runner.invoke(main, ["add", str(extra), "--index", str(index)])
    assert added.exit_code == 0, added.output
    assert "1 new" in added.output and "articles 2" in added.output
    gone = runner.invoke(main, ["remove", SEED_FILES[1].stem, "--index", str(index)])
    assert gone.exit_code == 0 and "1 removed" in gone.output
    missing = runner.invoke(main, ["remove", "nothing-here", "--index", str(index)])
    assert missing.exit_code != 0 and "no article with id" in missing.output


def test_files_asking_for_one_id_get_distinct_ids_in_path_order(tmp_path: Path) -> None:
    source = copy(tmp_path / "src", 1)
    stem = SEED_FILES[0].stem
    twin = source / f"{stem}.md"  # a.md sorts before a.txt: it keeps the id
    twin.write_bytes(SEED_FILES[3].read_bytes())
    (source / "records.jsonl").write_text(
        record(id=stem, title="Pelican plan", body="The pelican plan.") + "\n", "utf-8"
    )
    settings = Settings(index_dir=tmp_path / "ix", source_dir=source)
    report = rebuild(settings)
    assert report.articles == 3 and report.skipped == []
    given = {r.source_file: r.given for r in report.renamed}
    assert given == {SEED_FILES[0].name: f"{stem}-2", "records.jsonl": f"{stem}-3"}
    assert f"renamed  {SEED_FILES[0].name}: article id '{stem}' was taken" in "\n".join(
        report.lines()
    )
    service = SearchService(settings)
    assert [h.id for h in service.search("pelican").hits] == [f"{stem}-3"]
    assert [(h.id, h.source_file) for h in service.search("胡伟雄").hits] == [(stem, twin.name)]
    twin.unlink()  # the id is free again: the next file in path order takes it
    again = rebuild(settings)
    assert (again.removed, again.updated) == (1, 2)  # both later ones move up
    assert [(r.source_file, r.given) for r in again.renamed] == [("records.jsonl", f"{stem}-2")]
    assert {h.id for h in service.search("pelican").hits} == {f"{stem}-2"}
    assert _ids(settings) == _ids(_full_copy(settings, tmp_path / "full"))


def record(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _ids(settings: Settings) -> dict[str, list[str]]:
    files = read_manifest(settings)["files"]
    return {Path(path).name: entry.get("ids", []) for path, entry in files.items()}


def _full_copy(settings: Settings, index: Path) -> Settings:
    full = settings.with_paths(index=index)
    rebuild(full, full=True)
    return full


def test_a_changed_json_lines_file_replaces_exactly_its_articles(tmp_path: Path) -> None:
    source = copy(tmp_path / "src", 2)
    news = source / "news.jsonl"
    lines = [
        record(id="pelican", title="Pelican plan", body="The pelican plan is new."),
        record(id="heron", title="Heron plan", body="The heron plan follows."),
        "{not json",
    ]
    news.write_text("\n".join(lines), "utf-8")
    settings = Settings(index_dir=tmp_path / "ix", source_dir=source)
    first = rebuild(settings)
    assert first.articles == 4 and [s.part for s in first.skipped] == ["line 3"]
    service = SearchService(settings)
    assert service.search("heron").total == 1
    unchanged = rebuild(settings)
    assert unchanged.unchanged == 3 and [s.part for s in unchanged.skipped] == ["line 3"]
    assert {f.status for f in unchanged.file_reports} == {"unchanged"}
    lines[1:] = [record(id="egret", title="Egret plan", body="The egret plan.")]
    news.write_text("\n".join(lines), "utf-8")
    changed = rebuild(settings)
    assert (changed.updated, changed.unchanged, changed.articles) == (1, 2, 4)
    assert changed.skipped == []
    assert service.search("heron").total == 0
    assert [h.id for h in service.search("egret").hits] == ["egret"]
    assert [h.id for h in service.search("pelican").hits] == ["pelican"]
    assert service.search("张勇").total > 0
    news.unlink()
    gone = rebuild(settings)
    assert (gone.removed, gone.articles) == (1, 2)
    assert service.search("pelican").total == service.search("egret").total == 0


def test_removing_one_article_of_a_file_keeps_the_others(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "news.jsonl").write_text(
        record(id="pelican", title="Pelican plan", body="The pelican plan.")
        + "\n"
        + record(id="heron", title="Heron plan", body="The heron plan."),
        "utf-8",
    )
    settings = Settings(index_dir=tmp_path / "ix", source_dir=source)
    rebuild(settings)
    service = SearchService(settings)
    removed = remove_articles(settings, ["heron"])
    assert (removed.removed, removed.articles) == (1, 1)
    assert service.search("heron").total == 0 and service.search("pelican").total == 1
    assert rebuild(settings).articles == 2  # the file is still there: read again
    assert service.search("heron").total == 1


def test_a_build_in_worker_processes_finds_what_one_process_finds(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    copies = -(-PARALLEL_FROM // len(SEED_FILES))
    for n in range(copies):
        for seed in SEED_FILES:
            (source / f"{n:02d}-{seed.name}").write_bytes(seed.read_bytes())
    one = Settings(index_dir=tmp_path / "one", source_dir=source)
    two = Settings(index_dir=tmp_path / "two", source_dir=source)
    report_one = rebuild(one, workers=1)
    report_two = rebuild(two, workers=2)
    assert report_two.articles == report_one.articles == copies * len(SEED_FILES)
    assert report_two.quotes == report_one.quotes
    assert read_manifest(two)["files"] == read_manifest(one)["files"]
    for query in ["張勇", '"flexible production"', "live streaming", "胡伟雄"]:
        a, b = SearchService(one).search(query), SearchService(two).search(query)
        assert a.total == b.total > 0, query
        assert sorted(h.id for h in a.hits) == sorted(h.id for h in b.hits), query


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return dict(json.loads(response.read()))


def test_serve_with_two_workers_follows_a_rebuild(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "ix", source_dir=copy(tmp_path / "src", 2))
    rebuild(settings)
    port = _free_port()
    command = [sys.executable, "-m", "corpus_search.cli", "serve", "--index"]
    command += [str(settings.index_dir), "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/healthz", server, seconds=90)
        assert _get(f"{base}/healthz")["articles"] == 2
        copy(settings.source_dir, 4)
        rebuild(settings)
        deadline = time.monotonic() + 30
        seen = [_get(f"{base}/healthz")["articles"] for _ in range(8)]
        while set(seen) != {4} and time.monotonic() < deadline:
            seen = [_get(f"{base}/healthz")["articles"] for _ in range(8)]
        assert set(seen) == {4}
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
