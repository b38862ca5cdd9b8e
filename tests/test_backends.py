"""The backend setting end to end: the seeds built with each backend answer alike.

Every judged query of the shared sample (tests/data/eval_queries.jsonl is a copy
of ../shared/eval/queries.jsonl) gives the same /api/search ids, totals and
facets with ``whoosh`` and ``xapian``; the eval figures are the same; the web
app's pages answer from a Xapian build; incremental builds keep a Xapian build in
line with a Whoosh one; a build serves the backend it was built for, and says so
when asked for the other.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from corpus_search.cli import main
from corpus_search.config import Settings
from corpus_search.errors import IndexBuildError, IndexMissingError, QueryTooCostly
from corpus_search.index import build as build_module
from corpus_search.index import index_problem, live_directory, rebuild
from corpus_search.index import xapian as xapian_index
from corpus_search.index.build import add_files, remove_articles
from corpus_search.index.store import has_whoosh
from corpus_search.index.xapian import has_xapian, spool_directory
from corpus_search.search import SearchService
from corpus_search.xapian_backend.table import FacetTable
from support import DATA, SEEDS

QUERIES = DATA / "eval_queries.jsonl"
QUERY_FILES = (QUERIES, DATA / "dev_queries.jsonl")


def _queries() -> list[str]:
    return [
        json.loads(line)["query"] for path in QUERY_FILES for line in path.open(encoding="utf-8")
    ]


def _answer(client: TestClient, q: str) -> tuple[int, dict[str, Any]]:
    response = client.get("/api/search", params={"q": q})
    return response.status_code, response.json()


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ids = [r["id"] for r in a["results"]] == [r["id"] for r in b["results"]]
    return ids and a["total"] == b["total"] and a["facets"] == b["facets"]


def test_each_build_holds_its_own_backend(settings: Settings, xapian_settings: Settings) -> None:
    xapian_build, whoosh_build = live_directory(xapian_settings), live_directory(settings)
    assert has_xapian(xapian_build) and not has_whoosh(xapian_build)
    assert has_whoosh(whoosh_build) and not has_xapian(whoosh_build)
    assert SearchService(xapian_settings).search("天猫").total > 0
    for index_dir, backend, missing in (
        (settings.index_dir, "xapian", "no Xapian database"),
        (xapian_settings.index_dir, "whoosh", "built for the xapian backend"),
    ):
        asked = Settings(index_dir=index_dir, backend=backend)
        assert missing in str(index_problem(asked))  # `serve` would build it
        with pytest.raises(IndexMissingError, match=missing):
            SearchService(asked).search("天猫")


def test_every_judged_query_answers_alike(client: TestClient, xapian_client: TestClient) -> None:
    queries = _queries()
    assert len(queries) >= 100
    for q in queries:
        (status, ours), (theirs_status, theirs) = _answer(client, q), _answer(xapian_client, q)
        assert status == theirs_status, q
        if status == 200:
            assert _same(ours, theirs), q
            assert theirs.keys() == ours.keys()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "阿里巴巴", "lang": "en"},
        {"q": "天猫", "executive": "張勇"},
        {"q": "Tmall", "year": "2021"},
        {"q": "天猫", "topic": "雙11", "lang": "zh-Hant"},
        {"q": "天猫", "page": "2", "per_page": "3"},
    ],
)
def test_filters_and_pages_answer_alike(
    client: TestClient, xapian_client: TestClient, params: dict[str, str]
) -> None:
    ours = client.get("/api/search", params=params).json()
    theirs = xapian_client.get("/api/search", params=params).json()
    assert ours["total"] > 0 and _same(ours, theirs)


def test_quotes_and_counts_answer_alike(service: SearchService, xapian_settings: Settings) -> None:
    xapian = SearchService(xapian_settings)
    for q, speaker in (("天猫", None), ("阿里巴巴", "張勇"), ("Tmall", None)):
        ours, theirs = (
            service.quotes(q, speaker, per_page=50),
            xapian.quotes(q, speaker, per_page=50),
        )
        assert theirs.total == ours.total
        assert sorted(x.text for x in theirs.quotes) == sorted(x.text for x in ours.quotes)
        assert xapian.count(q) == service.count(q)


def test_the_web_app_answers_from_xapian(xapian_client: TestClient) -> None:
    found = xapian_client.get("/api/search", params={"q": "天猫"}).json()
    assert found["total"] > 0 and found["results"][0]["snippets"]
    article = found["results"][0]["id"]
    assert xapian_client.get(f"/api/articles/{article}").status_code == 200
    quotes = xapian_client.get("/api/quotes", params={"q": "天猫"})
    assert quotes.status_code == 200 and quotes.json()["total"] > 0
    for page in ("/", "/?q=天猫", f"/articles/{article}?q=天猫", "/quotes?q=天猫"):
        assert xapian_client.get(page).status_code == 200, page
    name = found["results"][0]["source_file"]
    source = xapian_client.get(f"/sources/{name}")  # kept in the build, as with Whoosh
    assert source.status_code == 200 and source.content == (SEEDS / name).read_bytes()


def _eval(index: Path, backend: str) -> dict[str, Any]:
    args = ["eval", str(QUERIES), "--index", str(index), "--no-baselines", "--json"]
    result = CliRunner().invoke(main, [*args, "--backend", backend])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_eval_gives_the_same_figures(settings: Settings, xapian_settings: Settings) -> None:
    whoosh = _eval(settings.index_dir, "whoosh")
    xapian = _eval(xapian_settings.index_dir, "xapian")
    assert xapian["runs"] == whoosh["runs"]


# -- incremental builds ---------------------------------------------------------------
def _ids_and_totals(settings: Settings) -> list[tuple[list[str], int]]:
    service = SearchService(settings)
    queries = ("天猫", "阿里巴巴", "Tmall", "張勇", '"天猫"', '"阿里巴巴集团"', '"in this"')
    found = [service.search(q) for q in queries]
    return [(sorted(h.id for h in r.hits), r.total) for r in found]


def _table_kept(settings: Settings) -> bool:
    """Does the live Xapian build keep its database's articles' facet values, as they
    are read from the database?"""
    import xapian

    from corpus_search.index.schema import ARTICLES
    from corpus_search.xapian_backend.engine import FACETS
    from corpus_search.xapian_backend.store import BUILD

    build = live_directory(settings)
    db = xapian.Database(str(xapian_index.xapian_directory(build)))
    try:
        read = FacetTable.read(db, ARTICLES, FACETS)
        kept = FacetTable.load(build / xapian_index.TABLE, db.get_metadata(BUILD).decode(), FACETS)
    finally:
        db.close()
    return kept is not None and all(
        (kept.columns[n].names, kept.columns[n].rows.codes.tolist(), kept.docids.tolist())
        == (read.columns[n].names, read.columns[n].rows.codes.tolist(), read.docids.tolist())
        for n in FACETS
    )


def _twins(tmp_path: Path) -> tuple[Settings, Settings]:
    source = tmp_path / "source"
    shutil.copytree(SEEDS, source)
    return tuple(  # type: ignore[return-value]
        Settings(index_dir=tmp_path / b / "index", source_dir=source, backend=b)
        for b in ("whoosh", "xapian")
    )


@pytest.mark.parametrize("merged", [False, True])
def test_incremental_builds_update_the_xapian_databases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merged: bool
) -> None:
    """In place, or (``merged``: as an update adding many records is) written in parts
    and compacted with the live database: the same answers as Whoosh's."""
    if merged:
        monkeypatch.setattr(xapian_index, "MERGE_MIN", 0)
        monkeypatch.setattr(xapian_index, "MERGE_FROM", 0.0)
    compacted: list[list[str]] = []
    compact = xapian_index._compact
    monkeypatch.setattr(
        xapian_index,
        "_compact",
        lambda sources, *rest: compacted.append(sources) or compact(sources, *rest),
    )
    whoosh, xapian = _twins(tmp_path)
    for settings in (whoosh, xapian):
        rebuild(settings)
    compacted.clear()  # (a new database may be compacted from its parts too)
    files = sorted(whoosh.source_dir.iterdir())
    files[0].unlink()
    files[1].write_text(files[1].read_text("utf-8") + "\n\n天猫 Tmall 天猫\n", "utf-8")
    for settings in (whoosh, xapian):
        assert rebuild(settings).mode == "incremental"
    assert has_xapian(live_directory(xapian))
    assert _ids_and_totals(xapian) == _ids_and_totals(whoosh) and _table_kept(xapian)
    article = SearchService(whoosh).search("天猫").hits[0].id
    for settings in (whoosh, xapian):
        remove_articles(settings, [article])
    assert _ids_and_totals(xapian) == _ids_and_totals(whoosh) and _table_kept(xapian)
    for settings in (whoosh, xapian):
        add_files(settings, [SEEDS / files[0].name])
    assert _ids_and_totals(xapian) == _ids_and_totals(whoosh) and _table_kept(xapian)
    # Each update merged with the live database (its first source), or none.
    assert len(compacted) == (3 if merged else 0)
    assert all(len(sources) >= 2 for sources in compacted)


def test_a_build_is_rebuilt_whole_for_the_other_backend(tmp_path: Path) -> None:
    whoosh, xapian = _twins(tmp_path)
    xapian = Settings(index_dir=whoosh.index_dir, source_dir=whoosh.source_dir, backend="xapian")
    rebuild(whoosh)
    article = SearchService(whoosh).search("天猫").hits[0].id
    with pytest.raises(IndexBuildError, match="no Xapian database to update"):
        remove_articles(xapian, [article])
    assert rebuild(xapian).mode == "full"
    build = live_directory(xapian)
    assert has_xapian(build) and not has_whoosh(build)
    with pytest.raises(IndexBuildError, match="no Whoosh indexes to update"):
        add_files(whoosh, [SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]])
    assert rebuild(whoosh).mode == "full" and SearchService(whoosh).search("天猫").total > 0


def test_build_workers_send_their_records_for_xapian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 2)
    whoosh, xapian = _twins(tmp_path)
    rebuild(whoosh, workers=1)
    rebuild(xapian, workers=2)
    assert _ids_and_totals(xapian) == _ids_and_totals(whoosh)
    assert not spool_directory(live_directory(xapian)).exists()  # written, then removed


def test_the_commands_take_the_backend(tmp_path: Path) -> None:
    runner = CliRunner()
    found = {}
    for backend in ("whoosh", "xapian"):
        args = ["--index", str(tmp_path / backend), "--backend", backend]
        built = runner.invoke(main, ["build", "--source", str(SEEDS), *args])
        assert built.exit_code == 0, built.output
        result = runner.invoke(main, ["search", "天猫", "--json", *args])
        assert result.exit_code == 0, result.output
        found[backend] = json.loads(result.output)
    assert _same(found["whoosh"], found["xapian"])
    other = ["search", "天猫", "--index", str(tmp_path / "xapian"), "--backend", "whoosh"]
    refused = runner.invoke(main, other)
    assert refused.exit_code != 0 and "--backend xapian" in refused.output
    assert "Traceback" not in refused.output


def test_the_request_budget_holds_with_xapian(xapian_settings: Settings) -> None:
    spent = SearchService(xapian_settings, time_budget=0.0)
    for call in (
        lambda: spent.search("張勇"),
        lambda: spent.count("張勇"),
        lambda: spent.quotes("雙11", None, 1, 10),
    ):
        with pytest.raises(QueryTooCostly):
            call()
    assert SearchService(xapian_settings).search("張勇").total > 0


def test_serve_never_replaces_a_build_for_the_other_backend(
    settings: Settings, xapian_settings: Settings
) -> None:
    for built, asked in ((xapian_settings, "whoosh"), (settings, "xapian")):
        before = live_directory(built)
        args = ["serve", "--index", str(built.index_dir), "--backend", asked, "--port", "0"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0 and "Traceback" not in result.output
        other = "xapian" if asked == "whoosh" else "whoosh"
        assert f"a build for the {other} backend" in result.output
        assert f"--backend {other}" in result.output
        assert live_directory(built) == before  # nothing was built


def test_a_warmed_xapian_server_counts_facets_from_the_values_its_build_kept(
    xapian_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local Xapian build's articles' facet values, kept by the build, are loaded when
    it opens (the server waits for them when it warms up); its answers are those of
    the value spies."""
    from corpus_search.xapian_backend.engine import Bases

    assert (live_directory(xapian_settings) / xapian_index.TABLE).is_file()  # kept by the build

    def unread(*_: object) -> None:
        raise AssertionError("the facet values were read, not loaded")

    monkeypatch.setattr(FacetTable, "read", unread)
    service = SearchService(xapian_settings)
    service.warm_up()
    generation = service.generation()
    table = generation.bases.table  # type: ignore[attr-defined]
    assert table is not None and len(table.docids) == len(list(SEEDS.iterdir()))
    queries = _queries()[:40]
    read = [service.search(q, per_page=5) for q in queries]
    generation.bases = Bases()  # type: ignore[attr-defined]  # no values read: spies
    for q, found in zip(queries, read, strict=True):
        spied = service.search(q, per_page=5)
        assert (found.total, found.facets) == (spied.total, spied.facets), q
        assert [h.id for h in found.hits] == [h.id for h in spied.hits], q
    assert any(found.total for found in read)
    one_off = SearchService(xapian_settings)  # a single search (the CLI) reads no table
    one_off.search("天猫")
    assert one_off.generation().bases.table is None  # type: ignore[attr-defined]


def test_a_build_swapped_in_under_a_server_reads_its_facet_values(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "index", source_dir=SEEDS, backend="xapian")
    rebuild(settings)
    service = SearchService(settings)
    service.warm_up()
    first = service.generation()
    rebuild(settings, full=True)  # a new build is swapped in
    swapped = service.generation()
    assert swapped is not first
    assert swapped._reading is not None  # type: ignore[attr-defined]  # started by the swap
    swapped.keep_warm(wait=True)  # ... and joined here
    assert swapped.bases.table is not None  # type: ignore[attr-defined]
    assert service.search("天猫").total > 0


@pytest.mark.parametrize("backend", ["whoosh", "xapian"])
def test_a_phrase_matches_its_words_in_a_row_only(tmp_path: Path, backend: str) -> None:
    """A phrase is looked up by its pairs of neighbouring words (`analysis.pairs`):
    a record holding every pair, but not in a row, is no match."""
    source = tmp_path / "source"
    source.mkdir()
    articles = {
        "apart.txt": "氣象站的筆記\n\n今年的數字經濟報告很長。老師說文字化石也很有趣。\n\n"
        "A river flows past the mill, and in this town the bridge is old.",
        "together.txt": "工廠改造\n\n這家工廠的數字化改造已經完成。\n\n"
        "The river in this town floods every spring.",
    }
    for name, text in articles.items():
        (source / name).write_text(text, "utf-8")
    settings = Settings(index_dir=tmp_path / "index", source_dir=source, backend=backend)
    rebuild(settings)
    service = SearchService(settings)

    def found(q: str) -> list[str]:
        return sorted(h.source_file for h in service.search(q).hits)

    assert found('"數字化"') == found('"数字化"') == ["together.txt"]
    assert found('"字化"') == ["apart.txt", "together.txt"]
    assert found('"river in this town"') == ["together.txt"]
    assert found('"in this town"') == ["apart.txt", "together.txt"]
    assert found('"化數字"') == []
