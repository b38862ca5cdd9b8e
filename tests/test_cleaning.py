"""One test (or parametrised group) per cleaning rule, on lines copied from seeds/."""

from __future__ import annotations

import pytest

from corpus_search.cleaning import (
    RULES,
    clean_text,
    drop_buttons,
    drop_category_line,
    drop_consecutive_duplicates,
    drop_empty,
    drop_header_lines,
    drop_link_lead_ins,
    drop_punctuation_only,
    drop_reading_lists,
    drop_spam_lines,
    drop_trailing_headlines,
    drop_trailing_notices,
    drop_trailing_reading_list,
    drop_trailing_tags,
    merge_link_fragments,
    normalise_whitespace,
    remove_page_markers,
    remove_pinyin_annotations,
    repair_trans_words,
)
from corpus_search.cleaning.fragments import is_fragment
from corpus_search.cleaning.mt_repair import trans_repair
from corpus_search.cleaning.pinyin import strip_pinyin
from corpus_search.cleaning.spam import is_spam_line

SPAM_001 = (
    "亚洲欧美日韩熟女|做爱高潮视频网址|国产一区二区三级片|国产Av中文字幕www.性色av|"
    "亚洲婷婷永久免费|国产高清中文字幕|欧美变态网站久re视频精品|人妻AV鲁丝第一页|"
    "天堂AV一区二区在线观看|综合 91在线精品"
)
TITLE_000 = "【專訪】張勇首次交出天貓雙11指揮棒 有信心年輕團隊能賦予全新定義"


def test_rules_are_named_and_documented() -> None:
    names = [rule.__name__ for rule in RULES]
    assert len(names) == len(set(names))
    assert all(rule.__doc__ for rule in RULES)


# 1. spam lines


def test_spam_line_is_dropped() -> None:
    lines = [SPAM_001, "阿里媽媽負(fù)責(zé)人家洛:雙11不決定生死,但是大考時(shí)刻"]
    assert drop_spam_lines(lines) == lines[1:]


@pytest.mark.parametrize(
    "line",
    [
        "- Instant news | Is There Any Future For Department Stores?",
        "| 品牌 | 銷量 | 增長 | 排名 |",
        "Put questions to: Jack Ma The chairman has been very clear about the need to help "
        "small and medium enterprises.",
    ],
)
def test_non_spam_lines_with_bars_are_kept(line: str) -> None:
    assert not is_spam_line(line)


# 2. pinyin annotations


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "阿里媽媽負(fù)責(zé)人家洛:雙11不決定生死,但是大考時(shí)刻",
            "阿里媽媽負責人家洛:雙11不決定生死,但是大考時刻",
        ),
        ("行業(yè)趨勢(shì)", "行業趨勢"),
        ("點(diǎn)擊閱讀原文", "點擊閱讀原文"),
        # a lost character (?) keeps its place, its reading goes, with or without "("
        ("我們?cè)谌巳旱木珳?zhǔn)性圈選", "我們?谌巳旱木珳?性圈選"),
        # a reading after a mojibake letter
        ("最大的不同?,F(xiàn)在各種平臺(tái)都在做交易", "最大的不同?,F在各種平臺都在做交易"),
    ],
)
def test_pinyin_annotations_are_removed(line: str, expected: str) -> None:
    assert strip_pinyin(line) == expected
    assert remove_pinyin_annotations([line]) == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "Lazada是連續第二年參與雙11,將會繼續發揮其「娛樂化消費(shoppertainment)」的特點",
        "來源丨賣家(ID:maijiakan)",
        "吸引更多來自中國沿海城市以至欠發達地區(又稱下沉市場)的消費者。",
        "那就是當一位「剁手黨」(ren)!",  # not after a Han character
        "天貓(shop)雙11",  # not a reading of 貓
    ],
)
def test_real_parentheticals_are_kept(line: str) -> None:
    assert strip_pinyin(line) == line


def test_toneless_and_v_readings_are_accepted() -> None:
    assert strip_pinyin("天貓(mao)雙11") == "天貓雙11"
    assert strip_pinyin("綠(lv)色") == "綠色"
    assert strip_pinyin("綠(lü)色") == "綠色"


# 3. boilerplate


def test_related_reading_tail_is_cut() -> None:
    lines = [
        "Ali CEO Zhang Yong Unexpectedly Did Not Know This Year'S Double 11 Goal Is What?",
        "The final sign of new retail should be truly flexible production in a large scope, "
        "that is to say, C2B, to achieve personalized demand and flexible production.",
        "- Related reading",
        "Water Skin: After The Stock Market Plummeted, Everyone Started To Grab Gold Again.",
        "|- Domestic data | The January 9Th Australian Wool Comb (70S) Commodity Index Was 102.45.",
        "- Domestic data | Nylon POY Commodity Index Was 72.57 In January 9Th.",
    ]
    assert drop_trailing_reading_list(lines) == lines[:2]


def test_chinese_related_reading_list_and_tags_are_cut() -> None:
    lines = [
        TITLE_000,
        "阿里巴巴集團一直推進全球化,致力實踐「五個全球」,包括全球買、全球賣、全球付、全球運及全球玩。",
        "延伸閱讀:",
        "【專訪】張勇任CGF中國董事會聯席主席促進中外交流 深入探索行業未來發展",
        "張勇談阿里巴巴集團長遠發展的兩項關鍵",
        "Lazada 傳承 張勇 蔣凡 速賣通 雙11",
    ]
    assert drop_trailing_reading_list(lines) == lines[:2]
    assert drop_trailing_reading_list([*lines[:2], "相关阅读", "链接"]) == lines[:2]


def test_related_list_early_in_article_only_removes_the_links() -> None:
    body = "張勇對於蔣凡和他的年輕團隊充滿信心,認為他們可以賦予天貓雙11全新的定義。"
    lines = [TITLE_000, "延伸閱讀:", "張勇談阿里巴巴集團長遠發展的兩項關鍵", *[body] * 6]
    assert drop_reading_lists(lines) == [TITLE_000, *[body] * 6]


@pytest.mark.parametrize(
    "line",
    [
        "免責(zé)聲明:文中觀點(diǎn)或意見僅供參考,不代表本APP立場(chǎng),且不構(gòu)成任何投資建議。",
        "本文僅代表作者觀點(diǎn),版權(quán)歸原創(chuàng)者所有,如需轉(zhuǎn)載請(qǐng)?jiān)谖闹凶⒚鱽碓醇白髡呙帧?/p>",
        "免责声明:本文系转载编辑文章,仅作分享之用。",
        "本文仅代表作者观点,版权归原创者所有,如需转载请在文中注明来源及作者名字。",
    ],
)
def test_disclaimers_are_dropped_in_both_scripts(line: str) -> None:
    lines = remove_pinyin_annotations([TITLE_000, line])
    assert drop_trailing_notices(lines) == [TITLE_000]


@pytest.mark.parametrize("line", ["分享", "點(diǎn)擊閱讀原文", "点击阅读原文"])
def test_button_lines_are_dropped(line: str) -> None:
    lines = remove_pinyin_annotations([TITLE_000, line])
    assert drop_buttons(lines) == [TITLE_000]


def test_share_inside_a_sentence_is_kept() -> None:
    title = "天貓服飾快消總經理專訪 分享「天貓雲上時裝周」跨界的初心與期盼"
    assert drop_buttons([title]) == [title]


def test_page_break_markers_are_removed() -> None:
    lines = [
        "We hope that consumers, whether online or on the street, in the shopping center, "
        "can have a stereoscopic double 11.",
        "{page_break}",
        "Why do you choose Hongkong Taiwan to test water?",
    ]
    assert remove_page_markers(lines) == [lines[0], lines[2]]


def test_more_info_lead_in_and_its_links_are_dropped() -> None:
    lines = [
        "天貓服飾快消總經理專訪 分享「天貓雲上時裝周」跨界的初心與期盼",
        "以下是胡偉雄與《阿里足跡》的對答內容,供讀者更詳細地了解胡偉雄對「雲上時裝周」的期盼。",
        "欲了解更多「雲上時裝周」資訊,可點入:",
        "上海時裝周與天貓攜手呈獻全球首個「雲上時裝周」",
        "1分鐘看清天貓「雲上時裝周」兩大特點",
        "問:天貓與上海時裝周為何攜手嘗試全球首場全程直播發佈的時裝周?",
    ]
    assert drop_link_lead_ins(lines) == [*lines[:2], lines[5]]


def test_header_lines_are_dropped() -> None:
    lines = [
        "阿里媽媽負責人家洛:雙11不決定生死,但是大考時刻",
        "2021-11-05",
        "來源丨賣家(ID:maijiakan)",
        "作者丨吳羚瑋",
        "October 20th, 2016",
        "Q:阿里媽媽在雙11的角色:今年雙11,阿里媽媽幫助品牌做了哪些戰略和戰術的設計?",
    ]
    assert drop_header_lines(lines) == [lines[0], lines[5]]


def test_category_line_in_the_header_block_is_dropped() -> None:
    lines = [
        "阿里媽媽負責人家洛:雙11不決定生死,但是大考時刻",
        "行業趨勢",
        "2021-11-05",
        "今年9月,阿里媽媽實現品牌理念升級。",
    ]
    assert drop_category_line(lines) == [lines[0], *lines[2:]]
    subheading = [lines[0], lines[3], "1、關於阿里媽媽的變化", lines[3]]
    assert drop_category_line(subheading) == subheading


def test_a_short_lede_followed_by_text_is_kept() -> None:
    lines = [
        "阿里媽媽負責人家洛:雙11不決定生死,但是大考時刻",
        "行業趨勢",
        "今年9月,阿里媽媽實現品牌理念升級。",
    ]
    assert drop_category_line(lines) == lines


def test_trailing_tag_line_is_dropped() -> None:
    last = (
        "阿里巴巴集團一直推進全球化,致力實踐「五個全球」,"
        "包括全球買、全球賣、全球付、全球運及全球玩。"
    )
    assert drop_trailing_tags([TITLE_000, last, "Lazada 傳承 張勇 蔣凡 速賣通 雙11"]) == [
        TITLE_000,
        last,
    ]
    assert drop_trailing_tags([TITLE_000, last]) == [TITLE_000, last]
    assert drop_trailing_tags([TITLE_000, "Thanks for reading"]) == [
        TITLE_000,
        "Thanks for reading",
    ]


# 4. machine-translation damage


@pytest.mark.parametrize(
    ("word", "expected"),
    [("pformation", "transformation"), ("pparency", "transparency"), ("pparent", "transparent")],
)
def test_unambiguous_trans_damage_is_repaired(word: str, expected: str) -> None:
    assert trans_repair(word) == expected
    assert trans_repair(word.capitalize()) == expected.capitalize()


@pytest.mark.parametrize("word", ["platform", "plants", "ports", "pipes", "people", "pose"])
def test_real_p_words_are_kept(word: str) -> None:
    assert trans_repair(word, damaged_text=True) is None


def test_trans_damage_in_004_lines() -> None:
    lines = [
        "We believe that no matter how many pactions, no matter how many scale, it is the final "
        "result of all entertainment and interaction.",
        "What happens next must be the pformation of the logistics system.",
        "we should comprehensively use the technology and ideas of the Internet as a whole to "
        "pform the source from the sales side to the supply.",
        "It's pparent. Data should flow and overflow in all the pipes.",
        "Many brands need diversified pipes and more plants.",
    ]
    repaired = " ".join(repair_trans_words(lines))
    for word in ("transactions", "transformation", "transform the source", "transparent"):
        assert word in repaired
    assert "pactions" not in repaired
    assert "diversified pipes and more plants" in repaired


def test_paction_alone_is_not_repaired_without_evidence_of_damage() -> None:
    line = "The paction between the two clans held for a century."
    assert repair_trans_words([line]) == [line]


# 5. paragraphs: duplicates, spaces, punctuation-only


def test_consecutive_duplicate_paragraphs_are_collapsed() -> None:
    caption = (
        "天貓雙11預售啟動氣氛熾熱,時鐘踏入10月21日零時零分的一刻,旋即吸引數以千萬的消費者"
        "齊聚淘寶天貓平台,首日預售成交按年增長一倍。"
    )
    assert drop_consecutive_duplicates([TITLE_000, caption, caption + " "]) == [TITLE_000, caption]
    assert drop_consecutive_duplicates([caption, TITLE_000, caption]) == [
        caption,
        TITLE_000,
        caption,
    ]


def test_spaces_are_normalised_and_empty_lines_dropped() -> None:
    lines = [
        "走過不平凡十年\u3000\u3000冀持續注入年輕元素",
        "\u00a0",
        "保駕護航支持天貓雙11 \u00a0 專心剁手購物不手軟",
    ]
    assert drop_empty(normalise_whitespace(lines)) == [
        "走過不平凡十年 冀持續注入年輕元素",
        "保駕護航支持天貓雙11 專心剁手購物不手軟",
    ]


def test_punctuation_only_paragraphs_are_dropped() -> None:
    lines = ["So this year we launched a special project to buy the world.", "。", "…", "--"]
    assert drop_punctuation_only(lines) == lines[:1]


# 6. hyperlink fragments in machine-translated English


def test_capitalised_fragments_join_the_next_paragraph() -> None:
    lines = [
        "Ali CEO Zhang Yong Unexpectedly Did Not Know This Year'S Double 11 Goal Is What?",
        "Conventional",
        "Electronic Commerce",
        "Will it disappear? It turns out that the e-business that separates the online and "
        "offline businesses will disappear.",
    ]
    assert merge_link_fragments(lines) == [
        lines[0],
        "Conventional Electronic Commerce Will it disappear? It turns out that the e-business "
        "that separates the online and offline businesses will disappear.",
    ]


def test_lower_case_fragment_continues_the_previous_sentence() -> None:
    lines = [
        "Ali CEO Zhang Yong Unexpectedly Did Not Know This Year'S Double 11 Goal Is What?",
        "We hope that we will help businesses to enter new businesses in the highly efficient "
        "operation of the same platform.",
        "market",
        "So this year we launched a special project to buy the world and sell the world.",
    ]
    merged = merge_link_fragments(lines)
    assert merged[1].endswith("operation of the same platform market.")
    assert merged[2] == lines[3]


@pytest.mark.parametrize(
    "line",
    [
        "Why do you choose Hongkong Taiwan to test water?",
        "Double 11 and four innovations this year",
        "行業趨勢",
        "- Related reading",
    ],
)
def test_questions_headings_and_chinese_are_not_fragments(line: str) -> None:
    assert not is_fragment(line)


def test_headline_is_never_merged() -> None:
    lines = ["Tmall Double 11", "The world carnival officially launched in Hongkong."]
    assert merge_link_fragments(lines) == lines


# the whole pipeline


def test_clean_text_puts_the_headline_first_and_drops_dirt() -> None:
    raw = "\n".join(
        [
            SPAM_001,
            "",
            "阿里媽媽負(fù)責(zé)人家洛:雙11不決定生死",
            "",
            "行業(yè)趨勢",
            "2021-11-05",
            "來源丨賣家(ID:maijiakan)",
            "今年9月,阿里媽媽實(shí)現(xiàn)品牌理念升級。",
            "分享",
        ]
    )
    assert clean_text(raw) == [
        "阿里媽媽負責人家洛:雙11不決定生死",
        "今年9月,阿里媽媽實現品牌理念升級。",
    ]


def test_trailing_headline_list_without_marker_is_dropped() -> None:
    last = (
        "The ultimate goal of our globalization is to create a truly global platform for "
        "global consumers and businesses to buy and sell globally."
    )
    headlines = [
        "- Instant news | Is There Any Future For Department Stores?",
        "- Instant news | Frequent Quality Of MUJI Products In The Future",
        "- Hundred Rounds Of Trousers Industry Has Become The Most Important Thing.",
        "- Summer Lace Sweater Makes Summer Style More Colorful.",
    ]
    assert drop_trailing_headlines(["Title", last, *headlines]) == ["Title", last]
    steps = ["Title", last, "- first we went to Hongkong.", "- then we went to Taiwan."]
    assert drop_trailing_headlines(steps) == steps
