"""Speakers the lexicon does not know, found by the shape of the text (issue 9).

The articles of tests/data/unseen/ were invented for this check, and their
quotes judged (judged.jsonl), before the rules were written: every judged
quote must come out with its judged speaker, or with none where the judged
answer is "unattributed", and no quote may name anyone the judge did not.
Then the records: one stable id per person in any script, every form of the name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from corpus_search.ingest import read_article
from corpus_search.lexicon import Lexicon, load_lexicon
from corpus_search.models import Article, Quote
from corpus_search.normalise import canonical_key
from corpus_search.quotes import (
    Person,
    extract_quotes,
    extract_quotes_and_people,
    merge_people,
    new_person,
    person_id,
)

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
MIN_RECALL = 0.8  # per pattern class
_DETERMINER = re.compile(r"^(?:(?:the|a|an|its|his|her|their)\s+)?(?:[\w-]+['’]s\s+)?", re.I)


def _judged() -> list[dict[str, str | None]]:
    lines = (UNSEEN / "judged.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def _extracted(name: str) -> tuple[list[Quote], list[Person]]:
    return extract_quotes_and_people(read_article(UNSEEN / name))


def _holding(item: dict[str, str | None]) -> list[Quote]:
    needle = canonical_key(str(item["quote_contains"]))
    return [q for q in _extracted(str(item["file"]))[0] if needle in canonical_key(q.text)]


def _outcome(item: dict[str, str | None]) -> str:
    """One of hit, miss or wrong (a speaker the judge did not name)."""
    said = {q.speaker_id for q in _holding(item) if q.speaker_id}
    want = person_id(str(item["speaker"])) if item["speaker"] else None
    if said - {want}:
        return "wrong"
    return "hit" if want is None or said == {want} else "miss"


@pytest.mark.parametrize("item", _judged(), ids=lambda i: f"{i['file']}:{i['quote_contains']}")
def test_judged_quote(item: dict[str, str | None]) -> None:
    if item["speaker"]:
        assert _holding(item), "quote not found"
    assert _outcome(item) == "hit", [(q.speaker, q.text) for q in _holding(item)]


def test_recall_per_pattern_and_no_false_attribution() -> None:
    hits, totals = Counter[str](), Counter[str]()
    for item in _judged():
        assert _outcome(item) != "wrong", item
        totals[str(item["pattern"])] += 1
        hits[str(item["pattern"])] += _outcome(item) == "hit"
    low = {p: f"{hits[p]}/{n}" for p, n in totals.items() if hits[p] / n < MIN_RECALL}
    assert low == {}


def test_no_quote_names_anyone_the_judge_did_not() -> None:
    judged: dict[str, set[str]] = {}
    for item in _judged():
        speakers = judged.setdefault(str(item["file"]), set())
        speakers |= {person_id(str(item["speaker"]))} if item["speaker"] else set()
    for name, speakers in judged.items():
        said = {q.speaker_id for q in _extracted(name)[0] if q.speaker_id}
        assert said <= speakers, name


def _bare(role: str) -> str:
    return _DETERMINER.sub("", role.strip(), count=1).casefold()


def _same_role(judged: str, role: str) -> bool:
    """The judged role, or the role with or without its organisation (an article that
    states a role twice gives the person the first: `Chief financial officer`)."""
    judged, role = _bare(judged), _bare(role)
    return bool(role) and (judged in role or role in judged)


@pytest.mark.parametrize("item", [i for i in _judged() if i["role"]], ids=lambda i: i["file"])
def test_role_as_stated(item: dict[str, str | None]) -> None:
    roles = {q.speaker_role or "" for q in _holding(item) if q.speaker_id}
    assert any(_same_role(str(item["role"]), role) for role in roles), roles


def test_quotes_carry_the_found_flag_and_people_speak() -> None:
    quotes, people = _extracted("zh_hant_retail.txt")
    assert all(q.speaker_found for q in quotes if q.speaker_id)
    assert [p.id for p in people] == ["lin-xiaofeng", "chen-zhiming"]
    assert {q.speaker_id for q in quotes if q.speaker_id} == {p.id for p in people}


# ---------------------------------------------------------------- records


def test_one_id_in_every_script_and_language() -> None:
    ids = {
        name: [p.id for p in _extracted(name)[1]]
        for name in ("zh_hant_retail.txt", "zh_hans_food.txt", "en_hongtu.txt")
    }
    assert "lin-xiaofeng" in ids["zh_hant_retail.txt"]
    assert "lin-xiaofeng" in ids["zh_hans_food.txt"]
    assert ids["en_hongtu.txt"] == ["lin-xiaofeng", "chen-zhiming"]
    assert "chen-zhiming" in ids["zh_hant_retail.txt"]


def _merged() -> Person:
    people = [
        p
        for name in ("zh_hant_retail.txt", "zh_hans_food.txt", "en_hongtu.txt")
        for p in _extracted(name)[1]
    ]
    return next(p for p in merge_people(people) if p.id == "lin-xiaofeng")


def test_merged_record_has_every_form() -> None:
    person = _merged()
    assert person.name == "林曉峰" and person.name_en == "Lin Xiaofeng"
    assert {"林曉峰", "林晓峰", "Lin Xiaofeng"} <= set(person.written)
    assert (person.traditional, person.simplified) == ("林曉峰", "林晓峰")
    assert (person.pinyin, person.pinyin_joined) == ("lin xiao feng", "linxiaofeng")
    assert person.role == "集團總裁"
    assert len(person.articles) == 3


@pytest.mark.parametrize(
    "query", ["林曉峰", "林晓峰", "Lin Xiaofeng", "lin xiao feng", "linxiaofeng"]
)
def test_any_form_finds_the_record(query: str) -> None:
    people = Lexicon([*load_lexicon().entities.values(), _merged().entity()])
    found = people.lookup(query)
    assert found is not None and found.id == "lin-xiaofeng" and found.is_person


def test_a_simplified_form_finds_a_traditional_name() -> None:
    person = new_person("歐陽志偉", role="總經理")
    found = Lexicon([person.entity()]).lookup("欧阳志伟")
    assert found is not None and found.name == "歐陽志偉" and found.title == "總經理"
    assert (person.id, person.name_en) == ("ouyang-zhiwei", "Ouyang Zhiwei")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("司馬嘉怡", "sima-jiayi"),
        ("曾志偉", "zeng-zhiwei"),  # a surname's own reading, not the character's usual one
        ("James O'Connor", "james-oconnor"),
        ("José Núñez", "jose-nunez"),
        ("Lin  Xiaofeng", "lin-xiaofeng"),
    ],
)
def test_person_id(name: str, expected: str) -> None:
    assert person_id(name) == expected


def test_an_id_never_takes_a_lexicon_one() -> None:
    taken = load_lexicon().entities.keys()
    assert person_id("章勇", taken).startswith("zhang-yong-")
    assert person_id("章勇", taken) == person_id("章勇", taken)


def test_traditional_form_as_written_where_written() -> None:
    simplified = new_person("林晓峰", article="a")
    assert simplified.traditional == "林曉峯"  # OpenCC's, until an article writes it
    (merged,) = merge_people([simplified, new_person("林曉峰", article="b")])
    assert (merged.name, merged.traditional) == ("林晓峰", "林曉峰")


def test_merge_keeps_first_name_and_joins_forms() -> None:
    english = new_person("Chen Zhiming", role="chief financial officer", article="b")
    chinese = new_person("陳志明", role="首席財務官", article="a")
    (merged,) = merge_people([english, chinese])
    assert merged.name == "Chen Zhiming" and merged.traditional == "陳志明"
    assert merged.articles == ("b", "a") and merged.role == "chief financial officer"


# ---------------------------------------------------------------- what is not a person


def article(*passages: str, title: str = "t") -> Article:
    lang = "en" if passages[0].isascii() else "zh-Hant"
    return Article("t", "t.txt", title, lang, None, None, tuple(passages))


def speakers(*passages: str, title: str = "t") -> list[str | None]:
    return [q.speaker for q in extract_quotes(article(*passages, title=title))]


@pytest.mark.parametrize(
    "passage",
    [
        "華興科技周四表示，將投資十億元興建新廠，明年投產。",  # 周四: a day
        "有集團高層表示，今年不排除收購同業，但未有具體目標。",  # 高層: management
        "總經理李先生表示，今年業績會好轉，公司不會裁員。",  # a form of address
        "董事長王總表示，今年業績會好轉，公司不會裁員。",
        "王老吉表示，今年涼茶銷量增長兩成，新品反應理想。",  # a brand
        "銀行發言人回應︰「有關報道並不準確，銀行沒有任何裁員計劃。」",
    ],
)
def test_no_person_without_evidence_zh(passage: str) -> None:
    assert speakers(passage) == [None] * len(speakers(passage))


@pytest.mark.parametrize(
    "passage",
    [
        '"We are pleased with the result of this year," said Goldman Sachs.',
        "Brightline Freight said that it would spend $400 million on new warehouses.",
        '"Retail stocks are too cheap right now," said a fund manager who holds the shares.',
        "According to the company, rides grew 40 percent last year across Europe.",
    ],
)
def test_no_person_without_evidence_en(passage: str) -> None:
    assert not any(speakers(passage))


def test_a_partner_the_rules_do_not_know_still_shares_the_speech() -> None:
    lead = "財務長簡淑芬表示，今年毛利率會改善。"
    assert speakers(lead, "王大明和簡淑芬都認為，明年景氣會回升，訂單也會增加。") == ["簡淑芬"]


def test_title_case_headline_names_nobody() -> None:
    title = "Alibaba CEO Zhang Yong First Talk About Double Eleven Behind"
    assert extract_quotes_and_people(article("Nothing was said.", title=title))[1] == []


def test_a_title_in_capitals_before_the_name() -> None:
    passage = "Chief Executive Officer Maria Okafor said the company would cut 200 jobs."
    quotes, people = extract_quotes_and_people(article(passage))
    assert [q.speaker for q in quotes] == ["Maria Okafor"]
    assert people[0].role == "Chief Executive Officer"


def test_lexicon_speakers_are_never_found_people() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        quotes, people = extract_quotes_and_people(read_article(path))
        assert people == [] and not any(q.speaker_found for q in quotes), path.name


@pytest.mark.parametrize(
    ("passage", "speaker"),
    [
        ("鄧雅雯說：「今年我們會把物流中心搬到內陸城市，成本可以降兩成。」", "鄧雅雯"),
        ("范晨说：「明年我们会把仓库搬到郊区，租金能省一半。」", "范晨"),
        ("邵立群表示：「新工廠下個月投產，訂單已經排到年底。」", "邵立群"),
        ("苗青說道：「這一季的退貨率比去年低了三成。」", "苗青"),
    ],
)
def test_a_speech_verb_before_the_colon_is_not_part_of_the_name(passage: str, speaker: str) -> None:
    quotes, people = extract_quotes_and_people(article(passage, "她說，這只是開始。"))
    assert [p.name for p in people] == [speaker]
    assert quotes[0].speaker == speaker
