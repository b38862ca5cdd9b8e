from __future__ import annotations

from corpus_search.cedict import Entry, parse_cedict, read_cedict, tokenise

SAMPLE = """\
# CC-CEDICT
# License: Creative Commons Attribution-ShareAlike 4.0 International License
支付 支付 [zhi1 fu4] /to pay (money)/
馬 马 [Ma3] /surname Ma/abbr. for Malaysia 馬來西亞|马来西亚[Ma3 lai2 xi1 ya4]/
馬 马 [ma3] /horse/CL:匹[pi3]/horse or cavalry piece in Chinese chess/knight in Western chess/
説 说 [shuo1] /variant of 說|说[shuo1]/
公司 公司 [gong1 si1] /(business) company/company/firm/corporation/incorporated/
星期五 星期五 [Xing1 qi1 wu3] /Friday/
普萊斯 普莱斯 [Pu3 lai2 si1] /Price (name)/
散風流 散风流 [san4 feng1 liu2] /lit. clouds scatter/fig. things return to normal/
3C 3C [san1 C] /abbr. for computers, communications, and consumer electronics/
"""


def entries_by_simp() -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    for entry in parse_cedict(SAMPLE):
        found.setdefault(entry.simp, []).append(entry)
    return found


def test_glosses_are_cleaned() -> None:
    (pay,) = entries_by_simp()["支付"]
    assert pay.glosses == ("pay",)
    assert pay.is_verb(0)
    (scatter,) = entries_by_simp()["散风流"]
    assert scatter.glosses == ("clouds scatter", "things return to normal")


def test_pointer_entries_and_glosses_are_dropped() -> None:
    entries = entries_by_simp()
    assert [e.glosses[0] for e in entries["马"]] == ["horse"]  # surname entry gone
    assert "说" not in entries  # variant entry
    assert "3C" not in entries  # not all Han


def test_long_glosses_keep_their_position_but_not_their_text() -> None:
    (horse,) = entries_by_simp()["马"]
    assert horse.glosses == ("horse", "", "knight in western chess")


def test_notes_names_and_proper_nouns_are_flagged() -> None:
    entries = entries_by_simp()
    (company,) = entries["公司"]
    assert company.glosses[:2] == ("company", "company")
    assert company.is_noted(0) and not company.is_noted(1)
    (friday,) = entries["星期五"]
    assert friday.proper and friday.glosses == ("friday",)
    (price,) = entries["普莱斯"]
    assert price.is_name(0)


def test_tokenise_splits_like_glosses() -> None:
    assert tokenise("E-commerce") == ["e", "commerce"]
    assert tokenise("Down's syndrome") == ["down", "syndrome"]


def test_the_shipped_dictionary_parses() -> None:
    entries = read_cedict()
    assert len(entries) > 80_000
    assert any(e.simp == "营销" and e.glosses == ("marketing",) for e in entries)
