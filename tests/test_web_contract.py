"""The web layer's contract, tried as a user (or a hostile client) would: security
headers, the JSON error shape, parameters, stop words, CSV, pages past the end,
/sources/ links and paths, settings, concurrent first requests, XSS probes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from corpus_search.config import Settings, SettingsError
from corpus_search.errors import CorpusSearchError
from corpus_search.index import rebuild
from corpus_search.models import Hit, SearchResults, Snippet
from corpus_search.search import Filters, SearchService
from corpus_search.web import create_app, suggest, views
from support import SEEDS

ARTICLE = "000_1e9703de958eb715"
HTML_PAGES = [
    "/",
    "/?q=張勇",
    "/?q=zhnag+yong",
    f"/articles/{ARTICLE}?q=張勇",
    "/quotes",
    "/quotes?speaker=zhang-yong&q=雙11",
    "/executives",
    "/docs",
]
JSON_URLS = [
    "/api/search?q=張勇",
    "/api/quotes",
    f"/api/articles/{ARTICLE}",
    "/api/executives",
    "/healthz",
]
OTHER_URLS = [
    "/static/style.css",
    "/static/app.js",
    "/api/search.csv?q=張勇",
    f"/sources/{ARTICLE}.txt",
    "/openapi.json",
    "/nonexistent",
    "/api/nonexistent",
]


def error_of(response: object) -> str:
    """The message of a JSON error, checking the shape is exactly {error, status}."""
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error", "status"}, body
    assert body["status"] == response.status_code  # type: ignore[attr-defined]
    assert isinstance(body["error"], str) and body["error"]
    return str(body["error"])


def page_text(response: object) -> str:
    return BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)  # type: ignore[attr-defined]


# -- 1. security headers --------------------------------------------------------------


@pytest.mark.parametrize("url", HTML_PAGES + JSON_URLS + OTHER_URLS)
def test_every_response_carries_the_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    policy = headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer")


@pytest.mark.parametrize("url", HTML_PAGES + ["/nonexistent", "/?q=the"])
def test_pages_vary_with_the_script_cookie(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["content-type"].startswith("text/html")
    assert "cookie" in response.headers["vary"].lower()


@pytest.mark.parametrize("url", HTML_PAGES)
def test_pages_have_no_inline_script_or_style(client: TestClient, url: str) -> None:
    page = BeautifulSoup(client.get(url).text, "html.parser")
    for script in page.find_all("script"):
        assert script.get("src", "").startswith("/static/") and not script.get_text().strip()
    assert not page.find_all("style")
    for tag in page.find_all(True):
        assert "style" not in tag.attrs, tag
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        assert not str(tag.get("href", "")).lower().startswith("javascript:")


def test_an_unexpected_failure_is_a_json_500_under_the_api_and_a_page_elsewhere(
    settings: Settings,
) -> None:
    service = SearchService(settings)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    service.search = broken  # type: ignore[method-assign]
    service.health = broken  # type: ignore[method-assign]
    bad = TestClient(create_app(settings, service))  # no start-up: warm_up would search
    for url in ["/api/search?q=張勇", "/api/search.csv?q=張勇", "/healthz"]:
        response = bad.get(url)
        assert response.status_code == 500
        message = error_of(response)
        assert "secret" not in response.text and "Traceback" not in response.text
        assert "went wrong" in message
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = bad.get("/", params={"q": "張勇"})
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "secret" not in page.text and "went wrong" in page_text(page)
    assert page.headers["x-content-type-options"] == "nosniff"


# -- 2. the JSON error contract -------------------------------------------------------


def test_an_unknown_api_address_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/nonexistent")
    assert response.status_code == 404
    assert "/api/nonexistent" in error_of(response)


@pytest.mark.parametrize("url", ["/nonexistent", "/static/", "/static", "/static/nope.css"])
def test_an_unknown_page_is_an_html_404(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text() == "Error 404"
    assert page.find("a", href="/") is not None


def test_a_wrong_method_is_a_json_405(client: TestClient) -> None:
    response = client.post("/api/search", params={"q": "張勇"})
    assert response.status_code == 405
    assert "GET" in error_of(response) and response.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/quotes?speaker=", "speaker"),
        ("/api/search?q=張勇&executive=", "executive"),
        ("/api/search?q=張勇&source=", "source"),
        ("/api/search?q=", "q"),
        ("/api/articles/", "article_id"),
        ("/quotes?speaker=", "speaker"),
        ("/?q=張勇&topic=", "topic"),
        ("/?q=", "q"),
        ("/articles/", "article_id"),
        ("/", "path"),
    ],
)
def test_huge_input_is_not_echoed_back_whole(client: TestClient, url: str, name: str) -> None:
    response = client.get(url + "x" * 60_000)  # about the longest URL a client sends
    assert 400 <= response.status_code < 500
    assert len(response.content) < 10_000
    if urlsplit(url).path.startswith("/api/"):
        error_of(response)


def test_an_unknown_speaker_is_named_but_cut_short(client: TestClient) -> None:
    response = client.get("/api/quotes", params={"speaker": "Nobody " + "y" * 150})
    assert response.status_code == 400
    message = error_of(response)
    assert "Nobody" in message and "…" in message and len(message) < 300


# -- 3. parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"q": "張勇", "format": "xml"}, "format"),
        ({"q": "張勇", "year": "abc"}, "year"),
        ({"q": "張勇", "page": "0"}, "page"),
        ({"q": "張勇", "page": "abc"}, "page"),
        ({"q": "張勇", "per_page": "0"}, "per_page"),
        ({"q": "張勇", "per_page": "101"}, "per_page"),
        ({"q": "張勇", "lang": "fr"}, "lang"),
        ({}, "q"),
        ({"q": "   "}, "q"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client: TestClient, params: dict, name: str) -> None:
    for url in ["/api/search", "/api/search.csv"]:
        if url.endswith(".csv") and "format" in params:
            continue
        response = client.get(url, params=params)
        assert response.status_code == 400, response.text
        assert name in error_of(response)
    page = client.get("/", params=params)
    if params.get("q", "").strip() and name != "format":  # pages take no format
        assert page.status_code == 400 and name in page_text(page)


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=張勇&exective=zhang-yong",
        "/api/search.csv?q=張勇&script=hans",
        "/api/quotes?speeker=zhang-yong",
        "/api/executives?page=2",
        f"/api/articles/{ARTICLE}?q=張勇",
        "/healthz?verbose=1",
    ],
)
def test_an_unknown_api_parameter_is_a_400_naming_it(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    unknown = urlsplit(url).query.split("&")[-1].split("=")[0]
    assert repr(unknown) in error_of(response)


def test_pages_ignore_unknown_parameters(client: TestClient) -> None:
    plain = client.get("/", params={"q": "張勇"})
    tracked = client.get("/", params={"q": "張勇", "utm_source": "newsletter"})
    assert tracked.status_code == 200
    assert page_text(tracked).split()[0] == page_text(plain).split()[0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=張勇&executive=zhang-yong&executive=jack-ma",
        "/api/search?q=張勇&q=馬雲",
        "/api/quotes?speaker=zhang-yong&speaker=jack-ma",
        "/?q=張勇&executive=zhang-yong&executive=jack-ma",
        "/quotes?speaker=zhang-yong&speaker=jack-ma",
    ],
)
def test_a_repeated_parameter_is_a_400_not_last_wins(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    name = urlsplit(url).query.split("&")[-1].split("=")[0]
    text = error_of(response) if url.startswith("/api/") else page_text(response)
    assert f"'{name}' is given 2 times" in text


@pytest.mark.parametrize("blank", ["", " ", "%20%20", "%09"])
def test_a_blank_filter_means_no_filter(client: TestClient, blank: str) -> None:
    everyone = client.get("/api/quotes").json()
    assert client.get(f"/api/quotes?speaker={blank}").json() == everyone
    unfiltered = client.get("/api/search?q=張勇").json()
    for name in ["executive", "topic", "lang", "source", "year"]:
        body = client.get(f"/api/search?q=張勇&{name}={blank}").json()
        assert body["total"] == unfiltered["total"] and body["filters"] == {}
    assert client.get(f"/api/search?q=張勇&format={blank}").json()["total"] == unfiltered["total"]


def test_the_openapi_schema_states_every_constraint(client: TestClient, settings: Settings) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    def param(path: str, name: str) -> dict:
        found = [p for p in paths[path]["get"]["parameters"] if p["name"] == name]
        return found[0]

    q = param("/api/search", "q")
    assert q["required"] and q["schema"]["minLength"] == 1 and q["schema"]["pattern"] == r"\S"
    assert q["schema"]["maxLength"] == settings.max_query_length
    assert param("/api/search", "format")["schema"]["enum"] == ["json", "csv"]
    lang = param("/api/search", "lang")["schema"]["anyOf"][0]
    assert lang["enum"] == ["zh-Hant", "zh-Hans", "en"]
    for path in ["/api/search", "/api/search.csv", "/api/quotes"]:
        assert param(path, "page")["schema"]["minimum"] == 1
        per_page = param(path, "per_page")["schema"]
        assert per_page["minimum"] == 1 and per_page["maximum"] == settings.max_per_page
    year = param("/api/search", "year")["schema"]["anyOf"][0]
    assert year["type"] == "integer"
    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        assert {"400", "500"} <= set(responses), path
        assert responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ErrorResponse"
        )


def test_the_docs_state_the_rules(client: TestClient) -> None:
    text = page_text(client.get("/docs"))
    assert "given twice is refused" in text
    assert "blank filter" in text and "stop words" in text
    assert "one of json, csv" in text and "at least 1" in text


# -- 6. stop words ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["the", "the of and", "to be or not to be", "  The  "])
def test_stop_words_alone_get_one_answer_everywhere(client: TestClient, query: str) -> None:
    messages = set()
    for url in ["/api/search", "/api/search.csv", "/api/quotes"]:
        response = client.get(url, params={"q": query})
        assert response.status_code == 400
        messages.add(error_of(response))
    for url in ["/", "/quotes"]:
        response = client.get(url, params={"q": query})
        assert response.status_code == 400
        page = BeautifulSoup(response.text, "html.parser")
        messages.add(page.select_one(".error p").get_text())
        assert page.find("input", {"name": "q"})["value"] == query  # to correct it
    assert len(messages) == 1
    assert "stop words" in messages.pop()


def test_stop_words_in_quotes_are_searched_as_a_phrase(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": '"the"'})
    assert response.status_code == 200 and response.json()["total"] > 0


def test_an_article_read_with_stop_words_alone_shows_why_nothing_is_marked(
    client: TestClient,
) -> None:
    response = client.get(f"/articles/{ARTICLE}", params={"q": "the of"})
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert "stop words" in page.select_one(".matches").get_text()
    assert not page.select(".text mark")


# -- 4. CSV -------------------------------------------------------------------------------


def _hit(title: str, source: str) -> Hit:
    return Hit(
        id="a",
        source_file="a.txt",
        title=title,
        lang="en",
        date=None,
        source=source,
        score=1.5,
        snippets=[Snippet(0, "@SUM(1+1) &lt;b&gt;")],
        executives=[],
        topics=["-x"],
    )


def test_csv_cells_a_spreadsheet_would_run_are_neutralised() -> None:
    hits = [_hit('=HYPERLINK("http://evil","x")', "+1"), _hit("\tTab", "\rcr"), _hit("張勇", "-")]
    results = SearchResults("q", 3, 1, 10, hits, {}, {}, 1.0)
    text = views.search_csv(results)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(views.CSV_COLUMNS)
    assert rows[0] == [
        "rank",
        "id",
        "source_file",
        "title",
        "lang",
        "date",
        "source",
        "score",
        "executives",
        "topics",
        "snippet",
        "url",
    ]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert rows[1][3] == """'=HYPERLINK("http://evil","x")""" and rows[1][6] == "'+1"
    assert rows[1][10] == "'@SUM(1+1) <b>" and rows[1][9] == "'-x"
    assert rows[3][3] == "張勇" and rows[1][0] == "1" and rows[1][7] == "1.5"


def test_csv_opens_as_utf8_in_a_spreadsheet(client: TestClient) -> None:
    for url in ["/api/search.csv?q=張勇", "/api/search?q=張勇&format=csv"]:
        response = client.get(url)
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["rank", "id", "source_file"]
        assert any("張勇" in cell for row in rows[1:] for cell in row)


# -- 5. a page past the end ---------------------------------------------------------


def test_a_json_page_past_the_end_is_empty_with_the_true_total(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "張勇"}).json()
    past = client.get("/api/search", params={"q": "張勇", "page": 99}).json()
    assert past["results"] == [] and past["total"] == first["total"] > 0
    assert past["page"] == 99 and past["last_page"] == first["last_page"] == 1
    quotes = client.get("/api/quotes", params={"page": 99, "per_page": 5}).json()
    assert quotes["results"] == [] and quotes["total"] > 0
    assert quotes["last_page"] == -(-quotes["total"] // 5)


@pytest.mark.parametrize(("path", "params"), [("/", {"q": "張勇"}), ("/quotes", {})])
def test_a_page_past_the_end_says_so_and_links_to_the_last(
    client: TestClient, path: str, params: dict
) -> None:
    response = client.get(path, params={**params, "page": 99, "per_page": 2})
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    notice = page.select_one(".past-end")
    assert "Page 99 is past the end" in notice.get_text()
    assert "No article matches" not in page.get_text()
    last = client.get(notice.a["href"])
    assert last.status_code == 200
    shown = BeautifulSoup(last.text, "html.parser")
    assert shown.select("li.hit, li.card") and not shown.select_one(".past-end")


# -- 7. /sources/ links and paths ----------------------------------------------------


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An index of one article stored under a name that needs percent-encoding."""
    root = tmp_path_factory.mktemp("odd")
    (root / "src").mkdir()
    shutil.copy(SEEDS / f"{ARTICLE}.txt", root / "src" / "新聞 報導#1?.txt")
    settings = Settings(index_dir=root / "index", source_dir=root / "src")
    rebuild(settings)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_source_link_reaches_a_file_with_an_awkward_name(odd_names: TestClient) -> None:
    hit = odd_names.get("/api/search", params={"q": "張勇"}).json()["results"][0]
    assert hit["source_file"] == "新聞 報導#1?.txt"
    article = BeautifulSoup(odd_names.get(hit["url"]).text, "html.parser")
    link = article.find("a", string="新聞 報導#1?.txt")["href"]
    assert "#" not in link and "?" not in link and " " not in link
    response = odd_names.get(link)
    assert response.status_code == 200
    assert response.content == (SEEDS / f"{ARTICLE}.txt").read_bytes()
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "url",
    [
        "/sources/..%2F..%2Fetc%2Fpasswd",
        "/sources/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/sources/%2Fetc%2Fpasswd",
        "/sources//etc/passwd",
        "/sources/..%5C..%5Cetc%5Cpasswd",
        "/sources/%2E%2E",
        "/sources/a%00.txt",
        "/sources/",
        "/articles/..%2F..%2Fetc%2Fpasswd",
        "/articles/%2E%2E",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/articles/%2Fetc%2Fpasswd",
        "/static/..%2F..%2Fconfig.py",
        "/static/%2E%2E/app.py",
    ],
)
def test_paths_cannot_leave_their_place(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404, response.text
    assert "root:" not in response.text and "import" not in response.text


# -- 8. settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"CORPUS_SEARCH_MAX_PER_PAGE": "lots"}, "CORPUS_SEARCH_MAX_PER_PAGE"),
        ({"CORPUS_SEARCH_MAX_PER_PAGE": "0"}, "CORPUS_SEARCH_MAX_PER_PAGE"),
        ({"CORPUS_SEARCH_MAX_QUERY_LENGTH": "-5"}, "CORPUS_SEARCH_MAX_QUERY_LENGTH"),
        ({"CORPUS_SEARCH_MAX_QUERY_LENGTH": "1e3"}, "CORPUS_SEARCH_MAX_QUERY_LENGTH"),
        ({"CORPUS_SEARCH_TEMPLATES": "/no/such/folder"}, "CORPUS_SEARCH_TEMPLATES"),
    ],
)
def test_a_bad_setting_names_its_variable(env: dict, name: str) -> None:
    with pytest.raises(SettingsError, match=name) as caught:
        Settings.from_env(env)
    assert isinstance(caught.value, CorpusSearchError)
    assert not isinstance(caught.value, ValueError)


def test_settings_ignore_blank_values_and_spaces() -> None:
    settings = Settings.from_env({"CORPUS_SEARCH_MAX_PER_PAGE": " 25 ", "CORPUS_SEARCH_INDEX": ""})
    assert settings.max_per_page == 25 and settings.index_dir == Path("var/index")


def test_a_huge_bad_setting_is_quoted_short() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"CORPUS_SEARCH_MAX_PER_PAGE": "x" * 10_000})
    assert len(str(caught.value)) < 200


# -- 9. concurrent first requests ------------------------------------------------------


def test_concurrent_first_suggestions_are_safe(settings: Settings) -> None:
    service = SearchService(settings)  # nothing cached yet
    barrier = threading.Barrier(8)
    found: list[object] = []
    failures: list[BaseException] = []

    def first_request() -> None:
        try:
            barrier.wait()
            found.append(suggest.vocabulary(service))
            suggest.did_you_mean(service, "zhnag yong", Filters())
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            failures.append(exc)

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(found) == 8 and all(v is found[0] for v in found)  # built once


def test_concurrent_no_result_pages_are_all_answered(settings: Settings) -> None:
    statuses: list[int] = []
    with TestClient(create_app(settings, SearchService(settings))) as fresh:

        def ask(query: str) -> None:
            statuses.append(fresh.get("/", params={"q": query}).status_code)

        threads = [threading.Thread(target=ask, args=(f"zhnag{i} yong",)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [200] * 6


# -- 10. XSS probes -----------------------------------------------------------------------

PROBES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
]
PARAMETERS = ["q", "speaker", "executive", "topic", "source", "lang", "year", "page", "script"]


def _probe_urls(probe: str) -> Iterator[tuple[str, dict[str, str]]]:
    for name in PARAMETERS:
        extra = {} if name == "q" else {"q": "張勇"}
        for path in ["/", "/quotes", "/api/search", "/api/search.csv", "/api/quotes"]:
            yield path, {**extra, name: probe}
    yield f"/articles/{ARTICLE}", {"q": probe}
    for path in ["/executives", "/docs"]:
        yield path, {"x": probe}
    for prefix in ["/articles/", "/api/articles/", "/sources/", "/", "/api/"]:
        yield prefix + probe, {}


@pytest.mark.parametrize("probe", PROBES)
def test_probes_are_never_echoed_raw_nor_a_500(client: TestClient, probe: str) -> None:
    for path, params in _probe_urls(probe):
        response = client.get(path, params=params)
        assert response.status_code < 500, (path, params)
        for raw in (probe, "<script>", "<img src=x", "<svg onload"):
            assert raw not in response.text, (path, params, response.text[:300])
        if response.headers["content-type"].startswith("application/json"):
            json.loads(response.text)


def test_a_probe_is_shown_as_text(client: TestClient) -> None:
    response = client.get("/quotes", params={"q": PROBES[1]})
    page = BeautifulSoup(response.text, "html.parser")
    assert not page.find("img")
    assert page.find("input", {"name": "q"})["value"] == PROBES[1]


def test_the_docs_forms_work_as_filled_in(client: TestClient) -> None:
    """Each "Try it" form sends every field, blank ones included: blank means not given."""
    page = BeautifulSoup(client.get("/docs").text, "html.parser")
    forms = page.select("details.try form")
    assert forms
    for form in forms:
        fields = {i["name"]: i.get("value", "") for i in form.find_all("input")}
        if "q" in fields and not fields["q"]:
            fields["q"] = "張勇"
        response = client.get(form["action"], params=fields)
        assert response.status_code == 200, (form["action"], response.text)


@pytest.mark.parametrize("url", ["/", "/?q=張勇", "/api/search?q=張勇", "/healthz", "/nope"])
def test_head_is_answered_as_get_without_a_body(client: TestClient, url: str) -> None:
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]


def test_the_script_cookie_is_not_readable_by_scripts(client: TestClient) -> None:
    own_jar = TestClient(client.app)  # the session client's cookies stay as they are
    cookie = own_jar.get("/", params={"script": "hans"}).headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()


def test_no_suggestion_leads_to_a_refusal(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/", params={"q": "the of zhnag"}).text, "html.parser")
    links = [a["href"] for a in page.select(".nothing a[href^='/?']")]
    assert links  # a spelling is offered; "the of" (stop words alone) is not
    for href in links:
        assert client.get(href).status_code == 200, href
