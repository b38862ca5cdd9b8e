from __future__ import annotations

import json

import pytest

from corpus_search.errors import QueryError
from corpus_search.highlight import strip_marks
from corpus_search.search import Filters, SearchService
from support import DATA, files

GOLDEN = json.loads((DATA / "cross_script.json").read_text("utf-8"))


def ranked(service: SearchService, q: str) -> list[tuple[str, float]]:
    results = service.search(q, per_page=50)
    return [(h.source_file, h.score) for h in results.hits]


@pytest.mark.parametrize("pair", GOLDEN["twins"], ids=lambda p: p[0])
def test_traditional_and_simplified_twins_give_identical_results(
    service: SearchService, pair: list[str]
) -> None:
    first = ranked(service, pair[0])
    assert first, f"{pair[0]} should find something"
    for other in pair[1:]:
        assert ranked(service, other) == first


@pytest.mark.parametrize("forms", GOLDEN["same_articles"], ids=lambda f: f[0])
def test_every_form_of_a_name_finds_the_same_articles(
    service: SearchService, forms: list[str]
) -> None:
    expected = set(files(service.search(forms[0], per_page=50)))
    assert expected
    for form in forms[1:]:
        assert set(files(service.search(form, per_page=50))) == expected, form


def test_zhang_yong_ranks_the_interview_first(service: SearchService) -> None:
    found = files(service.search("张勇"))
    assert found[0] == "000_1e9703de958eb715.txt"
    assert {"002_2c54432c538c7203.txt", "004_2c4f070191514ec2.txt"} <= set(found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"雙11不決定生死"', "001_d585317e565128a3.txt"),
        ('"双11不决定生死"', "001_d585317e565128a3.txt"),
        ('"flexible production"', "004_2c4f070191514ec2.txt"),
        ('"一代的消费者需要一代人去服务他"', "000_1e9703de958eb715.txt"),
    ],
)
def test_phrase_queries_match_in_both_languages(
    service: SearchService, query: str, expected: str
) -> None:
    assert files(service.search(query)) == [expected]


def test_a_phrase_needs_its_words_in_order(service: SearchService) -> None:
    assert service.search('"production flexible"').total == 0


def test_fragment_cut_through_words_finds_its_passage(service: SearchService) -> None:
    results = service.search('"們看到東南亞的用戶很年輕,同時目"')
    assert files(results) == ["000_1e9703de958eb715.txt"]
    assert "年輕" in strip_marks(results.hits[0].snippets[0].html)


def test_english_stemming_matches_other_forms(service: SearchService) -> None:
    assert "002_2c54432c538c7203.txt" in files(service.search("records"))
    assert set(files(service.search("record"))) == set(files(service.search("records")))


@pytest.mark.parametrize(
    "query",
    [
        "人妻",
        "做爱",
        "亚洲欧美",
        "basketball shoes",
        "Polyester",
        "免責聲明",
        "點擊閱讀原文",
        "page_break",
        "马化腾",
    ],
)
def test_spam_boilerplate_and_absent_topics_find_nothing(
    service: SearchService, query: str
) -> None:
    assert service.search(query).total == 0


def test_repaired_words_are_searchable(service: SearchService) -> None:
    assert files(service.search("daily transactions"))[0] == "004_2c4f070191514ec2.txt"


def test_snippets_keep_the_original_script_and_mark_whole_words(
    service: SearchService,
) -> None:
    hit = service.search("张勇").hits[0]
    html = " ".join(s.html for s in hit.snippets)
    assert "<mark>張勇</mark>" in html
    assert "张勇" not in html


def test_cross_lingual_entity_search(service: SearchService) -> None:
    assert files(service.search("Hu Weixiong"))[0] == "003_b5f113dcc02eb8d2.txt"
    assert files(service.search("黑色星期五"))[0] == "002_2c54432c538c7203.txt"


def test_filters_narrow_the_results(service: SearchService) -> None:
    everything = service.search("Double 11", per_page=50)
    english = service.search("Double 11", per_page=50, filters=Filters(lang="en"))
    assert 0 < english.total < everything.total
    assert {h.lang for h in english.hits} == {"en"}
    people = service.search("Double 11", filters=Filters(executive="蔣凡"))
    assert files(people) == ["000_1e9703de958eb715.txt"]


def test_facets_count_the_matching_articles(service: SearchService) -> None:
    results = service.search("雙11", per_page=50)
    langs = {f.value: f.count for f in results.facets["lang"]}
    assert sum(langs.values()) == results.total
    people = {f.value for f in results.facets["executive"]}
    assert "zhang-yong" in people


@pytest.mark.parametrize(
    ("query", "page", "per_page"),
    [
        ("", 1, 10),
        ("   ", 1, 10),
        ("x" * 501, 1, 10),
        ("张勇", 0, 10),
        ("张勇", 1, 0),
        ("张勇", 1, 1000),
    ],
)
def test_malformed_requests_raise_a_query_error(
    service: SearchService, query: str, page: int, per_page: int
) -> None:
    with pytest.raises(QueryError):
        service.search(query, page=page, per_page=per_page)


def test_pagination_splits_the_ranked_list(service: SearchService) -> None:
    whole = files(service.search("Double 11", per_page=50))
    first = files(service.search("Double 11", page=1, per_page=2))
    second = files(service.search("Double 11", page=2, per_page=2))
    assert first + second == whole[:4]


def test_english_fragment_cut_through_words_finds_its_passage(service: SearchService) -> None:
    results = service.search('"lobal e-commerce plat"')
    assert files(results) == ["004_2c4f070191514ec2.txt"]
    assert "global e-commerce platform" in strip_marks(results.hits[0].snippets[0].html)


def test_translations_must_translate_back(service: SearchService) -> None:
    # CC-CEDICT offers 视频 (video) for "film"/"movie"; it does not translate back,
    # so the Chinese articles about short videos are not "movie" results.
    assert files(service.search("movie")) == ["002_2c54432c538c7203.txt"]
    # 投资 -> investment translates back, and finds the English articles.
    assert {"002_2c54432c538c7203.txt", "004_2c4f070191514ec2.txt"} <= set(
        files(service.search("投資"))
    )


def test_code_rows_count_the_chosen_rows_however_many() -> None:
    """`facets.CodeRows`: a few rows gathered, many masked, the same counts as naming
    each row's codes one by one (rows with none, repeated codes, every row)."""
    import numpy as np

    from corpus_search.search.facets import CodeRows

    rng = np.random.default_rng(7)
    per_row = [list(rng.integers(0, 6, size=rng.integers(0, 4))) for _ in range(200)]
    starts = np.cumsum([0] + [len(r) for r in per_row])
    table = CodeRows(starts, [c for r in per_row for c in r], 6)
    for chosen in ([], [3], list(range(0, 200, 37)), list(range(0, 200, 2)), list(range(200))):
        expected = np.zeros(6, dtype=np.int64)
        for row in chosen:
            for code in per_row[row]:
                expected[code] += 1
        assert table.counts(np.asarray(chosen, dtype=np.int64)).tolist() == expected.tolist()
