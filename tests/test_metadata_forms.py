"""Metadata from any article (issue 9, item 5): dates in the common Chinese and
English forms, taken from a date line or a dateline near the top and never from a
quotation; publication names from headers, bylines, reporter credits and 《…》 /
「…」 report formulas."""

from __future__ import annotations

import pytest

from corpus_search.metadata import (
    article_date,
    byline_publication,
    find_source,
    is_byline,
    is_credit_line,
    is_date_line,
    leading_credit,
)

HEADLINE = "港九小輪擬加開夜航班次"
LEDE = "港九小輪公司今日宣布，下月起將在長洲及梅窩航線增加夜航班次。"

DATE_FORMS = [
    "2023年6月2日",
    "2023/6/2",
    "2023/06/02",
    "2023-06-02",
    "2023.6.2",
    "June 2, 2023",
    "2 June 2023",
    "Jun. 2, 2023",
    "June 2nd, 2023",
    "2023年6月2日 10:20",
    "2023/6/2 09:30",
    "2023年6月2日（星期五）",
    "Friday 2 June 2023",
    "Fri, Jun. 2, 2023 4:05 p.m. BST",
    "Published: Jun. 2, 2023",
    "發佈時間：2023年6月2日",
    "发布于 2023-06-02 08:00",
]


@pytest.mark.parametrize("line", DATE_FORMS)
def test_date_lines_in_every_form(line: str) -> None:
    assert is_date_line(line)
    assert article_date([HEADLINE, line, LEDE]) == "2023-06-02"


@pytest.mark.parametrize(
    "line",
    [
        "LISBON, 2 June 2023 - Portuguese cork maker Cortiça Nova said on Friday its exports…",
        "【2023年6月2日訊】港九小輪公司今日宣布加開班次。",
        "By Jane Doe, June 2, 2023",
    ],
)
def test_a_dateline_at_the_start_of_a_top_line(line: str) -> None:
    assert not is_date_line(line)
    assert article_date([HEADLINE, line, LEDE]) == "2023-06-02"


@pytest.mark.parametrize(
    "line",
    [
        "Sales rose on June 2, 2023",
        "The plant will open on 2 June 2023.",
        "公司於2023年6月2日公布業績。",
    ],
)
def test_a_sentence_with_a_date_is_not_a_date_line(line: str) -> None:
    assert not is_date_line(line)


def test_a_date_inside_a_quotation_is_never_the_date() -> None:
    quoted = "第四代傳人黃俊傑說，「我阿公在1968年5月3日寫下的配方，到今天一個字都沒改過」。"
    assert article_date([HEADLINE, LEDE, quoted]) is None
    english = '"We signed the deal on March 3, 2021," she said.'
    assert article_date([HEADLINE, english, LEDE]) is None


def test_a_date_far_down_in_the_text_is_not_the_date() -> None:
    later = "The plant opened on June 2, 2019, and now employs 640 people."
    assert article_date([HEADLINE, LEDE, LEDE, LEDE, LEDE, later]) is None


def test_the_date_line_wins_over_a_dateline() -> None:
    lines = [HEADLINE, "LISBON, 1 June 2023 - The company said", "2023-06-02", LEDE]
    assert article_date(lines) == "2023-06-02"


def test_a_date_line_further_down_still_counts() -> None:
    lines = [HEADLINE, *[LEDE] * 8, "October 20th, 2016", LEDE]
    assert article_date(lines) == "2016-10-20"


# publications


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("來源：港島日報\n正文", "港島日報"),
        ("来源：滇南日报", "滇南日报"),
        ("Source: Atlantic Wire Service", "Atlantic Wire Service"),
        ("By Jane Doe, The Harbour Times", "The Harbour Times"),
        ("By Omar Haddad | Coastline Daily", "Coastline Daily"),
        ("By Jane Doe and John Roe, Northern Ledger", "Northern Ledger"),
        ("港島日報記者陳美玲／香港報導", "港島日報"),
        ("《港島日報》記者陳美玲／香港報導", "《港島日報》"),
        ("中央社記者王小明台北2日電", "中央社"),
        ("〔中台日報記者林志豪／台中報導〕台中市政府今天宣布", "中台日報"),
        ("據「海峽週報」報導，創立於1920年的醬油廠", "《海峽週報》"),
        ("据《江南商报》报道，拥有四十年历史的纺织厂", "《江南商报》"),
        ("根據《北岸晚報》6月2日的報導，港口吞吐量", "《北岸晚報》"),
        ("他接受《南华早报》采访时表示", "《南华早报》"),
    ],
)
def test_publication_forms(text: str, expected: str) -> None:
    assert find_source(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "By Samuel Osei, Staff Writer",
        "By Lea Brandt, senior correspondent",
        "記者王小明／台北報導",
        "（记者 黄丽娟 杭州报道）",
        "本報記者陳美玲／香港報導",
        "他在《三體》中寫道",
        "黃俊傑說，「德興醬園」的配方一個字都沒改過。",
        "By June, the plant will be ready.",
    ],
)
def test_no_publication_named(text: str) -> None:
    assert find_source(text) is None


def test_bylines_and_credits() -> None:
    assert is_byline("By Hannah Cole, Northern Ledger")
    assert byline_publication("By Hannah Cole, Northern Ledger") == "Northern Ledger"
    assert not is_byline("By June, the plant will be ready.")
    assert is_credit_line("（记者 黄丽娟 杭州报道）")
    lede = "〔記者林志豪／台中報導〕台中市政府今天宣布"
    assert not is_credit_line(lede)
    assert leading_credit(lede) == "〔記者林志豪／台中報導〕"
    assert leading_credit("記者會上，他表示將於明年動工。") == ""
