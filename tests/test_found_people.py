"""People found quoted in the text are first-class (issue 9, item 2).

tests/data/unseen quotes people who are in no lexicon: 林曉峰 (Traditional, in
zh_hant_retail), 林晓峰 (Simplified, in zh_hans_food) and Lin Xiaofeng (en_hongtu)
are one person. Built as a user would build it, they are listed beside the
lexicon's people, their quotes are found by any form of the name, and the
executive facet and filter know them, also after incremental builds.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from corpus_search.config import Settings
from corpus_search.index import add_files, rebuild, remove_articles
from corpus_search.index.people import merge_found, read_people
from corpus_search.index.store import PEOPLE, live_directory
from corpus_search.search import SearchService
from corpus_search.web import create_app
from support import DATA

UNSEEN = DATA / "unseen"
LIN = {"zh_hant_retail", "zh_hans_food", "en_hongtu"}  # the articles quoting 林曉峰
LIN_FORMS = ("林曉峰", "林晓峰", "Lin Xiaofeng", "lin-xiaofeng", "linxiaofeng", "lin xiao feng")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(index_dir=tmp_path_factory.mktemp("found") / "index", source_dir=UNSEEN)
    rebuild(settings)
    return settings


@pytest.fixture(scope="module")
def client(built: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(built, SearchService(built))) as test_client:
        yield test_client


def executives(client: TestClient) -> dict[str, dict[str, Any]]:
    response = client.get("/api/executives")
    assert response.status_code == 200
    return {p["id"]: p for p in response.json()["results"]}


def quotes_of(client: TestClient, speaker: str) -> dict[str, Any]:
    response = client.get("/api/quotes", params={"speaker": speaker, "per_page": 100})
    assert response.status_code == 200, response.text
    return dict(response.json())


def people_file(settings: Settings) -> dict[str, dict[str, Any]]:
    directory = live_directory(settings)
    assert directory is not None
    records = json.loads((directory / PEOPLE).read_text("utf-8"))["people"]
    return {r["id"]: r for r in records}


# -- the build --------------------------------------------------------------------


def test_the_build_keeps_one_record_per_person_beside_the_index(built: Settings) -> None:
    people = people_file(built)
    lin = people["lin-xiaofeng"]
    assert set(lin["articles"]) == LIN
    assert {"林曉峰", "林晓峰", "Lin Xiaofeng"} <= set(lin["written"])
    assert (lin["traditional"], lin["simplified"], lin["pinyin"]) == (
        "林曉峰",
        "林晓峰",
        "lin xiao feng",
    )
    assert lin["role"] and lin["quotes"] > 0
    assert people["maria-okafor"]["organisation"] == "Brightline Freight"
    assert "zhang-yong" not in people  # the lexicon's people are not found people


def test_quote_records_say_who_was_found_and_their_role(built: Settings) -> None:
    view = SearchService(built).article("zh_hant_retail")
    said = [q for q in view.quotes if q.speaker_id == "lin-xiaofeng"]
    assert said and all(q.speaker_found for q in said)
    assert "集團總裁" in {q.speaker_role for q in said}


def test_counts_in_the_file_agree_with_the_index(built: Settings, client: TestClient) -> None:
    listed = executives(client)
    for person_id, record in people_file(built).items():
        assert listed[person_id]["quotes"] == record["quotes"]
        assert listed[person_id]["articles"] == len(record["articles"])
        assert quotes_of(client, person_id)["total"] == record["quotes"]


# -- executives: API and page -----------------------------------------------------


def test_the_api_lists_the_lexicon_and_the_found_people(client: TestClient) -> None:
    people = executives(client)
    zhang, lin = people["zhang-yong"], people["lin-xiaofeng"]
    assert zhang["found_in_text"] is False
    assert lin["found_in_text"] is True
    for key in ("id", "name", "name_en", "names", "title", "articles", "quotes"):
        assert key in lin and key in zhang
    assert lin["name_en"] == "Lin Xiaofeng"
    assert {"林曉峰", "林晓峰", "Lin Xiaofeng", "linxiaofeng"} <= set(lin["names"])
    assert lin["articles"] == 3 and lin["quotes"] >= 3
    assert lin["role"] and lin["title"] == lin["role"]
    okafor = people["maria-okafor"]
    assert okafor["role"] == "head of operations at Brightline Freight"
    assert okafor["organisation"] == "Brightline Freight"
    assert len(people) == client.get("/api/executives").json()["total"]


def test_the_page_marks_the_people_found_in_the_text(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/executives").text, "html.parser")
    rows = page.select("table.people tbody tr")
    assert len(rows) == len(executives(client))
    lin = next(r for r in rows if "Lin Xiaofeng" in r.th.get_text())
    zhang = next(r for r in rows if "Zhang Yong" in r.th.get_text())
    assert "found in the text" in lin.th.get_text()
    assert "found in the text" not in zhang.th.get_text()
    assert lin.th.a["href"] == "/quotes?speaker=lin-xiaofeng"
    forms = {a.get_text() for a in lin.select(".forms a")}
    assert {"林曉峰", "林晓峰", "Lin Xiaofeng"} <= forms
    okafor = next(r for r in rows if "Maria Okafor" in r.th.get_text())
    assert "head of operations at Brightline Freight" in okafor.th.get_text()
    assert okafor.th.a["lang"] == "en"


def test_every_form_on_the_page_finds_the_person(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/executives").text, "html.parser")
    lin = next(r for r in page.select("table.people tbody tr") if "Xiaofeng" in r.th.get_text())
    for link in lin.select(".forms a"):
        response = client.get(link["href"])
        assert response.status_code == 200, link["href"]
        cards = BeautifulSoup(response.text, "html.parser").select("li.card")
        assert cards, link["href"]


# -- quotes by any form of the name -----------------------------------------------


@pytest.mark.parametrize("form", LIN_FORMS)
def test_quotes_of_a_found_person_by_any_form(client: TestClient, form: str) -> None:
    found = quotes_of(client, form)
    assert found["speaker"] == "lin-xiaofeng"
    assert found["total"] == executives(client)["lin-xiaofeng"]["quotes"]
    assert {q["speaker_id"] for q in found["results"]} == {"lin-xiaofeng"}
    assert {q["article_id"] for q in found["results"]} == LIN


@pytest.mark.parametrize(
    ("form", "person"),
    [
        ("郑家辉", "zheng-jiahui"),  # Simplified, for 鄭家輝
        ("Zheng Jiahui", "zheng-jiahui"),
        ("maria okafor", "maria-okafor"),
        ("欧阳志伟", "ouyang-zhiwei"),
    ],
)
def test_a_form_the_article_never_wrote_finds_the_speaker(
    client: TestClient, form: str, person: str
) -> None:
    found = quotes_of(client, form)
    assert found["speaker"] == person and found["total"] > 0


def test_quotes_with_a_query_and_a_found_speaker(client: TestClient) -> None:
    response = client.get("/api/quotes", params={"q": "會員", "speaker": "林晓峰"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results and {q["speaker_id"] for q in results} == {"lin-xiaofeng"}


def test_the_quote_json_says_the_speaker_was_found_and_their_role(client: TestClient) -> None:
    quotes = quotes_of(client, "Lin Xiaofeng")["results"]
    assert quotes and all(q["speaker_found"] for q in quotes)
    assert any(q["speaker_role"] for q in quotes)


def test_the_cli_lists_found_people_as_found(built: Settings) -> None:
    from click.testing import CliRunner

    from corpus_search.cli import main

    result = CliRunner().invoke(main, ["executives", "--index", str(built.index_dir)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("lin-xiaofeng"))
    assert "found in the text" in line


@pytest.mark.parametrize("query", ["Lin Xiaofeng", "林曉峰", "林晓峰"])
def test_a_search_for_a_found_person_finds_them_in_any_script_or_language(
    client: TestClient, query: str
) -> None:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 200
    found = {r["source_file"].removesuffix(".txt") for r in response.json()["results"]}
    assert LIN <= found


def test_an_unknown_speaker_is_still_a_400(client: TestClient) -> None:
    response = client.get("/api/quotes", params={"speaker": "Nobody Known"})
    assert response.status_code == 400
    assert "Unknown speaker" in response.json()["error"]


def test_the_quotes_page_of_a_found_person(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/quotes?speaker=Lin+Xiaofeng").text, "html.parser")
    assert "Lin Xiaofeng" in page.h1.get_text()
    assert page.select("li.card")


# -- the executive facet and filter -----------------------------------------------


def search(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_executive_facet_counts_the_articles_quoting_a_found_person(
    client: TestClient,
) -> None:
    results = search(client, q="零售")
    facet = {f["value"]: f for f in results["facets"]["executive"]}
    assert "lin-xiaofeng" in facet
    assert "Lin Xiaofeng" in facet["lin-xiaofeng"]["label"]
    quoting = {r["id"] for r in results["results"]} & LIN
    assert facet["lin-xiaofeng"]["count"] == len(quoting)


@pytest.mark.parametrize("form", ["lin-xiaofeng", "林晓峰", "林曉峰", "Lin Xiaofeng"])
def test_the_executive_filter_takes_a_found_person_by_any_form(
    client: TestClient, form: str
) -> None:
    everything = {r["id"] for r in search(client, q="集團", per_page="50")["results"]}
    kept = search(client, q="集團", executive=form, per_page="50")
    assert {r["id"] for r in kept["results"]} == everything & LIN
    assert all("lin-xiaofeng" in r["executives"] for r in kept["results"])


def test_an_unknown_executive_is_still_a_400(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "集團", "executive": "Nobody Known"})
    assert response.status_code == 400


def test_a_result_names_the_found_people_it_quotes(client: TestClient) -> None:
    results = search(client, q="Brightline")
    hit = next(r for r in results["results"] if r["id"] == "en_logistics")
    assert {"maria-okafor", "tom-reyes"} <= set(hit["executives"])


# -- incremental builds -----------------------------------------------------------


def _copy(names: list[str], to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(UNSEEN / name, to / name)
    return to


def _found(settings: Settings) -> dict[str, tuple[set[str], int]]:
    directory = live_directory(settings)
    assert directory is not None
    return {p.entity.id: (set(p.articles), p.quotes) for p in read_people(directory)}


def test_incremental_builds_keep_the_people_right(tmp_path: Path) -> None:
    source = _copy(["zh_hant_retail.txt", "zh_hans_food.txt", "en_logistics.txt"], tmp_path / "in")
    settings = Settings(index_dir=tmp_path / "index", source_dir=source)
    rebuild(settings)
    assert _found(settings)["lin-xiaofeng"][0] == {"zh_hant_retail", "zh_hans_food"}

    # a new file (from outside the folder): its people join, the others' are kept
    add_files(settings, [UNSEEN / "en_hongtu.txt"])
    assert _found(settings)["lin-xiaofeng"][0] == LIN
    assert "maria-okafor" in _found(settings)

    # an article taken out: its people go, or lose that article and its quotes
    before = _found(settings)["lin-xiaofeng"][1]
    remove_articles(settings, ["zh_hans_food"])
    after = _found(settings)
    assert after["lin-xiaofeng"] == ({"zh_hant_retail", "en_hongtu"}, after["lin-xiaofeng"][1])
    assert after["lin-xiaofeng"][1] < before
    assert "song-yutong" not in after  # quoted in zh_hans_food only

    # a file deleted from the folder: an incremental build (which reads zh_hans_food
    # again: its file is still in the folder)
    (source / "en_logistics.txt").unlink()
    assert rebuild(settings).mode == "incremental"
    assert "maria-okafor" not in _found(settings)
    assert SearchService(settings).lexicon.lookup("Maria Okafor") is None
    assert _found(settings)["lin-xiaofeng"] == (LIN, before)

    # a changed file is read again: its people as it now says
    retail = source / "zh_hant_retail.txt"
    retail.write_text(retail.read_text("utf-8").replace("林曉峰", "王曉峰"), "utf-8")
    assert rebuild(settings).mode == "incremental"
    incremental = _found(settings)
    assert incremental["lin-xiaofeng"][0] == {"zh_hans_food", "en_hongtu"}
    assert incremental["wang-xiaofeng"][0] == {"zh_hant_retail"}

    # the same people as a full build of the same articles
    again = _copy(["zh_hans_food.txt", "en_hongtu.txt"], tmp_path / "again")
    shutil.copy(retail, again / retail.name)
    full = Settings(index_dir=tmp_path / "full", source_dir=again)
    rebuild(full)
    assert _found(full) == incremental


def test_people_of_shards_merge_as_one_builds(built: Settings) -> None:
    """`merge_found`: one build's people are taken as they are; the people of two
    shards, each quoting a person in some of the articles, are one person with both
    shards' articles and quotes."""
    directory = live_directory(built)
    assert directory is not None
    records = json.loads((directory / PEOPLE).read_text("utf-8"))["people"]
    assert merge_found([records]) == read_people(directory)
    lin = next(r for r in records if r["id"] == "lin-xiaofeng")
    first, second = sorted(lin["articles"])[:1], sorted(lin["articles"])[1:]
    halves = (
        [dict(lin, articles=first, quotes=1)],
        [dict(lin, articles=second, quotes=lin["quotes"] - 1)],
    )
    merged = merge_found(halves)
    assert [(p.entity.id, set(p.articles), p.quotes) for p in merged] == [
        ("lin-xiaofeng", LIN, lin["quotes"])
    ]
    whole = next(p for p in read_people(directory) if p.entity.id == "lin-xiaofeng")
    assert set(merged[0].entity.all_forms) == set(whole.entity.all_forms)
