from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from corpus_search.config import Settings
from corpus_search.normalise import to_simplified
from corpus_search.search import SearchService
from corpus_search.web import create_app

ARTICLE = "000_1e9703de958eb715"


def soup(client: TestClient, url: str, **params: str) -> BeautifulSoup:
    response = client.get(url, params=params) if params else client.get(url)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_search_page_keeps_the_query_and_lists_results(client: TestClient) -> None:
    page = soup(client, "/", q="張勇")
    assert page.find("input", {"name": "q"})["value"] == "張勇"
    hits = page.select("li.hit")
    api = client.get("/api/search", params={"q": "張勇"}).json()
    assert len(hits) == len(api["results"])
    assert [h.h2.a["href"].split("?")[0] for h in hits] == [r["url"] for r in api["results"]]
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


# -- facets, pages and JSON twins --------------------------------------------------------


def hit_urls(page: BeautifulSoup) -> list[str]:
    return [h.h2.a["href"].split("?")[0] for h in page.select("li.hit")]


def facet_link(page: BeautifulSoup, facet: str, text: str) -> dict[str, str]:
    section = page.find("h2", id=f"facet-{facet}").find_parent("section")
    link = next(a for a in section.find_all("a") if text in a.get_text())
    return link


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_facet_link_filters_and_carries_the_filter_in_the_url(client: TestClient) -> None:
    everything = soup(client, "/", q="張勇")
    link = facet_link(everything, "lang", "English")
    assert query_of(link["href"]) == {"q": ["張勇"], "lang": ["en"]}
    filtered = soup(client, link["href"])
    assert len(hit_urls(filtered)) < len(hit_urls(everything))
    api = client.get("/api/search", params={"q": "張勇", "lang": "en"}).json()
    assert {r["lang"] for r in api["results"]} == {"en"}
    assert hit_urls(filtered) == [r["url"] for r in api["results"]]
    # the chosen value is marked, a chip removes it, and so does clicking it again
    active = facet_link(filtered, "lang", "English")
    assert active["aria-current"] == "true"
    assert query_of(active["href"]) == {"q": ["張勇"]}
    chip = filtered.select_one(".chips a.chip")
    assert query_of(chip["href"]) == {"q": ["張勇"]}


def test_filters_combine_and_other_facets_keep_them(client: TestClient) -> None:
    page = soup(client, "/", q="雙11", lang="en")
    link = facet_link(page, "executive", "Zhang Yong")
    assert query_of(link["href"]) == {"q": ["雙11"], "lang": ["en"], "executive": ["zhang-yong"]}
    assert soup(client, link["href"]).select("li.hit")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "張勇"},
        {"q": "雙11", "lang": "en"},
        {"q": "雙11", "executive": "zhang-yong", "year": "2016"},
        {"q": "雙11", "per_page": "2", "page": "2"},
        {"q": "淘寶 OR nothing-here-at-all"},
    ],
)
def test_the_page_and_its_json_twin_list_the_same_results(
    client: TestClient, params: dict[str, str]
) -> None:
    page = soup(client, "/", **params)
    twin = page.find("link", rel="alternate")["href"]
    assert page.select_one("footer a.json")["href"] == twin
    assert twin.startswith("/api/search?")
    assert {k: v[0] for k, v in query_of(twin).items()} == params
    api = client.get(twin).json()
    assert hit_urls(page) == [r["url"] for r in api["results"]]
    assert page.select_one(".summary strong").get_text() == str(api["total"])


def test_pages_link_to_their_json_twins(client: TestClient) -> None:
    twins = {
        f"/articles/{ARTICLE}": f"/api/articles/{ARTICLE}",
        "/quotes?speaker=zhang-yong&page=2": "/api/quotes?speaker=zhang-yong&page=2",
        "/executives": "/api/executives",
        "/docs": "/openapi.json",
    }
    for html, json_url in twins.items():
        page = soup(client, html)
        assert page.find("link", rel="alternate")["href"] == json_url
        assert client.get(json_url).status_code == 200


def test_pagination_links_pages_and_keeps_the_filters(client: TestClient) -> None:
    first = soup(client, "/", q="雙11", per_page="2")
    pager = first.select("nav.pager a")
    assert [a.get_text() for a in pager if a.get_text().isdigit()] == ["1", "2"]
    second = next(a["href"] for a in pager if a.get_text() == "2")
    assert query_of(second) == {"q": ["雙11"], "per_page": ["2"], "page": ["2"]}
    assert set(hit_urls(soup(client, second))).isdisjoint(hit_urls(first))
    assert first.select_one("a[rel=next]")["href"] == second


def test_results_show_metadata_people_and_passage_links(client: TestClient) -> None:
    hit = soup(client, "/", q="蒋凡").select_one("li.hit")
    assert hit.select_one(".badge").get_text() == "繁體中文"
    assert "《阿里足跡》" in hit.select_one(".meta").get_text()
    people = [a.get_text() for a in hit.select(".mentions a")]
    assert "蔣凡 · Jiang Fan" in people
    for link in hit.select(".snippets a"):
        path, anchor = link["href"].split("#")
        assert path == f"/articles/{ARTICLE}?q=%E8%92%8B%E5%87%A1"
        assert re.fullmatch(r"p\d+", anchor)
        assert link.find("mark") is not None
    assert 1 <= len(hit.select(".snippets a")) <= 3


def test_charts_are_accessible_inline_svg(client: TestClient) -> None:
    page = soup(client, "/", q="張勇")
    charts = page.select("svg.chart")
    assert len(charts) == 2
    for chart in charts:
        assert chart["role"] == "img"
        labelled = chart["aria-labelledby"].split()
        assert chart.find("title")["id"] in labelled
        assert chart.find("desc").get_text()
    people = page.select_one("#chart-executive")
    assert "Results per executive" in people.find("title").get_text()
    assert "張勇 · Zhang Yong" in [t.get_text() for t in people.find_all("text")]
    assert "3" in [t.get_text() for t in people.find_all("text")]


# -- no results --------------------------------------------------------------------------


def test_no_results_suggests_a_spelling_that_finds_something(client: TestClient) -> None:
    page = soup(client, "/", q="張永")
    assert not page.select("li.hit")
    suggestion = page.select_one(".dym a")
    assert suggestion.get_text() == "張勇"
    assert soup(client, suggestion["href"]).select("li.hit")


def test_no_results_suggests_english_spellings(client: TestClient) -> None:
    page = soup(client, "/", q="flexable production")
    assert [a.get_text() for a in page.select(".dym a")][0] == "flexible production"


def test_no_results_offers_the_query_with_a_term_left_out(client: TestClient) -> None:
    page = soup(client, "/", q="直播 火星人")
    relaxed = page.select(".relaxed a")
    assert [a.get_text() for a in relaxed] == ["直播"]
    counted = soup(client, relaxed[0]["href"])
    assert counted.select_one(".summary strong").get_text() in relaxed[0].parent.get_text()


def test_no_results_with_filters_offers_the_unfiltered_search(client: TestClient) -> None:
    page = soup(client, "/", q="家洛", lang="en")
    assert not page.select("li.hit")
    link = page.select_one(".nothing p a[href='/?q=%E5%AE%B6%E6%B4%9B']")
    assert link is not None


# -- article, quotes, executives -----------------------------------------------------------


def test_article_marks_quotes_with_their_speakers(client: TestClient) -> None:
    page = soup(client, f"/articles/{ARTICLE}")
    quoted = page.select(".text .quoted")
    notes = page.select(".text .note")
    assert quoted and len(notes) >= len(quoted)
    ref = page.select_one(".text a.qref")
    note = page.find(id=ref["href"][1:])
    speaker = note.select_one("a.speaker")
    assert speaker["href"] == "/quotes?speaker=zhang-yong"
    assert speaker.get_text() == "張勇 · Zhang Yong"
    assert page.select_one("a[href='/sources/000_1e9703de958eb715.txt']") is not None


def test_article_text_is_the_clean_text_with_quote_marks_only(client: TestClient) -> None:
    page = soup(client, f"/articles/{ARTICLE}", q="張勇")
    api = client.get(f"/api/articles/{ARTICLE}").json()
    for passage in page.select(".text p.passage"):
        for extra in passage.select("a.anchor, a.qref"):
            extra.decompose()
        number = int(passage["id"][1:])
        assert passage.get_text() == api["passages"][number]


def test_quotes_page_has_cards_and_a_speaker_picker(client: TestClient) -> None:
    page = soup(client, "/quotes", speaker="zhang-yong")
    picker = {a.get_text(): a["href"] for a in page.select("nav.speakers a")}
    assert picker["家洛 · Jia Luo"] == "/quotes?speaker=jia-luo"
    assert page.select_one("nav.speakers a[aria-current]").get_text() == "張勇 · Zhang Yong"
    card = page.select_one("li.card")
    assert card.select_one(".speaker")["href"] == "/quotes?speaker=zhang-yong"
    article = card.select_one(".from a")["href"]
    assert re.fullmatch(r"/articles/[\w]+#p\d+", article)
    searched = soup(client, "/quotes", speaker="zhang-yong", q="消費者")
    assert searched.find("input", {"name": "speaker"})["value"] == "zhang-yong"
    assert len(searched.select("li.card")) < len(page.select("li.card")) + 100


def test_executives_page_lists_every_form_and_the_counts(client: TestClient) -> None:
    page = soup(client, "/executives")
    api = client.get("/api/executives").json()
    rows = page.select("table.people tbody tr")
    assert len(rows) == len(api["results"] if "results" in api else api["executives"])
    zhang = next(r for r in rows if "Zhang Yong" in r.th.get_text())
    forms = {a.get_text() for a in zhang.select(".forms a")}
    assert {"張勇", "张勇", "Daniel Zhang", "逍遙子"} <= forms
    assert zhang.th.a["href"] == "/quotes?speaker=zhang-yong"


# -- script: 繁 / 简 / 原文 -----------------------------------------------------------------


@pytest.fixture
def fresh(settings: Settings, service: SearchService) -> Iterator[TestClient]:
    """A client with its own cookie jar, for the script cookie."""
    with TestClient(create_app(settings, service)) as test_client:
        yield test_client


def main_text(client: TestClient, url: str, **params: str) -> str:
    return soup(client, url, **params).find("main").get_text()


def test_the_two_scripts_differ_only_by_script(fresh: TestClient) -> None:
    url = f"/articles/{ARTICLE}"
    hant = main_text(fresh, url, q="张勇", script="hant")
    hans = main_text(fresh, url, q="张勇", script="hans")
    assert hant != hans
    assert "張勇" in hant and "张勇" not in hant
    assert "张勇" in hans and "張勇" not in hans
    assert to_simplified(hant) == hans


def test_the_script_choice_is_remembered_and_overridable(fresh: TestClient) -> None:
    assert "張勇 · Zhang Yong" in main_text(fresh, "/executives")
    response = fresh.get("/executives", params={"script": "hans"})
    assert response.cookies.get("script") == "hans"
    assert "张勇 · Zhang Yong" in main_text(fresh, "/executives")
    page = soup(fresh, "/", q="張勇")
    assert page.select_one("li.hit h2").get_text().startswith("【专访】张勇")
    assert page.select_one("li.hit h2")["lang"] == "zh-Hans"
    assert page.select_one(".snippets mark").get_text() == "张勇"
    assert "張勇" in main_text(fresh, "/quotes", script="orig")


def test_the_toggle_keeps_the_other_parameters(fresh: TestClient) -> None:
    page = soup(fresh, "/", q="雙11", lang="en", page="1")
    toggle = {a.get_text(): a["href"] for a in page.select("nav.scripts a")}
    assert set(toggle) == {"繁", "简", "原文"}
    for value, href in zip(("hant", "hans", "orig"), toggle.values(), strict=True):
        assert query_of(href) == {"q": ["雙11"], "lang": ["en"], "page": ["1"], "script": [value]}
    assert page.select_one("nav.scripts a[aria-current]").get_text() == "原文"


# -- everything is local, /docs included ---------------------------------------------------

PAGES = [
    "/",
    "/?q=張勇",
    "/?q=張永",
    "/?q=雙11&lang=en&per_page=1",
    f"/articles/{ARTICLE}?q=張勇",
    "/quotes",
    "/quotes?speaker=jia-luo",
    "/executives",
    "/docs",
    "/articles/nope",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_use_no_external_assets_and_declare_languages(client: TestClient, url: str) -> None:
    response = client.get(url)
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == "en"
    for tag in page.find_all(True):
        for attr in ("src", "href", "action", "srcset", "xlink:href", "data"):
            value = str(tag.get(attr) or "")
            assert not re.match(r"(?i)\s*(https?:)?//", value), f"{tag.name} {attr}={value}"
    assert page.find("main") is not None and page.find("nav") is not None
    assert page.find("a", class_="skip")["href"] == "#main"
    for field in page.find_all("input", type=lambda t: t not in ("hidden", "submit")):
        assert page.find("label", attrs={"for": field["id"]}) is not None


def test_the_stylesheet_and_script_are_local(client: TestClient) -> None:
    for asset in ("/static/style.css", "/static/app.js"):
        text = client.get(asset).text
        assert not re.search(r"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), asset
        assert "@import" not in text


def test_docs_is_offline_and_lists_every_api_endpoint(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger" not in response.text.lower() and "cdn" not in response.text.lower()
    page = BeautifulSoup(response.text, "html.parser")
    schema = client.get("/openapi.json").json()
    app_paths = {r.path for r in client.app.routes if getattr(r, "path", "").startswith("/api/")}
    assert app_paths <= set(schema["paths"])
    listed = {code.get_text() for code in page.select(".endpoint h2 code")}
    assert set(schema["paths"]) == listed
    assert page.select_one("a[href='#model-SearchResponse']") is not None
    form = page.select_one("form[action='/api/search']")
    assert {i["name"] for i in form.find_all("input")} >= {"q", "page", "executive", "lang"}


def test_quote_cards_mark_the_query(client: TestClient) -> None:
    page = soup(client, "/quotes", speaker="zhang-yong", q="东南亚")
    cards = page.select("blockquote")
    assert cards
    assert all("東南亞" in {m.get_text() for m in card.select("mark")} for card in cards)


def test_a_long_facet_lists_its_largest_values_and_counts_the_rest() -> None:
    from corpus_search.models import FacetValue, SearchResults
    from corpus_search.search import Filters
    from corpus_search.web.pages import FACETS_LISTED, FACETS_SHOWN, _facets, _params
    from corpus_search.web.script import Converter

    people = [FacetValue(f"p{n:03d}", f"Person {n}", 500 - n) for n in range(FACETS_LISTED + 40)]
    results = SearchResults("q", 600, 1, 10, [], {"executive": people}, {}, 1.0)
    chosen = people[FACETS_LISTED + 30].value  # filtered on, far down the list
    params = _params("q", Filters(executive=chosen), 10)
    (group,) = _facets(Converter(), results, params)
    listed = [link.label for link in group.shown + group.more]
    assert listed[:FACETS_LISTED] == [f"Person {n}" for n in range(FACETS_LISTED)]
    assert listed[FACETS_LISTED:] == [f"Person {FACETS_LISTED + 30}"]  # still there to remove
    assert group.more[-1].current and len(group.shown) == FACETS_SHOWN
    assert group.unlisted == 39


def test_the_speaker_picker_lists_those_quoted_most_and_counts_the_rest(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corpus_search.web import reading

    api = client.get("/api/executives").json()["results"]
    quoted = sorted((p for p in api if p["quotes"]), key=lambda p: -p["quotes"])
    assert len(quoted) >= 3
    monkeypatch.setattr(reading, "SPEAKERS_LISTED", 2)
    least = quoted[-1]["id"]  # chosen, it is listed anyway
    page = soup(client, "/quotes", speaker=least)
    picker = page.select(".speakers li a")
    assert picker[0].get_text() == "All speakers" and len(picker) == 1 + 3
    current = [a["href"] for a in picker if a.get("aria-current") == "true"]
    assert current == [f"/quotes?speaker={least}"]
    more = page.select_one(".speakers .unlisted")
    assert more is not None and more.a["href"] == "/executives"
    assert more.a.get_text() == f"{len(api) - 3} more"


def test_the_executives_page_is_cut_into_pages(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corpus_search.web import people

    everyone = client.get("/api/executives").json()["results"]
    rows = [
        tr.th.a.get_text() for tr in soup(client, "/executives").select("table.people tbody tr")
    ]
    assert len(rows) == len(everyone) >= 5  # one page holds the seeds' people
    monkeypatch.setattr(people, "EXECUTIVES_PER_PAGE", 2)
    first, second = soup(client, "/executives"), soup(client, "/executives", page="2")
    names = [tr.th.a.get_text() for p in (first, second) for tr in p.select("tbody tr")]
    assert names == rows[:4]
    assert second.select_one('a[rel="prev"]')["href"] == "/executives"
    assert first.select_one('a[rel="next"]')["href"] == "/executives?page=2"
    past = soup(client, "/executives", page="999")
    assert past.select("tbody tr") == [] and "past the end" in past.select_one(".past-end").text
