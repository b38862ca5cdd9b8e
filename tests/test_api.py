from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from support import files

RESULT_FIELDS = {"id", "source_file", "title", "lang", "date", "score", "snippets", "url"}


@pytest.fixture(scope="module", params=["whoosh", "xapian"])
def client(
    request: pytest.FixtureRequest, client: TestClient, xapian_client: TestClient
) -> TestClient:
    """Every test here runs against the seeds built with each backend."""
    return xapian_client if request.param == "xapian" else client


def test_search_json_shape(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "张勇"})
    assert response.status_code == 200
    body = response.json()
    assert {"query", "total", "page", "per_page", "results"} <= set(body)
    assert body["query"] == "张勇" and body["page"] == 1 and body["per_page"] == 10
    assert body["total"] == len(body["results"])
    first = body["results"][0]
    assert RESULT_FIELDS <= set(first)
    assert first["source_file"] == "000_1e9703de958eb715.txt"
    assert first["url"] == f"/articles/{first['id']}"
    assert any("<mark>" in s for s in first["snippets"])


def test_traditional_query_returns_the_same_list(client: TestClient) -> None:
    simplified = client.get("/api/search", params={"q": "张勇"}).json()
    traditional = client.get("/api/search", params={"q": "張勇"}).json()
    assert files(simplified) == files(traditional)
    assert [r["score"] for r in simplified["results"]] == [
        r["score"] for r in traditional["results"]
    ]


@pytest.mark.parametrize("query", ["人妻", "basketball shoes"])
def test_spam_and_boilerplate_return_zero(client: TestClient, query: str) -> None:
    assert client.get("/api/search", params={"q": query}).json()["total"] == 0


def test_english_phrase(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": '"flexible production"'}).json()
    assert files(body) == ["004_2c4f070191514ec2.txt"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 501},
        {"q": "张勇", "page": "0"},
        {"q": "张勇", "page": "abc"},
        {"q": "张勇", "per_page": "0"},
        {"q": "张勇", "per_page": "101"},
        {},
        {"q": "张勇", "lang": "fr"},
        {"q": "张勇", "executive": "Nobody Known"},
    ],
)
def test_bad_requests_get_a_4xx_json_message(client: TestClient, params: dict) -> None:
    response = client.get("/api/search", params=params)
    assert 400 <= response.status_code < 500
    body = response.json()
    assert isinstance(body["error"], str) and len(body["error"]) > 10


def test_html_in_the_query_is_escaped_in_json_snippets(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "<script>alert(1)</script> 张勇"}).json()
    for result in body["results"]:
        for snippet in result["snippets"]:
            assert "<script>" not in snippet


def test_article_endpoint(client: TestClient) -> None:
    response = client.get("/api/articles/001_d585317e565128a3")
    assert response.status_code == 200
    article = response.json()
    assert article["source_file"] == "001_d585317e565128a3.txt"
    assert article["date"] == "2021-11-05"
    assert article["lang"] == "zh-Hant"
    assert all("(fù)" not in p and "(zé)" not in p for p in article["passages"])
    assert "jia-luo" in article["executives"]


def test_unknown_article_is_a_404_json(client: TestClient) -> None:
    response = client.get("/api/articles/no-such-article")
    assert response.status_code == 404
    assert "no-such-article" in response.json()["error"]


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "articles": 5}


def test_csv_export(client: TestClient) -> None:
    response = client.get("/api/search.csv", params={"q": "Double 11"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # UTF-8 BOM: spreadsheets read Chinese
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("\ufeffrank,id,source_file")
    assert len(lines) == 1 + client.get("/api/search", params={"q": "Double 11"}).json()["total"]
    same = client.get("/api/search", params={"q": "Double 11", "format": "csv"})
    assert (
        same.text == client.get("/api/search.csv", params={"q": "Double 11", "per_page": 10}).text
    )


def test_quotes_endpoint_accepts_any_form_of_a_speaker(client: TestClient) -> None:
    by_form = {
        form: client.get("/api/quotes", params={"speaker": form, "per_page": 100}).json()
        for form in ["zhang-yong", "Zhang Yong", "張勇", "张勇"]
    }
    totals = {body["total"] for body in by_form.values()}
    assert len(totals) == 1 and totals.pop() > 0
    for item in by_form["張勇"]["results"]:
        assert item["speaker_id"] == "zhang-yong"
        assert item["speaker_en"] == "Zhang Yong"


def test_unknown_speaker_is_a_400(client: TestClient) -> None:
    response = client.get("/api/quotes", params={"speaker": "Nobody Known"})
    assert response.status_code == 400


def test_executives_endpoint(client: TestClient) -> None:
    people = {p["id"]: p for p in client.get("/api/executives").json()["results"]}
    assert {"zhang-yong", "jiang-fan", "jia-luo", "hu-weixiong", "jack-ma"} <= set(people)
    zhang = people["zhang-yong"]
    assert {"張勇", "Zhang Yong", "Daniel Zhang", "逍遙子"} <= set(zhang["names"])
    assert zhang["articles"] == 3 and zhang["quotes"] > 0


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/api/search",
        "/api/search.csv",
        "/api/articles/{article_id}",
        "/api/quotes",
        "/api/executives",
        "/healthz",
    } <= paths


@pytest.mark.parametrize("query", ["???", "。，、", '""'])
def test_a_query_with_nothing_searchable_is_explained(client: TestClient, query: str) -> None:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 400
    assert "Nothing to search for" in response.json()["error"]


def test_without_an_index_the_app_explains_instead_of_failing(tmp_path) -> None:  # noqa: ANN001
    from corpus_search.config import Settings
    from corpus_search.web import create_app

    settings = Settings(index_dir=tmp_path / "none")
    with TestClient(create_app(settings)) as bare:
        response = bare.get("/api/search", params={"q": "张勇"})
        assert response.status_code == 503
        assert "corpus-search build" in response.json()["error"]
        assert bare.get("/", params={"q": "张勇"}).status_code == 503


def test_topic_filter_takes_topics_in_any_form_but_not_people(client: TestClient) -> None:
    by_id = client.get("/api/search", params={"q": "Zhang Yong", "topic": "globalization"})
    by_name = client.get("/api/search", params={"q": "Zhang Yong", "topic": "全球化"})
    assert by_id.status_code == 200 and by_id.json()["total"] > 0
    assert files(by_id.json()) == files(by_name.json())
    person = client.get("/api/search", params={"q": "Zhang Yong", "topic": "zhang-yong"})
    assert person.status_code == 400


CONTRACT_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]


def test_the_api_answers_as_its_schema_says(client: TestClient) -> None:
    """Generated requests (valid and not) to every operation: never a 500, and every
    status, media type and body documented. (Schema-valid values may still be refused:
    an unknown speaker, a query of stop words alone; a blank filter means no filter.)"""
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def answers(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CONTRACT_CHECKS)

        answers()


def test_a_lexicon_speaker_is_not_marked_found(client) -> None:  # noqa: ANN001
    quotes = client.get("/api/quotes", params={"speaker": "zhang-yong"}).json()["results"]
    assert quotes and not any(q["speaker_found"] for q in quotes)
