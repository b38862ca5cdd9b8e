from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient


def soup(client: TestClient, url: str, **params: str) -> BeautifulSoup:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_search_page_keeps_the_query_and_lists_results(client: TestClient) -> None:
    page = soup(client, "/", q="張勇")
    assert page.find("input", {"name": "q"})["value"] == "張勇"
    hits = page.select("li.hit")
    api = client.get("/api/search", params={"q": "張勇"}).json()
    assert len(hits) == len(api["results"])
    assert [h.h3.a["href"].split("?")[0] for h in hits] == [r["url"] for r in api["results"]]
    assert hits[0].find("mark").get_text() == "張勇"
    assert page.select_one(".summary strong").get_text() == str(api["total"])


def test_search_page_escapes_the_query(client: TestClient) -> None:
    response = client.get("/", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_empty_query_shows_the_start_page(client: TestClient) -> None:
    page = soup(client, "/")
    assert page.find("input", {"name": "q"}) is not None
    assert not page.select("li.hit")


def test_article_page_shows_clean_text(client: TestClient) -> None:
    page = soup(client, "/articles/001_d585317e565128a3")
    text = page.select_one(".text").get_text()
    assert "負責人" in text
    assert "(fù)" not in text and "(zé)" not in text
    assert "人妻" not in page.get_text()
    assert page.select_one("#p0") is not None


def test_article_page_highlights_the_query(client: TestClient) -> None:
    page = soup(client, "/articles/000_1e9703de958eb715", q="蒋凡")
    marks = {m.get_text() for m in page.select(".text mark")}
    assert marks == {"蔣凡"}


def test_unknown_article_page_is_a_404(client: TestClient) -> None:
    response = client.get("/articles/nope")
    assert response.status_code == 404
    assert "nope" in response.text


def test_bad_page_number_is_a_friendly_error(client: TestClient) -> None:
    response = client.get("/", params={"q": "张勇", "page": "0"})
    assert response.status_code == 400
    assert "page" in BeautifulSoup(response.text, "html.parser").get_text()


def test_quotes_and_executives_pages(client: TestClient) -> None:
    quotes = soup(client, "/quotes", speaker="Zhang Yong")
    assert quotes.select("li.card")
    people = soup(client, "/executives")
    assert "胡偉雄" in people.get_text()
