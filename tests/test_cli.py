from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from corpus_search.cli import main
from corpus_search.config import Settings
from support import SEEDS


def test_build_prints_a_report(tmp_path: Path) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (source / seed.name).write_bytes(seed.read_bytes())
    (source / "broken.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00junk")
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "articles 2" in result.output
    assert "broken.txt" in result.output and "skipped" in result.output


def test_search_json_is_the_api_json(settings: Settings, client) -> None:  # noqa: ANN001
    runner = CliRunner()
    result = runner.invoke(main, ["search", "胡伟雄", "--json", "--index", str(settings.index_dir)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["results"][0]["source_file"] == "003_b5f113dcc02eb8d2.txt"
    api = client.get("/api/search", params={"q": "胡伟雄"}).json()
    assert [r["id"] for r in printed["results"]] == [r["id"] for r in api["results"]]


def test_search_text_output(settings: Settings) -> None:
    result = CliRunner().invoke(
        main, ["search", "flexible production", "--limit", "1", "--index", str(settings.index_dir)]
    )
    assert result.exit_code == 0
    assert "004_2c4f070191514ec2.txt" in result.output


def test_search_reports_a_bad_query(settings: Settings) -> None:
    result = CliRunner().invoke(main, ["search", "  ", "--index", str(settings.index_dir)])
    assert result.exit_code != 0
    assert "empty" in result.output


def test_search_without_an_index_explains_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "张勇", "--index", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "corpus-search build" in result.output


def test_quotes_command(settings: Settings) -> None:
    result = CliRunner().invoke(
        main, ["quotes", "--speaker", "胡偉雄", "--json", "--index", str(settings.index_dir)]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["total"] > 0
    assert {q["speaker_id"] for q in body["results"]} == {"hu-weixiong"}
