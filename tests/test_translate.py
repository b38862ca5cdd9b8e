from __future__ import annotations

import pickle

import pytest

from corpus_search.normalise import canonical_key
from corpus_search.translate import Translator, load_translator


@pytest.fixture(scope="module")
def translator() -> Translator:
    return load_translator()


def zh_words(translator: Translator, phrase: str) -> list[str]:
    return [word for word, _ in translator.en_to_zh(phrase.split())]


def en_glosses(translator: Translator, word: str) -> list[tuple[str, ...]]:
    return [gloss for gloss, _ in translator.zh_to_en(word)]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("marketing", {"营销", "市场营销"}),
        ("payment", {"支付"}),
        ("cloud computing", {"云计算"}),
        ("logistics", {"物流"}),
        ("supply chain", {"供应链"}),
        ("globalization", {"全球化"}),
        ("pandemic", {"大流行"}),
        ("shopping", {"购物"}),
        ("transactions", {"交易"}),
    ],
)
def test_en_to_zh_finds_the_chinese_word(
    translator: Translator, phrase: str, expected: set[str]
) -> None:
    found = zh_words(translator, phrase)
    assert {canonical_key(w) for w in expected} & set(found), found


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("黑色星期五", {("black", "friday")}),
        ("营销", {("marketing",)}),
        ("支付", {("payment",), ("pay",)}),
        ("物流", {("logistics",)}),
        ("全球化", {("globalization",)}),
        ("消费者", {("consumer",)}),
    ],
)
def test_zh_to_en_finds_the_english_gloss(
    translator: Translator, word: str, expected: set[tuple[str, ...]]
) -> None:
    found = en_glosses(translator, word)
    assert expected & set(found), found


def test_stop_words_translate_to_nothing(translator: Translator) -> None:
    assert translator.en_to_zh(["the"]) == []
    assert translator.en_to_zh(["of", "the"]) == []


def test_surnames_are_not_translations(translator: Translator) -> None:
    assert "马" not in zh_words(translator, "ma")
    assert ("ma",) not in en_glosses(translator, "马")


def test_single_characters_give_way_to_words(translator: Translator) -> None:
    found = zh_words(translator, "marketing")
    assert found
    assert all(len(word) > 1 for word in found)


def test_results_are_short_and_few(translator: Translator) -> None:
    for phrase in ("record", "discount", "merchant", "live"):
        found = zh_words(translator, phrase)
        assert len(found) <= 6
        assert all(len(word) <= 6 for word in found)
    assert len(translator.zh_to_en("直播")) <= 4


def test_chinese_results_are_canonical(translator: Translator) -> None:
    for phrase in ("interaction", "software", "user"):
        for word in zh_words(translator, phrase):
            assert word == canonical_key(word)


@pytest.mark.parametrize("phrase", ["marketing", "payment", "record", "cloud computing"])
def test_en_to_zh_weights_are_sorted_and_in_range(translator: Translator, phrase: str) -> None:
    weights = [weight for _, weight in translator.en_to_zh(phrase.split())]
    assert weights
    assert all(0 < w <= 1 for w in weights)
    assert weights == sorted(weights, reverse=True)


@pytest.mark.parametrize("word", ["营销", "直播", "广告", "黑色星期五"])
def test_zh_to_en_weights_are_sorted_and_in_range(translator: Translator, word: str) -> None:
    weights = [weight for _, weight in translator.zh_to_en(word)]
    assert weights
    assert all(0 < w <= 1 for w in weights)
    assert weights == sorted(weights, reverse=True)


def test_composed_translations_weigh_less_than_dictionary_words(translator: Translator) -> None:
    (_, composed), *_ = translator.en_to_zh(["cloud", "computing"])
    (_, direct), *_ = translator.en_to_zh(["supply", "chain"])
    assert composed < direct


def test_multi_word_glosses_keep_their_order(translator: Translator) -> None:
    assert ("live", "broadcast") in en_glosses(translator, "直播")


def test_unknown_words_translate_to_nothing(translator: Translator) -> None:
    assert translator.en_to_zh(["qwertyuiop"]) == []
    assert translator.zh_to_en("鿏鿏鿏") == []
    assert translator.zh_to_en("") == []
    assert translator.en_to_zh([]) == []


def test_translator_is_loaded_once() -> None:
    assert load_translator() is load_translator()


def test_gloss_folding_handles_inflection(translator: Translator) -> None:
    assert zh_words(translator, "transaction")
    assert set(zh_words(translator, "transactions")) & set(zh_words(translator, "transaction"))


def test_results_are_plain_data(translator: Translator) -> None:
    result = translator.en_to_zh(["marketing"]), translator.zh_to_en("营销")
    assert pickle.loads(pickle.dumps(result)) == result


def test_query_words_are_tokenised_like_glosses(translator: Translator) -> None:
    assert translator.en_to_zh(["e-commerce"]) == translator.en_to_zh(["e", "commerce"])
    assert translator.en_to_zh(["Supply", "Chain"]) == translator.en_to_zh(["supply", "chain"])
