"""The array evaluation of queries agrees with Whoosh's own matching and scoring."""

from __future__ import annotations

import pytest
from whoosh.collectors import UnlimitedCollector

from corpus_search.index.schema import ARTICLES, QUOTES
from corpus_search.query import parse_query
from corpus_search.search import SearchService
from corpus_search.search.vector import evaluate, term_docs

QUERIES = [
    "張勇",
    "张勇 直播",
    "live streaming",
    '"flexible production"',
    '"雙11不決定生死"',
    "Zhang Yong cloud computing",
    "逍遙子",
    "消費者 體驗",
    "transactions",
    "雲計算",
    "lobal e-commerce plat",
]


def whoosh_scores(searcher, query) -> dict[int, float]:  # noqa: ANN001
    collector = UnlimitedCollector()
    searcher.search_with_collector(query, collector)
    return {hit.docnum: hit.score for hit in collector.results()}


@pytest.mark.parametrize("index", [ARTICLES, QUOTES])
@pytest.mark.parametrize("text", QUERIES)
def test_arrays_match_whoosh(service: SearchService, index: str, text: str) -> None:
    generation = service.generation()
    plan = generation.plan(parse_query(text))
    lengths = generation.field_lengths(index)
    with generation.searcher(index) as searcher:
        expected = whoosh_scores(searcher, plan.ranked)
        found = evaluate(searcher, lengths, plan.ranked)
    assert found.docs.tolist() == sorted(expected)
    for doc, score in zip(found.docs.tolist(), found.scores.tolist(), strict=True):
        assert score == pytest.approx(expected[doc], rel=1e-9)


def test_filters_are_sets_of_live_documents(service: SearchService) -> None:
    generation = service.generation()
    lengths = generation.field_lengths(ARTICLES)
    with generation.searcher(ARTICLES) as searcher:
        english = term_docs(searcher, lengths, "lang", "en").tolist()
        expected = sorted(searcher.document_numbers(lang="en"))
    assert english == expected and len(english) == 2


def test_the_language_preference_breaks_ties_between_twins(service: SearchService) -> None:
    # A Chinese query ranks Chinese articles above English ones of equal strength.
    results = service.search("張勇")
    langs = [h.lang for h in results.hits]
    assert langs[0].startswith("zh")
    assert results.total == len(results.hits)
