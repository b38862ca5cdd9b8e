"""The ingest stage on the real seed articles, and on files it must skip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus_search.cleaning import split_long_paragraphs
from corpus_search.cleaning.paragraphs import MAX_PARAGRAPH
from corpus_search.errors import IngestError
from corpus_search.ingest import read_article, read_folder
from corpus_search.metadata import detect_lang, find_date, find_source, make_id, stated_lang
from corpus_search.models import Article

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PINYIN_NOTE = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
SPAM_WORDS = ("人妻", "做爱", "熟女", "三级片", "性色")
DISCLAIMER_WORDS = ("免責聲明", "免责声明", "本文僅代表作者觀點", "如需轉載", "版權歸原創者所有")


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    result = read_folder(SEEDS)
    assert result.files_read == 5
    assert result.skipped == []
    return {article.id[:3]: article for article in result.articles}


def _text(article: Article) -> str:
    return "\n".join([article.title, *article.passages])


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("000", "【專訪】張勇首次交出天貓雙11指揮棒 有信心年輕團隊能賦予全新定義"),
        ("001", "阿里媽媽負責人家洛:雙11不決定生死,但是大考時刻"),
        ("002", "Alibaba CEO Zhang Yong First Talk About Double Eleven Behind"),
        ("003", "天貓服飾快消總經理專訪 分享「天貓雲上時裝周」跨界的初心與期盼"),
        ("004", "Ali CEO Zhang Yong Unexpectedly Did Not Know This Year'S Double 11 Goal Is What?"),
    ],
)
def test_titles(articles: dict[str, Article], key: str, title: str) -> None:
    assert articles[key].title == title
    assert title not in articles[key].passages


@pytest.mark.parametrize(
    ("key", "lang", "date", "source"),
    [
        ("000", "zh-Hant", None, "《阿里足跡》"),
        ("001", "zh-Hant", "2021-11-05", "賣家"),
        ("002", "en", None, None),
        ("003", "zh-Hant", None, "《阿里足跡》"),
        ("004", "en", "2016-10-20", None),
    ],
)
def test_metadata(
    articles: dict[str, Article], key: str, lang: str, date: str | None, source: str | None
) -> None:
    article = articles[key]
    assert (article.lang, article.date, article.source) == (lang, date, source)


def test_ids_and_file_names(articles: dict[str, Article]) -> None:
    article = articles["000"]
    assert article.id == "000_1e9703de958eb715"
    assert article.source_file == "000_1e9703de958eb715.txt"


def test_passages_keep_the_original_script(articles: dict[str, Article]) -> None:
    assert any("張勇接受《阿里足跡》專訪" in p for p in articles["000"].passages)


def test_no_pinyin_annotations_left_in_001(articles: dict[str, Article]) -> None:
    text = _text(articles["001"])
    assert PINYIN_NOTE.findall(text) == []
    assert "負責人" in text and "(fù)" not in text


def test_real_parentheticals_survive(articles: dict[str, Article]) -> None:
    assert "娛樂化消費(shoppertainment)" in _text(articles["000"])
    assert "(又稱下沉市場)" in _text(articles["000"])


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_no_dirt_left(articles: dict[str, Article], key: str) -> None:
    article = articles[key]
    text = _text(article)
    assert not any(word in text for word in SPAM_WORDS)
    assert "{page_break}" not in text
    assert "related reading" not in text.lower()
    assert "延伸閱讀" not in text
    assert not any(word in text for word in DISCLAIMER_WORDS)
    assert not any(p.startswith(("- ", "|-")) for p in article.passages)
    assert "分享" not in article.passages and "點擊閱讀原文" not in article.passages
    assert not any(p.startswith(("來源丨", "作者丨")) for p in article.passages)
    assert all(a != b for a, b in zip(article.passages, article.passages[1:], strict=False))
    assert all(p.strip() and p.strip() not in "。.,," for p in article.passages)


def test_001_header_lines_are_metadata_not_passages(articles: dict[str, Article]) -> None:
    passages = articles["001"].passages
    assert passages[0].startswith("今年9月,阿里媽媽實現品牌理念升級")
    assert "行業趨勢" not in passages and "2021-11-05" not in passages


def test_000_ends_with_text_not_tags(articles: dict[str, Article]) -> None:
    passages = articles["000"].passages
    assert passages[-1].startswith("阿里巴巴集團一直推進全球化")
    assert sum(p.startswith("天貓雙11預售啟動氣氛熾熱") for p in passages) == 1


def test_003_link_list_is_gone(articles: dict[str, Article]) -> None:
    text = _text(articles["003"])
    assert "可點入" not in text and "1分鐘看清天貓" not in text
    assert articles["003"].passages[-1].startswith("從長期來看")


def test_004_trans_damage_is_repaired(articles: dict[str, Article]) -> None:
    text = _text(articles["004"])
    for word in ("transactions", "transformation", "transparency", "transform the source"):
        assert word in text
    for word in ("pactions", "pformation", "pparency", "pform "):
        assert word not in text


def test_link_fragments_are_merged(articles: dict[str, Article]) -> None:
    assert "Conventional" not in articles["004"].passages
    assert "market" not in articles["004"].passages
    assert any(
        p.startswith("Conventional Electronic Commerce Will it disappear?")
        for p in articles["004"].passages
    )
    assert "Internet It's transparent. Data should flow" in _text(articles["002"])


# read_folder on bad files


def _good_article() -> bytes:
    return (SEEDS / "003_b5f113dcc02eb8d2.txt").read_bytes()


def test_read_folder_skips_bad_files_and_keeps_going(tmp_path: Path) -> None:
    (tmp_path / "a_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "b_latin1.txt").write_bytes("Café Tmall: déjà vu à Hangzhou.".encode("latin-1"))
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_good.txt").write_bytes(_good_article())
    (tmp_path / "e_ignored.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "f_sub").mkdir()
    (tmp_path / "f_sub" / "g_good.md").write_bytes(_good_article())
    result = read_folder(tmp_path)
    assert result.files_read == 5
    assert [a.source_file for a in result.articles] == ["d_good.txt", "f_sub/g_good.md"]
    reasons = {s.source_file: s.reason for s in result.skipped}
    assert list(reasons) == ["a_binary.txt", "b_latin1.txt", "c_empty.txt", "e_ignored.jpg"]
    assert "binary" in reasons["a_binary.txt"]
    assert "not UTF-8, UTF-16, GB18030 or Big5 text" in reasons["b_latin1.txt"]
    assert "empty" in reasons["c_empty.txt"]
    assert "unsupported file type .jpg" in reasons["e_ignored.jpg"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "big5", "gb18030"])
def test_other_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(_good_article().decode("utf-8").encode(encoding))
    article = read_article(path)
    assert article.title.startswith("天貓服飾快消總經理專訪")
    assert article.lang == "zh-Hant"


def test_file_with_only_dirt_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_text("\u3000\n分享\n{page_break}\n。\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no text left"):
        read_article(path)


def test_a_paragraph_too_long_is_cut_at_sentence_ends() -> None:
    sentence = "張勇表示,阿里巴巴集團會繼續推進全球化。"  # 20 characters
    long = sentence * (MAX_PARAGRAPH // len(sentence) * 2 + 5)
    pieces = split_long_paragraphs(["標題", long, "短段落。"])
    assert pieces[0] == "標題" and pieces[-1] == "短段落。"
    assert "".join(pieces[1:-1]) == long
    assert all(len(p) <= MAX_PARAGRAPH and p.endswith("。") for p in pieces[1:-1])
    words = " ".join(["word"] * MAX_PARAGRAPH)  # no sentence end: cut at spaces
    assert all(len(p) <= MAX_PARAGRAPH for p in split_long_paragraphs([words]))
    solid = "x" * (MAX_PARAGRAPH * 2 + 1)  # nothing to cut at
    assert [len(p) for p in split_long_paragraphs([solid])] == [MAX_PARAGRAPH] * 2 + [1]


def test_a_file_without_line_breaks_still_gives_passages(tmp_path: Path) -> None:
    text = "".join(f"張勇表示,第{n}年雙11會更加國際化。" for n in range(1000))
    path = tmp_path / "one-line.txt"
    path.write_text(text, encoding="utf-8")
    article = read_article(path)
    assert len(article.title) <= MAX_PARAGRAPH and len(article.passages) >= 3


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no folder of articles at"):
        read_folder(tmp_path / "missing")


# metadata helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-11-05", "2021-11-05"),
        ("發佈於2021年11月5日 10:00", "2021-11-05"),
        ("October 20th, 2016", "2016-10-20"),
        ("Hangzhou, 11 November 2019 -", "2019-11-11"),
        ("時鐘踏入10月21日零時零分的一刻", None),
        ("In November 11th, there are four in Chinese.", None),
        ("2021-02-30", None),
    ],
)
def test_find_date(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来源：界面新闻（ID：jiemian）\n正文", "界面新闻"),
        ("Source: Xinhua\nBody", "Xinhua"),
        ("他接受《南华早报》采访时表示", "《南华早报》"),
        ("他在《三體》中寫道", None),
    ],
)
def test_find_source(text: str, expected: str | None) -> None:
    assert find_source(text) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-GB", "en"),
        ("zh-TW", "zh-Hant"),
        ("zh_Hant_HK", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh", None),
        ("fr", None),
        (None, None),
    ],
)
def test_stated_lang(tag: str | None, expected: str | None) -> None:
    assert stated_lang(tag) == expected


def test_detect_lang_simplified() -> None:
    assert detect_lang("阿里巴巴集团董事局主席张勇表示,今年双11将会更加国际化。") == "zh-Hans"


def test_make_id_is_url_safe_and_stable() -> None:
    assert make_id("000_1e9703de958eb715") == "000_1e9703de958eb715"
    made = make_id("張勇 專訪 2019")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", made)
    assert made == make_id("張勇 專訪 2019") != make_id("張勇 專訪 2020")


def test_link_list_does_not_leak_into_metadata(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    lines = [
        "張勇談阿里巴巴集團長遠發展的兩項關鍵",
        "張勇表示,阿里巴巴集團會繼續推進全球化,並以技術帶動消費升級。",
        "延伸閱讀:",
        "2019-01-09 張勇接受《南華早報》專訪",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    article = read_article(path)
    assert (article.date, article.source) == (None, None)
    assert article.passages == (lines[1],)


# the title is the first line that survives cleaning; metadata from the text


def test_a_spam_first_line_is_never_the_title(tmp_path: Path) -> None:
    spam = "百家樂 真人娛樂城 88bet.cc 老虎機 www.lucky168.tw 體育投注 六合彩"
    headline = "港九小輪擬加開夜航班次 應對離島旅客增長"
    body = "港九小輪公司今日宣布，下月起將在長洲及梅窩航線增加夜航班次。"
    path = tmp_path / "ferry.txt"
    path.write_text("\n".join([spam, headline, "2023年6月2日", body]), encoding="utf-8")
    article = read_article(path)
    assert article.title == headline
    assert article.passages == (body,)
    assert article.date == "2023-06-02"


def test_header_lines_above_the_headline_are_metadata(tmp_path: Path) -> None:
    lines = [
        "By Jane Doe, The Harbour Times",
        "June 2, 2023",
        "Marrow Valley Council Approves Community Solar Farm",
        "The council voted 7-2 on Thursday to approve a community solar farm.",
    ]
    path = tmp_path / "solar.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    article = read_article(path)
    assert article.title == lines[2]
    assert (article.date, article.source) == ("2023-06-02", "The Harbour Times")


def test_a_json_record_states_its_own_date_and_source(tmp_path: Path) -> None:
    record = {
        "title": "Marrow Valley Council Approves Community Solar Farm",
        "body": "By Jane Doe, The Harbour Times\nJune 2, 2023\nThe council voted 7-2.",
        "date": "2023-06-05",
        "source": "Valley Gazette",
    }
    path = tmp_path / "solar.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    article = read_article(path)
    assert (article.date, article.source) == ("2023-06-05", "Valley Gazette")
    assert article.passages == ("The council voted 7-2.",)
