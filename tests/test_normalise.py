from __future__ import annotations

import pytest

from corpus_search.normalise import (
    canonical_key,
    canonical_keys,
    canonical_many,
    canonical_with_offsets,
    fold_width,
    to_canonical,
    to_simplified,
    to_traditional,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("張勇", "张勇"),
        ("雙11", "双11"),
        ("雲上時裝周", "云上时装周"),
        ("負責人", "负责人"),
        # Taiwan vocabulary folds onto the mainland word.
        ("維吉尼亞州", "弗吉尼亚州"),
        ("釋出", "发布"),
        ("儲存", "保存"),
        ("軟體", "软件"),
        ("西元", "公元"),
        # Simplified text is already canonical.
        ("弗吉尼亚州", "弗吉尼亚州"),
        ("张勇", "张勇"),
    ],
)
def test_canonical_folds_scripts_and_regional_words(text: str, expected: str) -> None:
    assert to_canonical(text) == expected


def test_width_folding_and_spaces() -> None:
    assert fold_width("ＡＢＣ１２３\u3000x\u00a0y") == "ABC123 x y"


def test_canonical_key_for_names() -> None:
    assert canonical_key("  Daniel   ZHANG ") == "daniel zhang"
    assert canonical_key("張勇") == canonical_key("张勇")


def test_display_conversions() -> None:
    assert to_simplified("張勇說") == "张勇说"
    assert to_traditional("张勇说") == "張勇說"


def test_offsets_point_into_the_source_text() -> None:
    text = "天貓雙11　維吉尼亞州"
    canonical, offsets = canonical_with_offsets(text)
    assert len(offsets) == len(canonical)
    start = canonical.index("双11")
    assert text[offsets[start] : offsets[start + 2] + 1] == "雙11"


def test_offsets_stay_exact_when_width_folding_adds_characters() -> None:
    # U+FE30 folds to two characters; words after it must still map onto the source.
    text = "總裁,張勇直言︰「他現在已經承擔」"
    canonical, offsets = canonical_with_offsets(text)
    start = canonical.index("现在")
    assert text[offsets[start] : offsets[start + 1] + 1] == "現在"


# Texts converted in one call come back as each would alone: plain Simplified,
# Traditional, Taiwan words that change length (記憶體 -> 内存, 巴貝多 -> 巴巴多斯),
# full-width forms, English, nothing, a NUL and a lone surrogate.
BATCHED = [
    "天貓雙11　維吉尼亞州",
    "他說記憶體和隨身碟都在部落格上，巴貝多也是。",
    "张勇说：“我们的软件”",
    "總裁,張勇直言︰「他現在已經承擔」",
    "Daniel ZHANG said",
    "",
    "a\x00張勇",
    "壞\ud800字",
]


def test_a_batch_of_texts_converts_as_each_text_alone() -> None:
    assert canonical_many(BATCHED) == [canonical_with_offsets(t) for t in BATCHED]
    assert canonical_keys(BATCHED) == [canonical_key(t) for t in BATCHED]
    assert canonical_many([]) == [] and canonical_keys([]) == []


def test_a_text_holding_the_batch_separator_is_converted_alone() -> None:
    texts = ["張勇\x01說", "軟體"]
    assert canonical_many(texts) == [canonical_with_offsets(t) for t in texts]
    assert canonical_keys(texts) == [canonical_key(t) for t in texts]


def test_folding_with_offsets_matches_folding_each_character_alone() -> None:
    from corpus_search.normalise import _fold_with_offsets

    # Full-width punctuation and letters, a compatibility ideograph (U+F900), NBSP, a
    # ligature, a combining mark, vertical forms, and plain Han and ASCII between them.
    text = "總裁，張勇：ＡＩ\u00a0ﬁne\u0301︰「豈\uf900」。 ok？"
    folded, offsets = _fold_with_offsets(text)
    expected = [(fold_width(ch) if not ch.isascii() else ch, i) for i, ch in enumerate(text)]
    assert folded == "".join(f for f, _ in expected)
    assert offsets == [i for f, i in expected for _ in f]


def test_characters_copied_without_folding_are_ones_folding_leaves() -> None:
    from corpus_search.normalise import _KEPT_RUN

    kept = [chr(c) for c in range(0x80, 0x30000) if _KEPT_RUN.fullmatch(chr(c))]
    assert len(kept) > 20_000  # the Han ideographs at least
    assert [ch for ch in kept if fold_width(ch) != ch] == []
