"""scripts/make-corpus: deterministic synthetic corpora that the ingest stage reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from corpus_search.ingest import read_folder
from corpus_search.models import Article

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make-corpus"
ARTICLES = 12
ZHANG_YONG = ("張勇", "张勇", "Zhang Yong")


def _start(out: Path, mode: str) -> subprocess.Popen[str]:
    command = [sys.executable, str(SCRIPT), str(out), "--articles", str(ARTICLES), "--mode", mode]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each mode generated twice into separate folders (the four runs in parallel)."""
    root = tmp_path_factory.mktemp("corpora")
    runs = {(mode, n): root / f"{mode}-{n}" for mode in ("resample", "news") for n in (1, 2)}
    processes = {key: _start(out, key[0]) for key, out in runs.items()}
    for key, process in processes.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, f"{key}: {stderr}"
        assert f"{ARTICLES} synthetic" in stdout
    return {mode: (runs[(mode, 1)], runs[(mode, 2)]) for mode in ("resample", "news")}


def _mentions(article: Article, names: tuple[str, ...]) -> bool:
    return any(name in text for name in names for text in (article.title, *article.passages))


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("mode", ["resample", "news"])
def test_same_arguments_same_bytes(corpora: dict[str, tuple[Path, Path]], mode: str) -> None:
    first, second = corpora[mode]
    files = _files(first)
    assert len(files) == ARTICLES
    assert all(name.startswith("synth-") and name.endswith(".txt") for name in files)
    assert files == _files(second)


@pytest.mark.parametrize("mode", ["resample", "news"])
def test_ingest_reads_every_file(corpora: dict[str, tuple[Path, Path]], mode: str) -> None:
    result = read_folder(corpora[mode][0])
    assert result.skipped == []
    assert len(result.articles) == ARTICLES
    assert {a.lang for a in result.articles} == {"zh-Hant", "zh-Hans", "en"}
    assert sum(a.date is not None for a in result.articles) >= ARTICLES * 0.8
    assert sum(a.source is not None for a in result.articles) >= ARTICLES * 0.8
    assert all(a.title and len(a.passages) >= 5 for a in result.articles)
    assert len({a.title for a in result.articles}) > ARTICLES // 2


def test_resample_names_the_seeds_executives_everywhere_news_rarely(
    corpora: dict[str, tuple[Path, Path]],
) -> None:
    resample = read_folder(corpora["resample"][0]).articles
    news = read_folder(corpora["news"][0]).articles
    in_resample = sum(_mentions(a, ZHANG_YONG) for a in resample)
    in_news = sum(_mentions(a, ZHANG_YONG) for a in news)
    assert in_resample > ARTICLES / 2
    assert in_news < in_resample
    assert in_news <= ARTICLES / 4


def test_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    command = [sys.executable, str(SCRIPT), str(tmp_path), "--articles", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "refusing" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
