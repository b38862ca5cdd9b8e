"""The command line speaks command line: options, not API parameters; commands, not
routes; where it looked for an index; a port in use said before serving."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search.cli import main
from corpus_search.config import Settings


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--limit", "0"], "'--limit'"),
        (["--limit", "100000"], "'--limit'"),
        (["--page", "0"], "'--page'"),
        (["--lang", "xx"], "'--lang'"),
    ],
)
def test_bad_options_are_named_as_options(settings: Settings, args: list[str], named: str) -> None:
    code, output = run("search", "張勇", "--index", str(settings.index_dir), *args)
    assert code != 0
    assert named in output
    assert "per_page" not in output and "Traceback" not in output


def test_errors_point_to_commands_not_routes(settings: Settings) -> None:
    index = str(settings.index_dir)
    code, output = run("search", "張勇", "--executive", "nobody", "--index", index)
    assert code != 0 and "corpus-search executives" in output and "/api/" not in output
    code, output = run("quotes", "--speaker", "nobody", "--index", index)
    assert code != 0 and "corpus-search executives" in output and "/api/" not in output


def test_executives_lists_the_ids_other_commands_take(settings: Settings) -> None:
    code, output = run("executives", "--index", str(settings.index_dir))
    assert code == 0 and "zhang-yong" in output and "張勇" in output
    code, output = run("executives", "--json", "--index", str(settings.index_dir))
    ids = [p["id"] for p in json.loads(output)["results"]]
    assert "zhang-yong" in ids
    code, output = run("quotes", "--speaker", "zhang-yong", "--index", str(settings.index_dir))
    assert code == 0 and "張勇" in output


def test_a_missing_index_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUS_SEARCH_INDEX", raising=False)
    code, output = run("search", "張勇")
    assert code != 0
    assert str(tmp_path / "var" / "index") in output
    assert "--index" in output and "CORPUS_SEARCH_INDEX" in output and "Traceback" not in output


def test_serve_on_a_port_in_use_says_so_before_serving(settings: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = run("serve", "--index", str(settings.index_dir), "--port", str(port))
    assert code != 0
    assert f"127.0.0.1:{port}" in output and "another --port" in output
    assert "Serving on" not in output


def test_eval_names_the_file_and_line_of_a_malformed_judgement(
    tmp_path: Path, settings: Settings
) -> None:
    judged = tmp_path / "judged.jsonl"
    good = '{"id": "a", "query": "張勇", "kind": "zh-trad", "relevant_docs": []}'
    judged.write_text(f"{good}\n\nnot json\n", "utf-8")
    args = ["eval", str(judged), "--no-baselines", "--index", str(settings.index_dir)]
    code, output = run(*args)
    assert code != 0 and f"{judged}:3" in output and "Traceback" not in output
    judged.write_text(f'{good}\n{{"id": "b", "query": "x"}}\n', "utf-8")
    code, output = run(*args)
    assert code != 0 and f"{judged}:2: missing kind" in output


def test_a_bad_setting_is_named_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORPUS_SEARCH_MAX_PER_PAGE", "many")
    code, output = run("search", "張勇")
    assert code != 0 and "CORPUS_SEARCH_MAX_PER_PAGE" in output and "Traceback" not in output
