from __future__ import annotations

import pickle

from corpus_search.analysis import build_analyzer, build_exact_analyzer, phrase_pairs, run_pairs


def tokens(text: str, mode: str = "index") -> list[tuple[str, int]]:
    analyzer = build_analyzer()
    return [(t.text, t.pos) for t in analyzer(text, mode=mode, positions=True)]


def test_positions_are_ordinal_not_character_offsets() -> None:
    found = [(text, pos) for text, pos in tokens("蔣凡是一位85後", mode="query")]
    positions = [pos for _, pos in found]
    assert positions == sorted(positions)
    assert positions == list(range(positions[0], positions[0] + len(positions)))


def test_traditional_is_converted_before_segmentation() -> None:
    assert tokens("張勇首次交出天貓雙11指揮棒", "query") == tokens(
        "张勇首次交出天猫双11指挥棒", "query"
    )


def test_english_is_lowercased_stemmed_and_stopped() -> None:
    texts = [t for t, _ in tokens("The new records of the platform", "query")]
    assert "record" in texts
    assert "the" not in texts and "of" not in texts


def test_entities_are_tagged_in_any_form_at_index_time() -> None:
    for text in ["張勇說", "张勇说", "Daniel Zhang said", "zhangyong", "Xiaoyao Zi", "逍遙子"]:
        assert "@zhang-yong" in [t for t, _ in tokens(text)], text


def test_query_mode_replaces_a_name_by_its_entity() -> None:
    assert [t for t, _ in tokens("Zhang Yong", "query")] == ["@zhang-yong"]
    assert [t for t, _ in tokens("singles day", "query")] == ["@double-11"]


def test_long_words_index_their_subwords_at_the_same_position() -> None:
    found = tokens("天貓雙11全球狂歡節")
    assert ("双11", found[0][1]) in found
    assert ("天猫", found[0][1]) in found


def test_character_offsets_point_at_the_original_script() -> None:
    text = "首席執行官張勇構思出"
    analyzer = build_analyzer()
    spans = [
        (t.startchar, t.endchar)
        for t in analyzer(text, chars=True, mode="index")
        if t.text == "张勇"
    ]
    assert [text[s:e] for s, e in spans] == ["張勇"]


def test_exact_analyzer_keeps_every_character_in_order() -> None:
    analyzer = build_exact_analyzer()
    found = [(t.text, t.pos) for t in analyzer("雙11不決定 Flexible production", positions=True)]
    assert found == [
        ("双", 0),
        ("11", 1),
        ("不", 2),
        ("决", 3),
        ("定", 4),
        ("flexible", 5),
        ("production", 6),
    ]


def test_analyzers_pickle_with_the_schema() -> None:
    for analyzer in (build_analyzer(), build_exact_analyzer()):
        clone = pickle.loads(pickle.dumps(analyzer))
        assert [t.text for t in clone("張勇", mode="query")] == [
            t.text for t in analyzer("張勇", mode="query")
        ]


def test_pairs_are_the_terms_at_neighbouring_positions() -> None:
    found = [("數", 0, 0, 1), ("字", 1, 1, 2), ("數", 2, 2, 3), ("字", 3, 3, 4)]
    assert sorted(run_pairs(found)) == ["字 數", "數 字"]  # a repeated pair kept once
    assert sorted(run_pairs(found[:2], before="化")) == ["化 數", "數 字"]
    # A gap (position 4) makes no pair.
    gapped = [*found, ("化", 5, 6, 7), ("化", 6, 7, 8)]
    assert sorted(run_pairs(gapped)) == ["化 化", "字 數", "數 字"]
    assert sorted(run_pairs(gapped[3:], before="數")) == ["化 化", "數 字"]
    assert run_pairs([]) == set() and run_pairs([], before="數") == set()
    assert phrase_pairs(["哈", "哈", "哈"]) == ["哈 哈"]
    assert phrase_pairs(["in", "this", "town"]) == ["in this", "this town"]
    assert phrase_pairs(["one"]) == []
