"""Cross-script search on OpenCC's own test text (see tests/data/peer/README.md)."""

from __future__ import annotations

from typing import Any

import pytest

from corpus_search.peer import run_peer_eval, split_articles
from support import DATA

PEER = DATA / "peer"
ORIGINAL = PEER / "us_constitution_zhs.txt"
VARIANTS = [PEER / "us_constitution_zhs.s2t.txt", PEER / "us_constitution_zhs.s2twp.txt"]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return run_peer_eval(ORIGINAL, VARIANTS)


def test_the_text_splits_into_one_article_per_section() -> None:
    articles = split_articles(ORIGINAL.read_text("utf-8"))
    assert len(articles) == 8
    assert articles[1].startswith("第 一 条")


@pytest.mark.parametrize("variant", [v.name for v in VARIANTS])
def test_simplified_phrases_find_their_article_in_traditional_and_taiwan_text(
    report: dict[str, Any], variant: str
) -> None:
    result = report[variant]
    assert result["phrases"] > 50
    assert result["phrase_top1"] >= 0.98, result["phrase_misses"]


@pytest.mark.parametrize("variant", [v.name for v in VARIANTS])
def test_mainland_words_find_taiwan_vocabulary(report: dict[str, Any], variant: str) -> None:
    assert report[variant]["word_mrr"] >= 0.8, report[variant]["word_rr"]
