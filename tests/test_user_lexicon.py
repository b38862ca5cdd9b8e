"""A lexicon users extend without editing the package (issue 9, item 3).

``--lexicon FILE`` / CORPUS_SEARCH_LEXICON names a TOML file of the packaged
format, merged with the packaged lexicon. The end-to-end tests run the command
as a user does, in its own process: the lexicon shapes the segmenter and the
analyzer of that process (and of its workers), never of this test session's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corpus_search.config import Settings, lexicon_file
from corpus_search.errors import CorpusSearchError, SettingsError
from corpus_search.index.store import fingerprint
from corpus_search.lexicon import load_lexicon
from support import DATA, ROOT

EXAMPLE = ROOT / "examples" / "lexicon.toml"
UNSEEN = DATA / "unseen"
CLI = [sys.executable, "-m", "corpus_search.cli"]
PERSON = """
[[entity]]
id = "lin-xiaofeng"
kind = "person"
name = "林曉峰"
name_en = "Lin Xiaofeng"
zh = ["林曉峰"]
en = ["Lin Xiaofeng"]
title = "鴻圖零售集團總裁"
"""


def lexicon_at(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# -- merging ----------------------------------------------------------------------


def test_the_example_file_adds_to_the_packaged_lexicon() -> None:
    packaged = load_lexicon()
    merged = load_lexicon(EXAMPLE)
    assert set(packaged.entities) < set(merged.entities)
    lin = merged.lookup("林晓峰")
    assert lin is not None and lin.id == "lin-xiaofeng" and lin.is_person
    assert merged.lookup("Lin Xiaofeng") is lin and merged.lookup("linxiaofeng") is lin
    assert merged.entities["hongtu-retail"].kind == "company"
    assert merged.entities["greater-bay-area"].kind == "topic"
    assert "林晓峰" in merged.chinese_words()  # the segmenter's user dictionary
    assert packaged.lookup("林晓峰") is None  # the packaged lexicon is as it was


def test_a_known_id_extends_its_entry() -> None:
    packaged = load_lexicon().entities["zhang-yong"]
    zhang = load_lexicon(EXAMPLE).entities["zhang-yong"]
    assert "Daniel Yong Zhang" in zhang.latin_forms
    assert set(packaged.all_forms) < set(zhang.all_forms)  # every packaged form kept
    assert (zhang.kind, zhang.name, zhang.title) == (packaged.kind, packaged.name, packaged.title)


def test_the_fields_a_user_states_replace_the_packaged_ones(tmp_path: Path) -> None:
    path = lexicon_at(tmp_path, '[[entity]]\nid = "zhang-yong"\ntitle = "retired"\n')
    zhang = load_lexicon(path).entities["zhang-yong"]
    assert zhang.title == "retired"
    assert zhang.name == "張勇" and "Daniel Zhang" in zhang.latin_forms


def test_the_variable_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = lexicon_at(tmp_path, PERSON)
    assert lexicon_file({}) is None
    assert lexicon_file({"CORPUS_SEARCH_LEXICON": str(path)}) == path
    monkeypatch.setenv("CORPUS_SEARCH_LEXICON", str(path))
    assert load_lexicon().lookup("林晓峰") is not None


def test_a_changed_lexicon_changes_the_fingerprint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    packaged = fingerprint()
    path = lexicon_at(tmp_path, PERSON)
    monkeypatch.setenv("CORPUS_SEARCH_LEXICON", str(path))
    mine = fingerprint()
    path.write_text(PERSON.replace("鴻圖零售集團總裁", "總裁"), "utf-8")
    assert len({packaged, mine, fingerprint()}) == 3
    monkeypatch.delenv("CORPUS_SEARCH_LEXICON")
    assert fingerprint() == packaged


# -- files that cannot be used ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[entity]\nid = 'x'\n", "is not valid TOML"),
        ('[[entity]]\nid = "x"\nkind = "person"\nname = "X"\nnickname = ["y"]\n', "nickname"),
        ('[[entity]]\nid = "someone-new"\nname = "某人"\n', "needs a kind and a name"),
        ('[[entity]]\nid = "x"\nkind = "human"\nname = "X"\n', "'human'"),
        ('[[entity]]\nid = "Lin Xiaofeng"\nkind = "person"\nname = "X"\n', "id of lower-case"),
        ('[[entity]]\nid = "x"\nkind = "person"\nname = "X"\nzh = "某人"\n', "zh"),
        ('[[entity]]\nid = "x"\nkind = "person"\nname = "X"\npinyin = "yes"\n', "pinyin"),
        ('[people]\nid = "x"\n', "[[entity]] tables only"),
    ],
)
def test_a_file_that_cannot_be_used_is_named(tmp_path: Path, text: str, says: str) -> None:
    path = lexicon_at(tmp_path, text)
    with pytest.raises(SettingsError) as raised:
        load_lexicon(path)
    assert isinstance(raised.value, CorpusSearchError)
    assert str(path) in str(raised.value) and says in str(raised.value)


def test_a_missing_file_is_named_with_its_variable(tmp_path: Path) -> None:
    missing = str(tmp_path / "nothere.toml")
    with pytest.raises(SettingsError, match="CORPUS_SEARCH_LEXICON"):
        Settings.from_env({"CORPUS_SEARCH_LEXICON": missing})


# -- as a user runs it ------------------------------------------------------------


def run(*args: str, lexicon: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORPUS_SEARCH_")}
    if lexicon is not None:
        env["CORPUS_SEARCH_LEXICON"] = str(lexicon)
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=300)


def search_ids(query: str, index: Path, *extra: str, **env: Any) -> list[str]:
    done = run("search", query, "--json", "--index", str(index), *extra, **env)
    assert done.returncode == 0, done.stderr
    return [r["id"] for r in json.loads(done.stdout)["results"]]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/unseen built with the example lexicon."""
    path = tmp_path_factory.mktemp("mine") / "index"
    built = run("build", "--source", str(UNSEEN), "--index", str(path), "--lexicon", str(EXAMPLE))
    assert built.returncode == 0, built.stderr
    return path


def test_a_user_lexicon_finds_a_name_in_every_script(index: Path) -> None:
    every = {"zh_hant_retail", "zh_hans_food", "en_hongtu"}
    lexicon = ("--lexicon", str(EXAMPLE))
    assert every <= set(search_ids("林晓峰", index, *lexicon))  # Simplified, finds 林曉峰
    assert every <= set(search_ids("Lin Xiaofeng", index, *lexicon))  # English, finds 林曉峰
    assert every <= set(search_ids("linxiaofeng", index, lexicon=EXAMPLE))  # by the variable
    assert "en_hongtu" in search_ids("大湾区", index, *lexicon)  # a topic: Greater Bay Area


def test_a_user_lexicon_person_is_a_lexicon_person(index: Path) -> None:
    done = run("executives", "--json", "--index", str(index), "--lexicon", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    people = {p["id"]: p for p in json.loads(done.stdout)["results"]}
    assert people["lin-xiaofeng"]["found_in_text"] is False
    assert people["lin-xiaofeng"]["articles"] == 3
    quotes = run("quotes", "--speaker", "林晓峰", "--index", str(index), "--lexicon", str(EXAMPLE))
    assert quotes.returncode == 0 and "林曉峰" in quotes.stdout


def test_a_bad_lexicon_stops_the_command_with_the_file_named(tmp_path: Path, index: Path) -> None:
    bad = lexicon_at(tmp_path, '[[entity]]\nid = "x"\nkind = "person"\nname = "X"\nnick = []\n')
    source = str(UNSEEN)
    for done in (
        run("build", "--source", source, "--index", str(tmp_path / "i"), "--lexicon", str(bad)),
        run("search", "林晓峰", "--index", str(index), lexicon=bad),
    ):
        assert done.returncode == 1
        assert f"Error: lexicon file {bad}" in done.stderr and "entry 1" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "i").exists()
