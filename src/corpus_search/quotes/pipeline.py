"""The quote stage: Article -> list[Quote], passage by passage.

1. `interview.roles` marks questions, answers and headings; an answer
   passage is its speaker's speech, minus the quoted names inside it.
2. In every other passage each quoted span is checked for a speaker
   (`chinese` or `english` rules); a span that begins the passage with no
   speaker goes to the person who was speaking at the end of the passage
   before, or, when it speaks in the first person, to the one person that
   passage names.
3. Reported speech (`表示,…`, `said that …`) is taken from the same passages.
4. A quotation that is never closed goes on into the next passages while
   they name nobody and quote nobody.

Names, slogans and short terms never get a speaker; quoted sentences with
no speaker are kept with speaker None; when unsure, the speaker stays None.

Speakers are the lexicon's people and the people `cast.find_cast` finds in
the article by the shape of the text; the latter are returned as `Person`
records beside the quotes.
"""

from __future__ import annotations

import re

from corpus_search.lexicon import Entity, Lexicon
from corpus_search.models import Article, Quote
from corpus_search.normalise import canonical_keys
from corpus_search.quotes import chinese, english
from corpus_search.quotes.cast import Cast, find_cast
from corpus_search.quotes.cues import FIRST_PERSON
from corpus_search.quotes.doc import Doc, Found, is_chinese, speakers_for
from corpus_search.quotes.interview import ANSWER, OTHER, Role, is_heading, roles
from corpus_search.quotes.marks import MASK, QuotedSpan, segments
from corpus_search.quotes.people import Person
from corpus_search.quotes.speakers import sentence_at
from corpus_search.quotes.terms import is_name, is_sentence

__all__ = ["extract"]

_FIRST_PERSON = re.compile(FIRST_PERSON)
MAX_CONTINUATION = 2  # passages an unclosed quotation may run on into
# Speech cut around a quoted name leaves pieces; shorter ones (可以說是) say nothing alone.
MIN_PIECE = 6
_WORD_CHARS = re.compile(r"\w")


def extract(article: Article, lexicon: Lexicon) -> tuple[list[Quote], list[Person]]:
    """The article's quotes, and the people found in its text who speak in them."""
    doc = Doc.build(article.passages, speakers_for(lexicon), article.title)
    cast = find_cast(doc.title, doc.masked, lexicon, article.id)
    doc = doc.with_people(cast.forms)
    found: list[Found] = []
    for index, role in enumerate(roles(doc)):
        if role.kind == ANSWER:
            found += _answer(doc, index, role, lexicon)
        elif role.kind == OTHER:
            found += _continuation(doc, index, found) or _narrative(doc, index, lexicon, found)
    quotes = [_quote(article, doc, f, cast) for f in _dedupe(doc, found)]
    speaking = dict.fromkeys(q.speaker_id for q in quotes if q.speaker_found)
    return quotes, [cast.people[i] for i in speaking if i is not None]


def _answer(doc: Doc, index: int, role: Role, lexicon: Lexicon) -> list[Found]:
    text, spans = doc.texts[index], list(doc.spans[index])
    speech = [
        Found(index, a, b, role.speaker, "interview")
        for a, b in segments(text, role.start, len(text), spans)
        if len(_WORD_CHARS.findall(text[a:b])) >= MIN_PIECE
    ]
    return speech + _unspoken(doc, index, lexicon)


def _unspoken(doc: Doc, index: int, lexicon: Lexicon) -> list[Found]:
    """Quoted sentences inside someone's speech: not their words, no speaker."""
    text = doc.texts[index]
    return [
        Found(index, *piece, None, "quoted")
        for span in doc.top_spans(index)
        if not is_name(text, span, lexicon) and is_sentence(span.words(text))
        for piece in _pieces(doc, index, span)
    ]


def _pieces(doc: Doc, index: int, span: QuotedSpan) -> list[tuple[int, int]]:
    inner = [s for s in doc.spans[index] if s.depth > span.depth]
    return segments(doc.texts[index], span.start, span.text_end, inner, min_words=1)


def _narrative(doc: Doc, index: int, lexicon: Lexicon, found: list[Found]) -> list[Found]:
    text, spans = doc.texts[index], list(doc.spans[index])
    rules = chinese if is_chinese(text) else english
    result: list[Found] = []
    for span in doc.top_spans(index):
        result += _quoted(doc, index, span, lexicon, [*found, *result])
    for start, end, who in rules.reported_clauses(doc, index):
        result += [
            Found(index, a, b, who, "reported") for a, b in segments(text, start, end, spans)
        ]
    return sorted(result, key=lambda f: f.start)


def _quoted(
    doc: Doc, index: int, span: QuotedSpan, lexicon: Lexicon, found: list[Found]
) -> list[Found]:
    text = doc.texts[index]
    if is_name(text, span, lexicon):
        return []
    words = span.words(text)
    speaker, rule = _link(doc, index, span)
    if rule == "clause" and not is_sentence(words):
        speaker = None
    if rule == "none" and is_sentence(words):
        speaker, rule = _follows(doc, index, span, words, found), "follows"
    if speaker is None and not is_sentence(words):
        return []
    return [
        Found(index, a, b, speaker, rule, open_ended=not span.closed)
        for a, b in _pieces(doc, index, span)
    ]


def _link(doc: Doc, index: int, span: QuotedSpan) -> tuple[Entity | None, str]:
    """The speaker the sentence links to the quotation, and how."""
    if is_chinese(doc.texts[index]):
        before = chinese.speaker_before(doc, index, span)
        after = chinese.speaker_after(doc, index, span)
        who, immediate = before if before else (None, False)
    else:
        who, after = (
            english.speaker_before(doc, index, span),
            english.speaker_after(doc, index, span),
        )
        immediate = who is not None
    if after is not None and who is not None and after.id != who.id:
        return None, "conflict"
    if after is not None:
        return after, "immediate"
    if who is None:
        return None, "none"
    return who, "immediate" if immediate else "clause"


def _follows(
    doc: Doc, index: int, span: QuotedSpan, words: str, found: list[Found]
) -> Entity | None:
    """Who a quotation opening a sentence, with no speaker or speech verb of its own,
    belongs to: the speaker of the quotation before it in the passage, or of the
    passage before; never when the passage names someone else."""
    text = doc.masked[index]
    start, end = sentence_at(text, span.open)
    if text[start : span.open].strip() or _speech_verb(text[start:end].replace(MASK, " ")):
        return None
    if text[: span.open].strip():
        last = found[-1] if found else None
        same = last is not None and last.passage == index and last.end <= span.open
        who = last.speaker if same and last is not None else None
    else:
        who = _previous_speaker(doc, index, words, found)
    named = {m.entity.id for m in doc.speakers.names(text) if m.entity is not None}
    return who if who is not None and named <= {who.id} else None


def _speech_verb(text: str) -> bool:
    return chinese.has_speech_verb(text) or english.has_speech_verb(text)


def _previous_speaker(doc: Doc, index: int, words: str, found: list[Found]) -> Entity | None:
    """Who a quotation opening a passage, with no speaker of its own, belongs to."""
    if index == 0:
        return None
    last = found[-1] if found else None
    if last is not None and last.passage == index - 1 and last.speaker is not None:
        return last.speaker
    if not _FIRST_PERSON.search(words):
        return None
    return doc.antecedent(index - 1, len(doc.masked[index - 1]), lookback=0)


def _continuation(doc: Doc, index: int, found: list[Found]) -> list[Found]:
    """The next passage of a quotation never closed, while it quotes and names nobody."""
    last = found[-1] if found else None
    if last is None or not last.open_ended or last.speaker is None or last.passage != index - 1:
        return []
    run = next((n for n, f in enumerate(reversed(found)) if f.rule != "continued"), len(found))
    text = doc.texts[index]
    if run >= MAX_CONTINUATION or doc.spans[index] or doc.speakers.names(text):
        return []
    if is_heading(text) or chinese.has_speech_verb(text) or english.has_speech_verb(text):
        return []
    return [
        Found(index, a, b, last.speaker, "continued", open_ended=True)
        for a, b in segments(text, 0, len(text), [])
    ]


def _dedupe(doc: Doc, found: list[Found]) -> list[Found]:
    """Each text once per speaker (articles repeat captions and paragraphs), in any
    script: texts compared by their canonical keys, converted in one call."""
    texts = [doc.texts[f.passage][f.start : f.end] for f in found]
    seen: set[tuple[str, str]] = set()
    kept: list[Found] = []
    for item, key in zip(found, canonical_keys(texts), strict=True):
        said = (item.speaker.id if item.speaker else "", key)
        if said not in seen:
            seen.add(said)
            kept.append(item)
    return kept


def _quote(article: Article, doc: Doc, found: Found, cast: Cast) -> Quote:
    who = found.speaker
    return Quote(
        text=doc.texts[found.passage][found.start : found.end],
        article_id=article.id,
        source_file=article.source_file,
        passage=found.passage,
        speaker_id=who.id if who else None,
        speaker=who.name if who else None,
        speaker_en=who.name_en if who else None,
        speaker_role=(who.title or None) if who else None,
        speaker_found=cast.is_found(who),
    )
