"""The words that mark speech, naming and interviews, in every script.

Words are written once in Traditional script; `variants` adds the Simplified
spelling, so one list serves Hong Kong, Taiwan and mainland text alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from corpus_search.normalise import to_simplified, to_traditional

__all__ = [
    "ANSWER_LABELS",
    "BULLET",
    "CLAUSE_VERBS",
    "COLONS",
    "CONJUNCTIONS",
    "EN_CLAUSE",
    "EN_CLAUSE_OPENERS",
    "EN_PREPOSITIONS",
    "EN_PRONOUN",
    "EN_VERBS",
    "FIRST_PERSON",
    "INTERVIEW_CUES",
    "NAMING_AFTER",
    "NAMING_BEFORE",
    "OTHER_VOICE",
    "NOT_AFTER_SAY",
    "NOT_BEFORE_SAY",
    "PREPOSITIONS",
    "QUESTION_LABELS",
    "SPEECH_VERBS",
    "STOP_LABELS",
    "ZH_PRONOUN",
    "alternation",
    "variants",
]

COLONS = ":：︰﹕"

# Verbs that link a speaker to what they said.  Longer forms first.
SPEECH_VERBS = (
    "續說", "說道", "笑說", "表示", "直言", "透露", "指出", "認為", "強調", "坦言",
    "相信", "補充", "解釋", "回應", "坦承", "笑言", "重申", "表明", "承認", "寫道",
    "提到", "談到", "形容", "預計", "說", "稱",
)  # fmt: skip
# Verbs that take a clause directly, with no comma: 張勇透露自己也已經付了訂金.
CLAUSE_VERBS = frozenset(
    ("表示", "直言", "透露", "指出", "認為", "強調", "坦言", "相信", "坦承", "重申",
     "表明", "承認", "預計")
)  # fmt: skip
# Characters before 說 that make it part of another word (小說, 據說, 可以說).
NOT_BEFORE_SAY = "小據聽雖話是再來以"
NOT_AFTER_SAY = "明法服"

# Third-person pronouns that stand for one person (not 他們, 其他, 他人).
ZH_PRONOUN = r"(?<![其吉利])[他她](?![們们人])"
EN_PRONOUN = r"\b(?:He|She|he|she)\b"

# A person directly after one of these is an object, not the speaker.
PREPOSITION_CHARS = "對於向給把被讓替為將"
EN_PREPOSITIONS = frozenset(
    "from with to by of for about at in on than like as".split()
)  # fmt: skip
# Two people joined by one of these are speaking together: no single speaker.
CONJUNCTIONS = r"\s*(?:[和與与跟同及、&,，]|and|or)\s*"
# Words between a person and a speech verb that hand the speech to someone else.
OTHER_VOICE = ("聽", "讓", "請", "叫", "要求", "告訴", "問", "引述", "轉述", "據", "的", "之")

# A quoted span right after these is a name, a slogan or a term, not speech.
NAMING_BEFORE = (
    "叫做", "叫作", "稱為", "稱之為", "名為", "命名為", "號稱", "所謂", "提出", "推出",
    "打造", "下稱", "簡稱", "又稱", "俗稱", "口號", "主題", "構思出", "當一位", "當一個",
    "舉辦", "舉行", "呈獻", "主辦",
    "slogan", "called", "named", "dubbed", "known as", "so-called", "the term", "the word",
    "our own",
)  # fmt: skip
NAMING_AFTER = ("的概念", "這個", "這一", "一詞", "二字", "的口號", "的理念", "的特點", "概念")

# Words in a lead that name the interview: 專訪了…家洛, a record of Zhang Yong's dialogue.
INTERVIEW_CUES = ("專訪", "採訪", "訪問", "訪談", "對答", "對話", "interview", "dialogue",
                  "conversation")  # fmt: skip

FIRST_PERSON = r"[我咱]|\b(?:I|we|We|our|Our|us|my|My|me)\b"

QUESTION_LABELS = ("Q", "Question", "Questions", "Reporter", "Interviewer", "問", "提問",
                   "記者")  # fmt: skip
ANSWER_LABELS = ("A", "Answer", "答")
STOP_LABELS = ("免責聲明", "聲明", "延伸閱讀", "相關閱讀", "責任編輯", "Related reading",
               "Disclaimer")  # fmt: skip
BULLET = r"[-•·*]\s"

EN_VERBS = (
    "said", "says", "say", "saying", "stated", "added", "noted", "explained", "told",
    "stressed", "emphasized", "emphasised", "pointed out", "revealed", "admitted",
    "believes", "believed", "continued", "recalled", "insisted", "argued", "remarked",
)  # fmt: skip
# Between the verb and "that", a phrase opening with one of these words and at
# most EN_CLAUSE more: said in his speech that, told reporters that.
EN_CLAUSE_OPENERS = ("in", "at", "on", "to", "during", "with", "before", "after", "reporters",
                     "journalists", "the media", "media", "us", "them")  # fmt: skip
EN_CLAUSE = 3


@lru_cache(maxsize=512)
def variants(word: str) -> tuple[str, ...]:
    """The word in Traditional and Simplified script, longest first."""
    forms = {word, to_simplified(word), to_traditional(word)}
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words in every script, longest first."""
    forms = {form for word in words for form in variants(word)}
    return "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))


# Derived sets, in every script.
PREPOSITIONS = frozenset("".join(variants(PREPOSITION_CHARS)))
