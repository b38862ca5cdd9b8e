"""Chinese person names found by the shape of the text, not by a list of people.

A name is a common surname (``data/names.toml``) and one or two more Han
characters whose edges fall on jieba's word boundaries, which is not itself a
dictionary word (周三, 高層, 王老吉), does not end on a function character
(張偉在) and is no form of address (李先生, 王總). It counts as a person only
with evidence around it:

* ``title``: a job title right before it: 集團總裁林曉峰, 創辦人兼首席執行官周文靜;
* ``label``: it opens a passage before a colon: 司馬嘉怡：…;
* ``said``: it opens a passage before a speech verb and a colon: 姚健說：…
  (the verb is not part of the name);
* ``tagged``: jieba's tagger, from its HMM, calls the three-character word a
  person's name (``nr``) and a speech verb follows: 宋雨桐在發布會上表示.

The title and the organisation before it are kept as the person's role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_search.normalise import canonical_many, to_canonical
from corpus_search.quotes.cues import COLONS, SPEECH_VERBS, alternation
from corpus_search.quotes.marks import MASK
from corpus_search.quotes.naming import naming
from corpus_search.segment import dictionary_tag, tagged

__all__ = ["NameAt", "Tags", "label_name", "name_at", "tagged_names", "titled_names"]

_HAN = re.compile(r"[\u3400-\u9fff]+")
# Characters that end a clause: a role is read back to the nearest one.
BREAKS = '，,。．!！?？；;：:︰「」『』“”"（）()《》【】\n\t ' + MASK
# Characters that are far more often function words than the end of a name.
FUNCTION_CHARS = set(
    "在於于則则也又還还再亦就都曾將将已對对向與与和及說说稱称等的了是為为被把從从跟同給给讓让今昨"
)
# Before one of these the rest of a role is someone else's: 記者與…創始人.
_ROLE_STOPS = set("與与和跟對对由向是在了到據据")
# The shortest name that reaches the colon, so that a speech verb before it is not
# read as the name's last character.
_LABEL = re.compile(
    rf"\s*([\u3400-\u9fff]{{2,4}}?)({alternation(SPEECH_VERBS)})?"
    rf"\s*(?:[(（][^)）]{{0,30}}[)）])?\s*[{COLONS}]"
)
_CLAUSE = re.compile(rf"[^{re.escape(BREAKS)}]+")
MAX_ROLE = 30  # characters of role read back from a name
GENERIC_ORGS = frozenset(("集團", "集团", "公司", "該公司", "该公司", "本公司", "該行", "该行"))


@dataclass(frozen=True)
class NameAt:
    """A name in a text, the evidence that it is a person, and the role stated with it."""

    name: str
    start: int
    end: int
    evidence: str  # "title", "label", "said" or "tagged"
    role: str = ""
    organisation: str = ""


class Tags:
    """jieba's words of the clauses of a text that may hold a name (those with a title
    or a speech verb: tagging is slow): where words start, and their parts of speech."""

    def __init__(self, text: str, wanted: re.Pattern[str]) -> None:
        self.words: dict[int, tuple[str, str]] = {}
        spans = [(a, b) for a, b in _clauses(text) if wanted.search(text, a, b)]
        converted = canonical_many([text[a:b] for a, b in spans])
        for (start, _), (canonical, offsets) in zip(spans, converted, strict=True):
            for word, flag, at in tagged(canonical):
                self.words[start + offsets[at]] = (word, flag)
        self.bounds = frozenset((*self.words, *(end for _, end in spans)))


def _clauses(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CLAUSE.finditer(text)]


def _shape(name: str) -> bool:
    surname = naming().surname(name)
    given = name[len(surname) :]
    if not surname or not 1 <= len(given) <= 2 or naming().addressed(given):
        return False
    return _HAN.fullmatch(name) is not None


def _known_word(name: str, allow_names: bool) -> bool:
    """True for a dictionary word that is not a name (周三, 高層), or any word unless allowed."""
    tag = dictionary_tag(to_canonical(name))
    return tag is not None and not (allow_names and tag.startswith("nr"))


def name_at(text: str, start: int, tags: Tags, allow_names: bool = False) -> str | None:
    """The name that opens text[start:], if one does (longest first: 郑家辉, not 郑家)."""
    surname = naming().surname(text, start)
    if not surname or start not in tags.bounds:
        return None
    for given in (2, 1):
        end = start + len(surname) + given
        name = text[start:end]
        if len(name) < end - start or not _HAN.fullmatch(name):
            continue
        if end not in tags.bounds or name[-1] in FUNCTION_CHARS:
            continue
        if not _shape(name) or _known_word(name, allow_names):
            return None
        return name if given == 2 or not _glued(text, end, tags) else None
    return None


def _glued(text: str, end: int, tags: Tags) -> bool:
    """True if a lone character that is no function word follows: likely the name's own."""
    word = tags.words.get(end, ("", ""))[0]
    return len(word) == 1 and _HAN.match(word) is not None and word not in FUNCTION_CHARS


def _role(text: str, title_start: int, name_start: int) -> tuple[str, str]:
    """(role as stated, organisation) read back from the name to the clause start."""
    start = title_start
    while start > 0 and name_start - start < MAX_ROLE and text[start - 1] not in BREAKS:
        if text[start - 1] in _ROLE_STOPS:
            break
        start -= 1
    role = text[start:name_start]
    organisation = text[start:title_start]
    if len(organisation) < 2 or organisation in GENERIC_ORGS:
        organisation = ""
    return role, organisation


def _title_start(text: str, end: int) -> int:
    """Where a chain of titles ending at `end` starts: 創辦人兼首席執行官."""
    start = end
    joiners = naming().zh_joiners
    for match in reversed(list(naming().zh_titles.finditer(text, 0, end))):
        if match.end() != start and not (match.end() == start - 1 and text[start - 1] in joiners):
            break
        start = match.start()
    return start


def titled_names(text: str, tags: Tags) -> list[NameAt]:
    """Names right after a job title: 首席財務官陳志明."""
    found: list[NameAt] = []
    for match in naming().zh_titles.finditer(text):
        if match.start() not in tags.bounds:
            continue
        name = name_at(text, match.end(), tags, allow_names=True)
        if name is None:
            continue
        role, organisation = _role(text, _title_start(text, match.end()), match.end())
        end = match.end() + len(name)
        found.append(NameAt(name, match.end(), end, "title", role, organisation))
    return found


def label_name(text: str) -> NameAt | None:
    """The name a passage opens with before a colon: 錢立新：…, 姚健說：…."""
    match = _LABEL.match(text)
    if match is None or not _shape(name := match.group(1)) or name[-1] in FUNCTION_CHARS:
        return None
    if _known_word(name, False):
        return None
    return NameAt(name, match.start(1), match.end(1), "said" if match.group(2) else "label")


def _after_break(text: str, start: int, tags: Tags, previous: int | None) -> bool:
    """True at a clause start, or right after a word of time (昨日, 周三)."""
    if start == 0 or text[start - 1] in BREAKS:
        return True
    return previous is not None and tags.words[previous][1] == "t"


def tagged_names(text: str, tags: Tags) -> list[NameAt]:
    """Three-character words jieba's HMM tags as names, opening a clause."""
    found: list[NameAt] = []
    previous: int | None = None
    for start, (word, flag) in sorted(tags.words.items()):
        name = text[start : start + len(word)]
        if flag == "nr" and len(word) >= 3 and _shape(name) and dictionary_tag(word) is None:
            if _after_break(text, start, tags, previous):
                found.append(NameAt(name, start, start + len(name), "tagged"))
        previous = start
    return found
