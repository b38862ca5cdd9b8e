"""Hostile and oversized queries: bounded work, and answers or clear QueryErrors.

Every query is answered (results) or refused with a QueryError saying what to
change; none runs unbounded. A guard thread fails a test that hangs, instead of
letting it stall the suite; no test asserts a timing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient

from corpus_search.config import Settings
from corpus_search.errors import QueryError, QueryTooCostly, SearchCancelled
from corpus_search.index.schema import ARTICLES
from corpus_search.query import MAX_PHRASES, MAX_WORDS, TEXT_FIELDS, leaves, parse_query
from corpus_search.search import Deadline, SearchService
from corpus_search.search.service import MAX_DEPTH
from corpus_search.search.snippets import WhooshOccurrences, article_text, page_snippets
from corpus_search.search.vector import evaluate
from support import SEEDS, files

T = TypeVar("T")
GUARD_SECONDS = 60  # far above any answer; only there to stop a hang


def guarded(work: Callable[[], T]) -> T:
    """``work()``, failing the test if it has not returned within GUARD_SECONDS."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(GUARD_SECONDS)
    assert not thread.is_alive(), f"no answer within {GUARD_SECONDS} s"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def ids(service: SearchService, q: str, **kwargs: object) -> list[str]:
    return [h.id for h in guarded(lambda: service.search(q, per_page=50, **kwargs)).hits]


def search_error(service: SearchService, q: str, **kwargs: object) -> QueryError:
    with pytest.raises(QueryError) as caught:
        guarded(lambda: service.search(q, **kwargs))
    return caught.value


def query_fields(service: SearchService, q: str) -> set[str]:
    _, plan = service.plan(q)
    return {str(q.fieldname) for part in (plan.ranked, plan.any_part) for q, _ in leaves(part)}


# -- repeated words: the same answer as once, at the cost of once ----------------------


def test_a_500_character_chinese_query_of_one_repeated_word_is_answered(
    service: SearchService,
) -> None:
    q = "張勇說" * 166
    assert len(q) == 498
    results = guarded(lambda: service.search(q, per_page=50))
    assert sorted(files(results)) == sorted(files(service.search("張勇 說", per_page=50)))
    assert results.total >= 1 and results.hits[0].snippets


def test_a_500_character_english_query_of_one_repeated_word_is_answered(
    service: SearchService,
) -> None:
    q = "alibaba " * 60
    assert len(q.strip()) <= 500
    results = guarded(lambda: service.search(q, per_page=50))
    once = service.search("alibaba", per_page=50)
    assert [(h.id, h.score) for h in results.hits] == [(h.id, h.score) for h in once.hits]


def test_a_repeated_quoted_phrase_counts_once(service: SearchService) -> None:
    phrase = '"雙11不決定生死"'
    assert parse_query(f"{phrase} {phrase} {phrase}").phrases == ("雙11不決定生死",)
    assert ids(service, " ".join([phrase] * 20)) == ids(service, phrase)


def test_a_phrase_in_both_scripts_counts_once(service: SearchService) -> None:
    assert ids(service, '"雙11不決定生死" "双11不决定生死"') == ids(service, '"雙11不決定生死"')


def test_a_long_quoted_passage_finds_its_article(service: SearchService) -> None:
    paragraph = next(
        line
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text("utf-8").splitlines()
        if line.startswith("張勇對於蔣凡")
    )
    q = f'"{paragraph[:400]}"'
    assert files(guarded(lambda: service.search(q))) == ["000_1e9703de958eb715.txt"]


# -- limits: too much asked, and a message saying what to change -------------------------


def test_too_many_different_words_are_refused_with_the_limit(service: SearchService) -> None:
    words = [f"w{n}" for n in range(MAX_WORDS + 1)]
    error = search_error(service, " ".join(words))
    assert isinstance(error, QueryTooCostly)
    assert f"{MAX_WORDS + 1} different words" in str(error)
    assert f"limit is {MAX_WORDS}" in str(error)
    assert guarded(lambda: service.search(" ".join(words[:MAX_WORDS]))).total == 0


def test_too_many_different_phrases_are_refused_with_the_limit(service: SearchService) -> None:
    phrases = " ".join(f'"p{n} q"' for n in range(MAX_PHRASES + 1))
    error = search_error(service, phrases)
    assert isinstance(error, QueryTooCostly)
    assert f"limit is {MAX_PHRASES}" in str(error)


def test_a_query_expanding_past_the_term_limit_is_refused(
    service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, plan = service.plan("cloud computing live streaming")
    assert len(list(leaves(plan.ranked))) > 4  # translations and both fields
    monkeypatch.setattr("corpus_search.query.MAX_TERMS", 4)
    error = search_error(service, "live streaming cloud computing")
    assert isinstance(error, QueryTooCostly)
    assert "different search terms" in str(error) and "limit is 4" in str(error)


def test_the_length_limit_counts_characters(service: SearchService) -> None:
    limit = service.settings.max_query_length
    assert guarded(lambda: service.search("x" * limit)).total == 0
    error = search_error(service, "x" * (limit + 1))
    assert f"limit is {limit}" in str(error) and len(str(error)) < 200


# -- the time budget -------------------------------------------------------------------


@pytest.fixture(scope="module")
def spent(settings: Settings) -> SearchService:
    """A service whose every search is already over its budget."""
    return SearchService(settings, time_budget=0.0)


def test_a_search_over_its_budget_stops_with_a_helpful_message(spent: SearchService) -> None:
    error = search_error(spent, "張勇 直播")
    assert isinstance(error, QueryTooCostly)
    assert "budget" in str(error) and "'張勇 直播'" in str(error)
    assert "fewer words" in str(error)


def test_every_kind_of_search_keeps_the_budget(spent: SearchService) -> None:
    calls: list[Callable[[], object]] = [
        lambda: spent.count("張勇"),
        lambda: spent.quotes("雙11"),
        lambda: spent.highlight(["張勇說"], "張勇"),
    ]
    for call in calls:
        with pytest.raises(QueryTooCostly):
            guarded(call)


def test_a_cancelled_search_stops(service: SearchService) -> None:
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(SearchCancelled):
        service.search("張勇", deadline=service.deadline("張勇", cancelled))


def test_one_deadline_is_shared_by_the_searches_of_a_request(service: SearchService) -> None:
    deadline = service.deadline("張勇")
    assert (
        service.count("張勇", deadline=deadline) == service.search("張勇", deadline=deadline).total
    )


def test_evaluation_and_snippets_check_the_deadline(service: SearchService) -> None:
    generation, plan = service.plan('雙11 "不決定生死"')
    lengths = generation.field_lengths(ARTICLES)
    with generation.searcher(ARTICLES) as searcher:
        found = evaluate(searcher, lengths, plan.ranked, deadline=Deadline(None))
        assert len(found.docs)
        with pytest.raises(QueryTooCostly):
            evaluate(searcher, lengths, plan.ranked, deadline=Deadline(0.0))
        texts = [article_text(d, searcher.stored_fields(d)) for d in found.docs.tolist()]
        late = WhooshOccurrences(searcher, found.docs.tolist(), Deadline(0.0))
        with pytest.raises(QueryTooCostly):
            page_snippets(late, plan.any_part, plan.marks, texts)


# -- malformed input: answered, or a QueryError ----------------------------------------

SAME_AS_ZHANG_YONG = [
    "((張勇",
    "張勇))",
    "[張勇]",
    "張勇\x00",
    "\x07張勇\x1b",
    "😀 張勇 🚀",
    "\u202e張勇\u202c",  # right-to-left override
    "\ufeff張勇",
    "張勇 \u05e9\u05dc\u05d5\u05dd",  # with a Hebrew word, not indexed
]


@pytest.mark.parametrize("q", SAME_AS_ZHANG_YONG, ids=ascii)
def test_noise_around_a_name_finds_what_the_name_finds(service: SearchService, q: str) -> None:
    assert ids(service, q) == ids(service, "張勇")


def test_an_unbalanced_quote_runs_to_the_end(service: SearchService) -> None:
    assert ids(service, '"張勇') == ids(service, '"張勇"')
    assert ids(service, "「雙11不決定生死") == ids(service, '"雙11不決定生死"')


NOTHING_TO_SEARCH = ["*", "a*", "?", "\x00", "😀", "\u05e9\u05dc\u05d5\u05dd", '"', '""', "()"]


@pytest.mark.parametrize("q", NOTHING_TO_SEARCH, ids=ascii)
def test_a_query_with_nothing_searchable_gets_a_query_error(service: SearchService, q: str) -> None:
    error = search_error(service, q)
    assert not isinstance(error, QueryTooCostly)
    assert "search" in str(error)


@pytest.mark.parametrize("q", ["\ud800", "張\udcff勇", "alibaba \udfff"], ids=ascii)
def test_lone_surrogates_are_refused_by_name(service: SearchService, q: str) -> None:
    error = search_error(service, q)
    assert "not valid text" in str(error) and "U+D" in str(error)


FIELD_SYNTAX = [
    "source_file:*",
    "body:x",
    "data:foo",
    "id:000_1e9703de958eb715",
    "lang:en alibaba",
    "entities:@zhang-yong",
    "speaker_id:zhang-yong",
    "exact:張勇",
]


@pytest.mark.parametrize("q", FIELD_SYNTAX)
def test_field_syntax_is_text_searched_in_the_text_fields(service: SearchService, q: str) -> None:
    try:
        fields = query_fields(service, q)
    except QueryError:
        return
    assert fields <= {*TEXT_FIELDS, "exact"}


def test_a_field_name_does_not_select_an_article(service: SearchService) -> None:
    assert ids(service, "id:000_1e9703de958eb715") == []
    assert len(ids(service, "lang:en alibaba")) <= len(ids(service, "alibaba"))


def test_a_star_is_not_a_wildcard(service: SearchService) -> None:
    assert ids(service, "alibab*") == ids(service, "alibab")
    assert ids(service, "alibaba*") == ids(service, "alibaba")
    _, plan = service.plan("a* b* c* d*")
    assert len(list(leaves(plan.ranked))) <= 8


def test_a_very_long_word_is_searched_as_one_word(service: SearchService) -> None:
    assert guarded(lambda: service.search("張" * 500)).total >= 0
    assert guarded(lambda: service.search('"' + "ab" * 249 + '"')).total == 0


def test_echoed_input_is_cut_short(service: SearchService) -> None:
    assert len(str(search_error(service, "?" * 500))) < 250
    assert len(str(search_error(service, "\x01" + "\U00018cd6" * 400))) < 250
    with pytest.raises(QueryError) as caught:
        service.quotes(speaker="x" * 100_000)
    assert len(str(caught.value)) < 250


# -- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "per_page", "named"),
    [
        (0, 10, "page"),
        (-1, 10, "page"),
        (1, 0, "per_page"),
        (1, 101, "per_page"),
        (10**12, 10, "page"),
    ],
)
def test_page_bounds_are_checked(
    service: SearchService, page: int, per_page: int, named: str
) -> None:
    error = search_error(service, "張勇", page=page, per_page=per_page)
    assert str(error).startswith(named)


def test_the_deepest_page_is_answered_and_one_deeper_is_refused(service: SearchService) -> None:
    results = service.search("張勇", page=MAX_DEPTH // 100, per_page=100)
    assert results.hits == [] and results.total >= 1
    error = search_error(service, "張勇", page=MAX_DEPTH // 100 + 1, per_page=100)
    assert f"{MAX_DEPTH:,}" in str(error)


# -- over HTTP: a 400 with the message ---------------------------------------------------


def test_the_api_answers_a_costly_query_with_a_400_and_the_message(client: TestClient) -> None:
    q = " ".join(f"w{n}" for n in range(MAX_WORDS + 1))
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 400
    assert "different words" in response.json()["error"]
