"""Retrieval quality on the judged sample (tests/data/eval_*.jsonl, from ../shared/eval)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from corpus_search.cli import main
from corpus_search.config import Settings
from corpus_search.evaluate import ServiceEngine, load_judged, score, score_quotes
from corpus_search.search import SearchService
from corpus_search.web.views import quote_json
from support import DATA

QUERIES = DATA / "eval_queries.jsonl"
QUOTES = DATA / "eval_quotes.jsonl"
# The shared sample, and an independent set of the same kinds judged by a colleague.
QUERY_SETS = ["eval_queries.jsonl", "dev_queries.jsonl"]
QUOTE_SETS = ["eval_quotes.jsonl", "dev_quotes.jsonl"]


@pytest.fixture(scope="module", params=QUERY_SETS)
def run(request: pytest.FixtureRequest, service: SearchService) -> dict[str, Any]:
    return score(ServiceEngine(service), load_judged(DATA / request.param))


def test_overall_targets(run: dict[str, Any]) -> None:
    overall = run["overall"]
    assert overall["mrr@10"] >= 0.95
    assert overall["recall@10"] >= 0.90
    assert overall["top1"] >= 0.90
    assert overall["passage@3"] >= 0.85
    assert overall["empty_ok"] == 1.0


def test_every_kind_of_query_reaches_the_mrr_target(run: dict[str, Any]) -> None:
    weak = {
        k: m["mrr@10"]
        for k, m in run["kinds"].items()
        if m["mrr@10"] is not None and m["mrr@10"] < 0.90
    }
    assert not weak


@pytest.mark.parametrize("judged", QUOTE_SETS)
def test_quotes_are_found_and_never_misattributed(service: SearchService, judged: str) -> None:
    records = [quote_json(q) for q in service.quotes(None, None, 1, 100).quotes]
    records += [quote_json(q) for q in service.quotes(None, None, 2, 100).quotes]

    def lookup(name: str) -> str | None:
        entity = service.lexicon.lookup(name)
        return entity.id if entity else None

    result = score_quotes(DATA / judged, records, lookup)
    assert result["false_attributions"] == 0, result["wrong"]
    assert result["recall"] >= 0.85, result["missed"]


def test_eval_command_scores_the_engine_beside_two_baselines(settings: Settings) -> None:
    result = CliRunner().invoke(
        main, ["eval", str(QUERIES), "--quotes", str(QUOTES), "--index", str(settings.index_dir)]
    )
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    for engine in ("corpus-search", "jieba-whoosh", "t2s-jieba"):
        assert engine in header
    assert "quotes: recall" in result.output
