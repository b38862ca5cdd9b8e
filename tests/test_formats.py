"""Formats and encodings: every file of a folder read as what it is, or skipped and why."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search.cli import main
from corpus_search.config import Settings
from corpus_search.errors import IngestError
from corpus_search.folder import DEFAULT_MAX_BYTES, list_folder
from corpus_search.formats import classify, decode, read_drafts
from corpus_search.index import BuildReport, rebuild
from corpus_search.ingest import read_file
from corpus_search.models import Draft, Skipped
from corpus_search.search import SearchService

TRADITIONAL = (
    "張勇談{word}計劃\n"
    "阿里巴巴集團董事局主席張勇表示，今年雙十一將會更加國際化，天貓與淘寶的商家會更重視"
    "消費者的體驗，{word}計劃正式啟動。\n"
    "他說：「我們希望每一個商家都能在雙十一找到新的增長。」\n"
)
SIMPLIFIED = (
    "张勇谈{word}计划\n"
    "阿里巴巴集团董事局主席张勇表示，今年双十一将会更加国际化，天猫与淘宝的商家会更重视"
    "消费者的体验，{word}计划正式启动。\n"
)
ENGLISH = "The {word} report\nThe {word} project was announced by Alibaba in Hangzhou on Monday.\n"
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{word} | Tech Daily</title>
<meta property="og:title" content="The {word} strategy unveiled">
<meta property="og:site_name" content="Tech Daily">
<meta property="article:published_time" content="2021-11-05T08:00:00+08:00">
<style>.lead {{ color: red }} /* stylewordzz */</style>
<script>var scriptwordzz = "never indexed";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">navwordzz</a></nav>
<!-- commentwordzz -->
<article><h1>The {word} strategy unveiled</h1>
<p>Alibaba chief executive Daniel Zhang said the {word} strategy would reshape retail in
many markets this year, with merchants at the centre of it.</p>
<p>"We want every merchant to grow," he said in an interview in Hangzhou.</p>
</article>
<footer>footerwordzz, all rights reserved</footer>
</body></html>
"""


def record(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


# -- decoding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "found"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),  # no byte-order mark
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32"),
        ("big5", "big5"),
    ],
)
def test_traditional_chinese_in_each_encoding(encoding: str, found: str) -> None:
    text = TRADITIONAL.format(word="鳳凰木")
    decoded = decode(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, found)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "gb2312"])
def test_simplified_chinese_in_gb_encodings(encoding: str) -> None:
    text = SIMPLIFIED.format(word="麒麟")
    decoded = decode(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, "gb18030")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        (bytes(range(256)) * 8, "binary"),
        (b"plain words\x01\x02\x03\x04 and control bytes", "binary"),
        ("Café déjà vu à Hangzhou.".encode("latin-1"), "not UTF-8, UTF-16, GB18030 or Big5"),
        (b"\xff\xfe\x00\x00broken\x00utf-32", "not valid UTF-32"),
    ],
)
def test_what_is_not_text_is_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        decode(data)


# -- which format -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("a.txt", "Headline\nBody.", "text"),
        ("a.txt", "[專訪] 張勇\n正文。", "text"),
        ("a.txt", "{page_break}\nHeadline", "text"),
        ("a.txt", PAGE, "html"),
        (
            "a.md",
            "<?xml version='1.0'?>\n<!-- saved -->\n<html><body><p>x</p></body></html>",
            "html",
        ),
        ("a.txt", record(title="t", body="b") + "\n" + record(title="u", body="c"), "jsonl"),
        ("a.txt", json.dumps([{"title": "t", "body": "b"}], indent=2), "json"),
        ("a.txt", "[1, 2, 3]", "text"),
        ("a.html", "No markup at all, only words.", "text"),
        ("a.json", record(title="t", body="b"), "json"),
        ("a.jsonl", record(title="t", body="b"), "jsonl"),
        ("a.json", "<!doctype html><html><body><p>x</p></body></html>", "html"),
    ],
)
def test_what_a_file_holds_decides_its_format(name: str, text: str, kind: str) -> None:
    assert classify(Path(name), text)[0] == kind


# -- readers ----------------------------------------------------------------------


def test_html_keeps_the_main_content_and_the_meta_tags() -> None:
    kind, drafts = read_drafts(Path("page.html"), PAGE.format(word="kingfisher"))
    (draft,) = drafts
    assert kind == "html" and isinstance(draft, Draft)
    assert draft.text.startswith("The kingfisher strategy unveiled\nAlibaba chief executive")
    assert "kingfisher strategy would reshape retail" in draft.text
    assert (draft.date, draft.source, draft.key) == ("2021-11-05", "Tech Daily", "page")
    for word in ("scriptwordzz", "stylewordzz", "navwordzz", "commentwordzz", "footerwordzz"):
        assert word not in draft.text


def test_html_goes_through_the_same_cleaning_rules(tmp_path: Path) -> None:
    page = PAGE.format(word="kingfisher").replace(
        "</article>", "<p>分享</p><p>延伸閱讀:</p><p>張勇談雙11</p></article>"
    )
    read = read_file(tmp_path / "page.html", page.encode())
    (article,) = read.articles
    assert article.title == "The kingfisher strategy unveiled"
    assert article.passages[0].startswith("Alibaba chief executive")
    assert not any(p in ("分享", "延伸閱讀:") for p in article.passages)
    assert (article.date, article.source, article.lang) == ("2021-11-05", "Tech Daily", "en")


def test_json_lines_give_one_article_per_record_and_say_which_are_bad(tmp_path: Path) -> None:
    lines = [
        record(
            id="n-1",
            title="Pelican plan",
            body="The pelican plan.",
            date="2020-01-02T10:00Z",
            source="Wire",
            lang="zh-TW",
            url="https://example.com/n1",
        ),
        record(title="Heron plan", paragraphs=["The heron plan.", "More herons."]),
        "",
        "{broken",
        record(body="no title"),
        record(title="No body", paragraphs=[1, 2]),
        "[1, 2]",
        record(id=True, title="Bad id", body="x"),
    ]
    read = read_file(tmp_path / "news.jsonl", "\n".join(lines).encode())
    assert read.format == "jsonl"
    first, second = read.articles
    assert (first.id, first.title, first.passages) == (
        "n-1",
        "Pelican plan",
        ("The pelican plan.",),
    )
    assert (first.date, first.source, first.lang) == ("2020-01-02", "Wire", "zh-Hant")
    assert first.url == "https://example.com/n1"
    assert (second.id, second.passages) == ("news-2", ("The heron plan.", "More herons."))
    reasons = {s.part: s.reason for s in read.skipped}
    assert list(reasons) == ["line 4", "line 5", "line 6", "line 7", "line 8"]
    assert "not valid JSON" in reasons["line 4"] and "no title" in reasons["line 5"]
    assert "no body" in reasons["line 6"] and "not a JSON object" in reasons["line 7"]
    assert "id" in reasons["line 8"]
    assert all(s.source_file == "news.jsonl" for s in read.skipped)


def test_a_json_array_and_a_lone_record(tmp_path: Path) -> None:
    array = json.dumps([{"title": "One", "body": "First."}, {"title": "Two", "body": "Second."}])
    read = read_file(tmp_path / "batch.json", array.encode())
    assert [a.id for a in read.articles] == ["batch-1", "batch-2"]
    lone = read_file(tmp_path / "lone.json", record(title="Alone", body="Only.").encode())
    assert [a.id for a in lone.articles] == ["lone"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.json", b'[{"title": "x", "body": ', "not valid JSON"),
        ("nested.json", b"[" * 100_000 + b"]" * 100_000, "not valid JSON|nested"),
        ("bad.jsonl", b'{"x": 1}\n{"y": 2}\n', "no usable record"),
        ("empty.json", b"   \n", "empty file"),
        ("blank.html", b"<html><body><script>x()</script></body></html>", "no main text"),
    ],
)
def test_a_file_with_no_usable_record_is_refused(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        read_file(Path(name), data)


# -- a folder ---------------------------------------------------------------------


def mixed_folder(root: Path) -> Path:
    """A folder with a file in each encoding and format, and everything a build skips."""
    source = root / "src"
    (source / "sub" / "deeper").mkdir(parents=True)
    (source / ".git").mkdir()
    files = {
        "big5.txt": TRADITIONAL.format(word="鳳凰木").encode("big5"),
        "gb.txt": SIMPLIFIED.format(word="麒麟").encode("gb18030"),
        "utf16.txt": TRADITIONAL.format(word="紫荊花").encode("utf-16"),
        "bom.md": ENGLISH.format(word="zebrafinch").encode("utf-8-sig"),
        "page.html": PAGE.format(word="kingfisher").encode(),
        "news.jsonl": "\n".join(
            [
                record(id="pelican-1", title="Pelican plan", body="The pelican plan is new."),
                record(title="Heron plan", paragraphs=["The heron plan follows.", "Herons."]),
                "{broken",
            ]
        ).encode(),
        "batch.json": json.dumps([{"title": "Osprey", "body": "The osprey record."}]).encode(),
        "saved-page.txt": PAGE.format(word="cormorant").encode(),
        "records.txt": (
            record(title="Puffin one", body="Puffin body one.")
            + "\n"
            + record(title="Puffin two", body="Puffin body two.")
        ).encode(),
        "sub/deeper/albatross.txt": ENGLISH.format(word="albatross").encode(),
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20,
        "latin1.txt": "Café déjà vu".encode("latin-1"),
        "photo.png": b"\x89PNG",
        "notes": b"no extension",
        ".hidden.txt": ENGLISH.format(word="hiddenword").encode(),
        ".git/HEAD": b"ref: refs/heads/main",
        "huge.txt": b"Huge\n" + b"x" * (2 * 2**20),
    }
    for name, data in files.items():
        (source / name).write_bytes(data)
    outside = root / "secret.txt"
    outside.write_text(ENGLISH.format(word="outsideword"), "utf-8")
    os.symlink(outside, source / "leak.txt")
    os.symlink(source / "bom.md", source / "sub" / "alias.md")
    return source


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildReport]:
    root = tmp_path_factory.mktemp("mixed")
    settings = Settings(index_dir=root / "ix", source_dir=mixed_folder(root))
    return settings, rebuild(settings, max_bytes=2**20)


@pytest.mark.parametrize(
    ("word", "file"),
    [
        ("鳳凰木", "big5.txt"),
        ("凤凰木", "big5.txt"),
        ("麒麟", "gb.txt"),
        ("紫荊花", "utf16.txt"),
        ("zebrafinch", "bom.md"),
        ("kingfisher", "page.html"),
        ("pelican", "news.jsonl"),
        ("heron", "news.jsonl"),
        ("osprey", "batch.json"),
        ("cormorant", "saved-page.txt"),
        ("puffin", "records.txt"),
        ("albatross", "albatross.txt"),
    ],
)
def test_a_word_of_each_good_file_is_found(
    mixed: tuple[Settings, BuildReport], word: str, file: str
) -> None:
    results = SearchService(mixed[0]).search(word)
    assert results.total >= 1 and {h.source_file for h in results.hits} == {file}


@pytest.mark.parametrize(
    "word",
    [
        "scriptwordzz",
        "stylewordzz",
        "navwordzz",
        "commentwordzz",
        "footerwordzz",
        "hiddenword",
        "outsideword",
        "doctype",
    ],
)
def test_what_is_not_an_article_is_not_found(
    mixed: tuple[Settings, BuildReport], word: str
) -> None:
    assert SearchService(mixed[0]).search(word).total == 0


def test_the_report_accounts_for_every_file(mixed: tuple[Settings, BuildReport]) -> None:
    report = mixed[1]
    files = {f.file: f for f in report.file_reports}
    indexed = {
        name: (f.articles, f.format, f.encoding)
        for name, f in files.items()
        if f.status == "indexed"
    }
    assert indexed == {
        "batch.json": (1, "json", "utf-8"),
        "big5.txt": (1, "text", "big5"),
        "bom.md": (1, "text", "utf-8-sig"),
        "gb.txt": (1, "text", "gb18030"),
        "news.jsonl": (2, "jsonl", "utf-8"),
        "page.html": (1, "html", "utf-8"),
        "records.txt": (2, "jsonl", "utf-8"),
        "saved-page.txt": (1, "html", "utf-8"),
        "sub/deeper/albatross.txt": (1, "text", "utf-8"),
        "utf16.txt": (1, "text", "utf-16"),
    }
    skipped = {name: f.reason or "" for name, f in files.items() if f.status == "skipped"}
    expected = {
        ".git/": "hidden folder",
        ".hidden.txt": "hidden file",
        "binary.txt": "binary file",
        "empty.txt": "empty file",
        "huge.txt": "over the size limit",
        "latin1.txt": "not UTF-8",
        "leak.txt": "outside the source folder",
        "notes": "unsupported file type",
        "photo.png": "unsupported file type .png",
        "sub/alias.md": "same file as bom.md",
    }
    assert set(skipped) == set(expected)
    for name, reason in expected.items():
        assert reason in skipped[name], name
    assert report.articles == 12
    assert Skipped("news.jsonl", skipped_reason(report, "line 3"), "line 3") in report.skipped


def skipped_reason(report: BuildReport, part: str) -> str:
    return next(s.reason for s in report.skipped if s.part == part)


def test_the_report_prints_every_file_and_is_json(mixed: tuple[Settings, BuildReport]) -> None:
    report = mixed[1]
    text = "\n".join(report.lines())
    assert "files    20 found: 10 indexed, 0 unchanged, 10 skipped" in text
    assert "file     big5.txt: indexed, 1 article (text, big5)" in text
    assert "file     photo.png: skipped, unsupported file type .png" in text
    assert "record   news.jsonl line 3: skipped, not valid JSON" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert len(data["file_reports"]) == 20


def test_listing_reads_subfolders_and_says_what_it_skips(tmp_path: Path) -> None:
    source = mixed_folder(tmp_path)
    os.symlink(source / "sub", source / "sub-again")
    os.symlink(tmp_path / "nowhere", source / "dangling.txt")
    os.symlink(source, source / "sub" / "loop")
    listing = list_folder(source, max_bytes=2**20)
    names = [f.name for f in listing.files]
    assert "sub/deeper/albatross.txt" in names and "bom.md" in names
    reasons = {s.source_file: s.reason for s in listing.skipped}
    assert "folder read as sub/" in reasons["sub-again/"]
    assert "broken symlink" in reasons["dangling.txt"]
    assert "folder read as ./" in reasons["sub/loop/"]
    assert all(not n.startswith(".") for n in names)


# -- the command line -------------------------------------------------------------


def test_strict_builds_the_rest_and_fails(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "good.txt").write_text(ENGLISH.format(word="grebe"), "utf-8")
    (source / "photo.jpg").write_bytes(b"\xff\xd8")
    index = tmp_path / "ix"
    args = ["build", "--source", str(source), "--index", str(index)]
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "photo.jpg: skipped, unsupported file type .jpg" in strict.output
    assert "--strict: 1 file(s) or record(s) skipped" in strict.output
    settings = Settings(index_dir=index, source_dir=source)
    assert SearchService(settings).search("grebe").total == 1
    relaxed = CliRunner().invoke(main, [*args, "--json"])
    assert relaxed.exit_code == 0, relaxed.output
    assert json.loads(relaxed.output)["skipped"][0]["source_file"] == "photo.jpg"


def test_the_size_limit_is_an_option(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "long.txt").write_text(ENGLISH.format(word="grebe") * 8000, "utf-8")
    runner, index = CliRunner(), str(tmp_path / "ix")
    small = runner.invoke(
        main, ["build", "--source", str(source), "--index", index, "--max-file-mb", "0.1"]
    )
    assert small.exit_code != 0 and "over the size limit" in small.output
    large = runner.invoke(
        main, ["build", "--source", str(source), "--index", index, "--max-file-mb", "1"]
    )
    assert large.exit_code == 0 and "long.txt: indexed" in large.output


def test_the_default_size_limit_is_the_setting(tmp_path: Path) -> None:
    assert DEFAULT_MAX_BYTES == Settings().max_file_mb * 2**20
    source = tmp_path / "src"
    source.mkdir()
    (source / "small.txt").write_text(ENGLISH.format(word="grebe"), "utf-8")
    (source / "big.txt").write_text(ENGLISH.format(word="plover") * 15000, "utf-8")  # 1.3 MB
    env = {"CORPUS_SEARCH_MAX_FILE_MB": "1"}
    args = ["build", "--source", str(source), "--index", str(tmp_path / "ix")]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0 and "big.txt: skipped" in result.output


def test_files_of_one_name_in_two_folders_keep_apart(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "2020").mkdir(parents=True)
    (source / "a.txt").write_text(ENGLISH.format(word="grebe"), "utf-8")
    (source / "2020" / "a.txt").write_text(ENGLISH.format(word="plover"), "utf-8")
    settings = Settings(index_dir=tmp_path / "ix", source_dir=source)
    rebuild(settings)
    service = SearchService(settings)
    (grebe,) = service.search("grebe").hits
    (plover,) = service.search("plover").hits
    assert (plover.id, plover.source_file) == ("a", "2020/a.txt")  # first in path order
    assert (grebe.id, grebe.source_file) == ("a-2", "a.txt")
    assert service.raw_source("2020/a.txt").startswith(b"The plover report")


def test_a_word_found_thousands_of_times_in_one_article(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "laugh.txt").write_text("大笑\n" + "哈哈大笑。" * 8000, "utf-8")
    settings = Settings(index_dir=tmp_path / "ix", source_dir=source)
    assert rebuild(settings).articles == 1  # whoosh-ng could not inline its postings
    assert SearchService(settings).search("哈哈").total == 1


def test_add_reports_what_it_cannot_read(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "good.txt").write_text(ENGLISH.format(word="grebe"), "utf-8")
    index = str(tmp_path / "ix")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--source", str(source), "--index", index]).exit_code == 0
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "news.jsonl").write_text(record(title="Plover", body="The plover plan."), "utf-8")
    (extra / "photo.gif").write_bytes(b"GIF89a")
    args = ["add", str(extra / "news.jsonl"), str(extra / "photo.gif"), "--index", index]
    added = runner.invoke(main, [*args, "--strict"])
    assert added.exit_code == 1, added.output
    assert "news.jsonl: indexed, 1 article (jsonl, utf-8)" in added.output
    assert "photo.gif: skipped, unsupported file type .gif" in added.output
    settings = Settings(index_dir=Path(index), source_dir=source)
    assert SearchService(settings).search("plover").total == 1
