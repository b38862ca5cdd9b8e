"""English person names found by the shape of the text.

A name is a run of two to four capitalised words (O'Connor, McDonald,
Smith-Jones; `van der` and the like inside), less the capitalised words that
open a sentence or a phrase (According, On Monday, Chief). It counts as a
person only with evidence around it:

* ``apposition``: `Maria Okafor, head of operations at Brightline Freight,`
  (a phrase with a job-title word) or `Hans Lindqvist, who led the trial`;
* ``title``: a job title right before it: `chief executive Daniel Kowalski`,
  `its founder, Anna Weber.`;
* ``honorific``: `Dr. Hans Lindqvist`;
* ``inverted``: it follows a quotation and `said`, with its organisation:
  `"…," said Derek Olsen of Brookfield Research.` (alone, `said Goldman Sachs.`
  might be a company);
* ``label``: it opens a passage before a colon (counted by the caller), in
  full or by the family name alone when the article names the person in full.

The apposition or the title is kept as the role, and the organisation after
`at` or `of` in it.
"""

from __future__ import annotations

import re

from corpus_search.quotes.marks import MASK
from corpus_search.quotes.naming import naming
from corpus_search.quotes.zh_names import NameAt

__all__ = [
    "full_name",
    "is_role",
    "label_name",
    "names",
    "role_before",
    "short_forms",
    "title_case",
]

_WORD = r"(?<![\w'’-])[A-Z][a-z]*(?:['’]?[A-Z][a-z]+)*(?:-[A-Z][a-z]+)?(?![\w'’])"


def _run() -> re.Pattern[str]:
    particles = "|".join(sorted(naming().particles))
    return re.compile(rf"{_WORD}(?:[ \t]+(?:(?:{particles})[ \t]+)*{_WORD}){{1,5}}")


_RUN = _run()
_TOKEN = re.compile(_WORD)
_APPOSITION = re.compile(rf",\s+(?P<app>[^,;:.!?\"“”{MASK}]{{2,100}}?)(?=,|\.(?:\s|$)|;|$)")
_NOT_APPOSITION = re.compile(r"(?:which|whose|where|when|that|and|or|but)\b", re.I)
_DETERMINER = re.compile(r"^(?:(?:the|a|an|its|his|her|their|our)\s+)?(?:[\w-]+['’]s\s+)?", re.I)
_ORGANISATION = re.compile(r"\b(?:at|of)\s+((?:the\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)")
_LABEL = re.compile(r"\s*(?P<name>[^:\n]{3,60}?)\s*:\s+\S")
_INVERTED = re.compile(
    rf"{MASK}[,.!?]?\s*(?:said|says|added|explained|noted|continued|recalled)\s+$"
)
_AFTER_INVERTED = re.compile(r"\s+(?:of|at|from)\s+(?P<org>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*)")
_TITLE_STOPS = frozenset(
    "the a an its his her their our with by to at and said says told according from for on in as "
    "is was were be been spoke".split()
)  # fmt: skip
MAX_TITLE_WORDS = 5
MAX_NAME_WORDS = 4
_SMALL_WORDS = frozenset("a an the of to in on at for by and or with from as".split())
_ALPHA_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
TITLE_CASE = 0.8  # share of capitalised words that makes a line title case
MIN_TITLE_WORDS = 4


def title_case(text: str) -> bool:
    """True for a headline in title case, where capitals say nothing about names."""
    words = [w for w in _ALPHA_WORD.findall(text) if w.lower() not in _SMALL_WORDS]
    if len(words) < MIN_TITLE_WORDS:
        return False
    return sum(w[0].isupper() for w in words) >= TITLE_CASE * len(words)


def _is_title_word(word: str) -> bool:
    return word.lower().strip(",.") in naming().en_titles


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the name in a capitalised run, without its leading non-name words."""
    tokens = list(_TOKEN.finditer(text, start, end))
    skip = naming().not_names | naming().honorifics
    while len(tokens) > 2 and (tokens[0].group() in skip or _is_title_word(tokens[0].group())):
        tokens.pop(0)
    first = tokens[0].group()
    if first in skip or len(tokens) > MAX_NAME_WORDS:
        return None
    if _is_title_word(first) or any(_is_title_word(t.group()) for t in tokens):
        return None
    return tokens[0].start(), tokens[-1].end()


def _role_parts(role: str) -> tuple[str, str]:
    role = _DETERMINER.sub("", role.strip(), count=1)
    found = _ORGANISATION.search(role)
    return role, found.group(1) if found else ""


def is_role(phrase: str) -> bool:
    """True for an apposition that says who a person is: `head of operations at Y`,
    `the company's chief financial officer`, `who led the trial`."""
    phrase = phrase.strip()
    if phrase.lower().startswith("who "):
        return True
    words = phrase.split()
    return not _NOT_APPOSITION.match(phrase) and any(_is_title_word(w) for w in words)


def _apposition(text: str, end: int) -> NameAt | None:
    found = _APPOSITION.match(text, end)
    if found is None or not is_role(app := found.group("app").strip()):
        return None
    if app.lower().startswith("who "):
        return NameAt("", 0, 0, "apposition")
    role, organisation = _role_parts(app)
    return NameAt("", 0, 0, "apposition", role, organisation)


def _title_before(text: str, start: int) -> NameAt | None:
    words = text[:start].rstrip().rstrip(",").split()
    if not words or not _is_title_word(words[-1]):
        return None
    taken: list[str] = []
    for word in reversed(words[-MAX_TITLE_WORDS:]):
        if word.lower() in _TITLE_STOPS or not re.fullmatch(r"[A-Za-z-]+", word):
            break
        taken.insert(0, word)
    role, organisation = _role_parts(" ".join(taken))
    return NameAt("", 0, 0, "title", role, organisation)


def _honorific(text: str, start: int) -> bool:
    words = text[:start].split()
    return bool(words) and words[-1].rstrip(".") in naming().honorifics


def _inverted(text: str, start: int, end: int) -> NameAt | None:
    after = _AFTER_INVERTED.match(text, end)
    if after is None or not _INVERTED.search(text, 0, start):
        return None
    return NameAt("", 0, 0, "inverted", organisation=after.group("org"))


def _evidence(text: str, start: int, end: int) -> NameAt | None:
    found = _apposition(text, end) or _title_before(text, start)
    if found is None and _honorific(text, start):
        found = NameAt("", 0, 0, "honorific")
    return found or _inverted(text, start, end)


def names(text: str) -> list[NameAt]:
    """Names in the text with evidence that they are people's."""
    found: list[NameAt] = []
    for run in _RUN.finditer(text):
        span = _trim(text, run.start(), run.end())
        if span is None:
            continue
        evidence = _evidence(text, *span)
        if evidence is not None:
            name = text[span[0] : span[1]]
            found.append(
                NameAt(name, *span, evidence.evidence, evidence.role, evidence.organisation)
            )
    return found


def label_name(text: str) -> NameAt | None:
    """A name opening the passage before a colon: `Daniel Kowalski: …`, `Tanabe: …`."""
    found = _LABEL.match(text)
    if found is None:
        return None
    name = found.group("name")
    whole = _RUN.fullmatch(name) and _trim(name, 0, len(name)) == (0, len(name))
    single = _TOKEN.fullmatch(name) and name not in naming().not_names | naming().honorifics
    if not (whole or single) or _is_title_word(name):
        return None
    return NameAt(name, found.start("name"), found.end("name"), "label")


def full_name(word: str, texts: list[str]) -> str | None:
    """The one full name the texts write with `word` as its first or last word."""
    found = set()
    for text in texts:
        for run in _RUN.finditer(text):
            span = _trim(text, run.start(), run.end())
            tokens = _TOKEN.findall(text[span[0] : span[1]]) if span else []
            if tokens and word in (tokens[0], tokens[-1]):
                found.add(" ".join(tokens))
    return found.pop() if len(found) == 1 else None


def role_before(text: str, name: str) -> str:
    """The title words right before a name, in a headline: `Bakery Founder Keiko Tanabe`."""
    at = text.find(name)
    words = text[:at].split() if at > 0 else []
    taken: list[str] = []
    while words and _is_title_word(words[-1]):
        taken.insert(0, words.pop())
    return " ".join(taken)


def short_forms(name: str) -> list[str]:
    """The words a later mention may use alone: the family name, first or last."""
    tokens = [t.group() for t in _TOKEN.finditer(name)]
    if len(tokens) < 2:
        return []
    return [t for t in dict.fromkeys((tokens[-1], tokens[0])) if t not in naming().not_names]
