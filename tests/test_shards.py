"""Shards on several machines (issue 10), for real: the seeds built as two shards
(`build --shard I/2`), each served by `xapian-tcpsrv` on 127.0.0.1, read by one
service (`--shards`) and compared with one local Xapian database of the same
files; one shard stopped and restarted under requests; writes routed by id.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from corpus_search.cli import main
from corpus_search.config import Settings, SettingsError
from corpus_search.errors import IndexBuildError
from corpus_search.index import live_directory, rebuild
from corpus_search.index.build import add_files, remove_articles
from corpus_search.index.ids import ShardSpec, shard_of
from corpus_search.index.xapian import xapian_directory
from corpus_search.search import SearchService
from corpus_search.web import create_app
from corpus_search.xapian_backend.shards import Shard, ShardSet
from corpus_search.xapian_backend.tcpsrv import ShardServer, executable, free_port
from support import DATA, SEEDS

pytestmark = pytest.mark.skipif(
    executable() is None, reason="xapian-tcpsrv is not installed (scripts/install-xapian)"
)
QUERY_FILES = (DATA / "eval_queries.jsonl", DATA / "dev_queries.jsonl")


def _queries() -> list[str]:
    return [
        json.loads(line)["query"] for path in QUERY_FILES for line in path.open(encoding="utf-8")
    ]


def _until(check: Callable[[], bool], seconds: float = 15.0) -> bool:
    """Poll ``check`` until it holds (True) or ``seconds`` pass (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("source") / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="module")
def whole(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The same files in one local Xapian database."""
    settings = Settings(
        index_dir=tmp_path_factory.mktemp("whole") / "index", source_dir=source, backend="xapian"
    )
    rebuild(settings)
    return settings


@pytest.fixture(scope="module")
def shard_settings(source: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Settings]:
    built = []
    for number in range(2):
        index = tmp_path_factory.mktemp(f"shard{number}") / "index"
        settings = Settings(index_dir=index, source_dir=source, backend="xapian")
        report = rebuild(settings, shard=ShardSpec(number, 2))
        assert report.shard == f"{number}/2"
        built.append(settings)
    return built


@pytest.fixture(scope="module")
def servers(shard_settings: list[Settings]) -> Iterator[list[ShardServer]]:
    """One xapian-tcpsrv per shard, serving the database through the index link."""
    started = [ShardServer(xapian_directory(s.index_dir)) for s in shard_settings]
    try:
        for server in started:
            server.start()
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="module")
def sharded(servers: list[ShardServer]) -> Settings:
    return Settings(shards=tuple(s.address for s in servers))


@pytest.fixture(scope="module")
def clients(whole: Settings, sharded: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(create_app(whole, SearchService(whole))) as one:
        with TestClient(create_app(sharded, SearchService(sharded))) as shards:
            yield one, shards


def _search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _facet_counts(found: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {k: {f["value"]: f["count"] for f in v} for k, v in found["facets"].items()}


# -- the build --------------------------------------------------------------------
def test_each_shard_holds_the_files_its_ids_hash_to(
    whole: Settings, shard_settings: list[Settings]
) -> None:
    everyone = SearchService(whole).generation()
    alive: set[str] = set()
    for number, settings in enumerate(shard_settings):
        build = live_directory(settings)
        assert build is not None
        manifest = json.loads((build / "manifest.json").read_text("utf-8"))
        assert manifest["shard"] == f"{number}/2"
        mine = {e["id"] for e in manifest["files"].values() if e.get("id")}
        assert all(shard_of(i, 2) == number for i in mine)
        others = [e for e in manifest["files"].values() if "shard" in e]
        assert all(e["shard"] == 1 - number for e in others)
        assert not mine & alive
        alive |= mine
    assert len(alive) == everyone.article_total == 5


def test_a_shard_build_says_what_it_left_to_the_others(source: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    index = tmp_path / "index"
    args = ["build", "--source", str(source), "--index", str(index), "--shard", "1/2"]
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    assert "shard 1/2" in done.output and "on other shards" in done.output
    assert "elsewhere, shard 0's" in done.output
    bad = runner.invoke(main, ["build", "--index", str(index), "--shard", "2/2"])
    assert bad.exit_code != 0 and "numbered 0 to 1" in bad.output
    bad = runner.invoke(main, ["build", "--index", str(index), "--shard", "half"])
    assert bad.exit_code != 0 and "I/N" in bad.output
    whoosh = ["build", "--index", str(index), "--shard", "0/2", "--backend", "whoosh"]
    assert "a shard is a Xapian database" in runner.invoke(main, whoosh).output


# -- searching the shards as one ------------------------------------------------------
def test_every_judged_query_finds_the_same_articles(
    clients: tuple[TestClient, TestClient],
) -> None:
    one, shards = clients
    hits = same_snippets = 0
    queries = _queries()
    for q in queries:
        a, b = _search(one, q=q), _search(shards, q=q)
        assert b["partial"] is False and b["missing_shards"] == []
        assert a["total"] == b["total"], q
        # Every shard weighs field lengths by the same averages (`averaging_sample`).
        assert [r["id"] for r in a["results"]] == [r["id"] for r in b["results"]], q
        assert [r["score"] for r in a["results"]] == pytest.approx(
            [r["score"] for r in b["results"]], rel=1e-6
        ), q
        assert _facet_counts(a) == _facet_counts(b), q
        snippets = {r["id"]: r["snippets"] for r in a["results"]}
        for r in b["results"]:
            marked = ["<mark>" in s for s in snippets[r["id"]]]
            assert ["<mark>" in s for s in r["snippets"]] == marked, (q, r["id"])
            hits += 1
            same_snippets += r["snippets"] == snippets[r["id"]]
    # Snippets come from each article's words and characters kept in Xapian (`offsets`).
    assert same_snippets == hits


def _all_quotes(client: TestClient, params: dict[str, str]) -> list[str]:
    """Every quote of a search or listing, page by page (a listing's order is the order
    the quotes were added: on shards, each shard's in turn)."""
    found: list[str] = []
    for page in range(1, 100):
        answer = client.get("/api/quotes", params=params | {"page": page, "per_page": 50})
        got = answer.json()
        assert answer.status_code == 200 and got["partial"] is False, params
        found += [q["text"] for q in got["results"]]
        if page * 50 >= got["total"]:
            assert len(found) == got["total"], params
            return sorted(found)
    raise AssertionError(f"more pages than expected: {params}")


def test_filters_quotes_and_people_answer_alike(clients: tuple[TestClient, TestClient]) -> None:
    one, shards = clients
    for params in ({"q": "天猫", "lang": "en"}, {"q": "天猫", "executive": "zhang-yong"}):
        a, b = _search(one, **params), _search(shards, **params)
        assert [r["id"] for r in a["results"]] == [r["id"] for r in b["results"]]
    for params in (
        {"q": "雙11"},
        {"speaker": "張勇"},
        {},
        {"q": "新零售", "speaker": "Daniel Zhang"},
    ):
        a, b = _all_quotes(one, params), _all_quotes(shards, params)
        assert a == b and a, params
    assert one.get("/api/executives").json() == shards.get("/api/executives").json()
    assert one.get("/healthz").json()["articles"] == shards.get("/healthz").json()["articles"]


def test_articles_and_pages_read_from_the_shards(clients: tuple[TestClient, TestClient]) -> None:
    one, shards = clients
    for hit in _search(one, q="阿里巴巴", per_page=10)["results"]:
        a = one.get(f"/api/articles/{hit['id']}").json()
        b = shards.get(f"/api/articles/{hit['id']}").json()
        assert a == b
        page = shards.get(hit["url"], params={"q": "阿里巴巴"})
        assert page.status_code == 200 and "<mark>" in page.text
    assert shards.get("/api/articles/no-such-id").status_code == 404
    for path in ("/?q=張勇", "/quotes?q=雙11", "/executives", "/docs"):
        assert shards.get(path).status_code == 200, path
    source = shards.get("/sources/000_1e9703de958eb715.txt")
    assert source.status_code == 404 and "shard" in source.text


def test_the_command_line_reads_shards(sharded: Settings) -> None:
    runner = CliRunner()
    found = runner.invoke(main, ["search", "張勇", "--shards", ",".join(sharded.shards)])
    assert found.exit_code == 0, found.output
    assert "result(s) for '張勇'" in found.output
    listed = runner.invoke(
        main, ["quotes", "--speaker", "zhang-yong", "--json", "--shards", sharded.shards[0]]
    )
    assert listed.exit_code == 0 and json.loads(listed.output)["partial"] is False
    bad = runner.invoke(main, ["search", "x", "--shards", "nowhere"])
    assert bad.exit_code != 0 and "host:port" in bad.output


def test_eval_over_the_shards_gives_the_figures_of_one_database(
    whole: Settings, sharded: Settings
) -> None:
    runner = CliRunner()
    figures = []
    for where in (
        ["--index", str(whole.index_dir), "--backend", "xapian"],
        ["--shards", ",".join(sharded.shards)],
    ):
        args = [
            "eval",
            str(DATA / "eval_queries.jsonl"),
            "--quotes",
            str(DATA / "eval_quotes.jsonl"),
        ]
        done = runner.invoke(main, [*args, "--no-baselines", "--json", *where])
        assert done.exit_code == 0, done.output
        report = json.loads(done.output)
        figures.append((report["runs"][0]["overall"], report["quotes"]))
    (one, one_quotes), (shards, shards_quotes) = figures
    assert one_quotes == shards_quotes
    for metric in ("mrr@10", "recall@10", "precision@10", "top1", "empty_ok"):
        assert shards[metric] == pytest.approx(one[metric], abs=0.01), metric


def test_a_shard_address_is_checked() -> None:
    assert Settings(shards=(" 10.0.0.2:9101", "10.0.0.2:9101", "")).shards == ("10.0.0.2:9101",)
    given = Settings.from_env({"CORPUS_SEARCH_SHARDS": "a:1,b:2"})
    assert given.shards == ("a:1", "b:2")
    assert Settings.from_env(given.to_env()) == given  # as `serve --workers` hands them on
    for bad in ("a", "a:", ":1", "a:0", "a:70000", "a:b"):
        with pytest.raises(SettingsError, match="host:port"):
            Settings(shards=(bad,))
    assert Shard.parse("[::1]:9101") == Shard("::1", 9101)


# -- a shard down ---------------------------------------------------------------------------
def test_a_stopped_shard_gives_partial_answers_and_rejoins(
    clients: tuple[TestClient, TestClient], servers: list[ShardServer], sharded: Settings
) -> None:
    one, shards = clients
    whole = _search(one, q="天猫")
    stopped = servers[1]
    stopped.stop()
    try:
        statuses = []
        for q in _queries()[:40]:  # a stream of requests, none may fail
            for path in ("/api/search", "/", "/api/quotes", "/quotes"):
                statuses.append(shards.get(path, params={"q": q}).status_code)
        assert set(statuses) <= {200, 400}, statuses  # 400: a query of stop words alone
        partial = _search(shards, q="天猫")
        assert partial["partial"] is True and partial["missing_shards"] == [stopped.address]
        assert 0 < partial["total"] < whole["total"]
        page = shards.get("/", params={"q": "天猫"})
        assert page.status_code == 200 and "Partial results" in page.text
        assert stopped.address in page.text
        quotes = shards.get("/api/quotes", params={"q": "天猫"}).json()
        assert quotes["partial"] is True
        health = shards.get("/healthz").json()
        assert health["partial"] is True and health["missing_shards"] == [stopped.address]
    finally:
        stopped.start()
    assert _until(lambda: _search(shards, q="天猫")["total"] == whole["total"])
    back = _search(shards, q="天猫")
    assert back["partial"] is False
    assert [r["id"] for r in back["results"]] == [r["id"] for r in whole["results"]]


def test_no_shard_answering_is_an_empty_partial_answer() -> None:
    nowhere = Settings(shards=(f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"))
    with TestClient(create_app(nowhere, SearchService(nowhere))) as client:
        found = _search(client, q="天猫")
        assert found["total"] == 0 and found["partial"] is True
        assert len(found["missing_shards"]) == 2
        assert client.get("/").status_code == 200
        assert client.get("/api/articles/x").status_code == 404


# -- writes go to the shard that owns the id ---------------------------------------------
ARTICLE = """標題：深圳初創公司推出無人機送貨
日期：2026-11-30

深圳無人機初創公司「雲翼物流」創辦人何嘉敏表示：「我們希望三年內覆蓋大灣區所有城市。」
"""


def test_writes_are_routed_to_the_owning_shard(
    shard_settings: list[Settings], clients: tuple[TestClient, TestClient], tmp_path: Path
) -> None:
    _, shards = clients
    article = tmp_path / "drone-delivery.txt"
    article.write_text(ARTICLE, "utf-8")
    owner = shard_of("drone-delivery", 2)
    other = shard_settings[1 - owner]
    refused = add_files(other, [article])
    assert refused.added == 0
    assert any(f"belongs to shard {owner} of 2" in s.reason for s in refused.skipped)
    added = add_files(shard_settings[owner], [article])
    assert added.added == 1 and added.shard == f"{owner}/2"
    assert _until(lambda: _search(shards, q="無人機送貨")["total"] == 1)
    with pytest.raises(IndexBuildError, match=f"not on this shard.*shard {owner}"):
        remove_articles(other, ["drone-delivery"])
    remove_articles(shard_settings[owner], ["drone-delivery"])
    assert _until(lambda: _search(shards, q="無人機送貨")["total"] == 0)


def test_shard_serve_serves_and_follows_a_rebuild(source: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    settings = Settings(index_dir=index, source_dir=source, backend="xapian")
    rebuild(settings, shard=ShardSpec(0, 1))
    port = free_port()
    command = [sys.executable, "-m", "corpus_search.cli", "shard-serve", "--index", str(index)]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    try:
        reader = SearchService(Settings(shards=(f"127.0.0.1:{port}",)))
        assert _until(lambda: reader.health()["articles"] == 5 and not reader.health()["partial"])
        first = reader.search("天猫").total
        (source / "extra.txt").write_text(ARTICLE, "utf-8")
        try:
            rebuild(settings)  # the shard's own rebuild: swapped in on its machine
            assert _until(lambda: reader.search("無人機").total == 1)
            assert reader.search("天猫").total == first
        finally:
            (source / "extra.txt").unlink()
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0].decode()
    assert process.returncode == 0, output
    assert f"on 127.0.0.1:{port}" in output
    assert not ShardSet([Shard("127.0.0.1", port)]).live()[0]  # stopped with its connections
