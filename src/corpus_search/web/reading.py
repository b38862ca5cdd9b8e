"""Page contexts for reading: one article with its quotes marked, and quote cards.

Like ``pages.py``, everything a template shows is computed here: the passages as
HTML (query matches in ``<mark>``, quotations wrapped and numbered, each with a
margin note naming its speaker), the links, and the script conversion.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any
from urllib.parse import quote as percent_encode

from fastapi import Request
from markupsafe import Markup

from corpus_search.errors import QueryError
from corpus_search.models import Quote, QuoteResults
from corpus_search.search import ArticleView, SearchService
from corpus_search.web.annotate import Wrap, find_quotes, wrap_spans
from corpus_search.web.pages import LANG_LABELS, Link, entity_link, paging, url
from corpus_search.web.params import check_query
from corpus_search.web.script import Converter
from corpus_search.web.views import article_url

__all__ = [
    "ArticlePage",
    "PassageView",
    "QuoteNote",
    "QuotesPage",
    "QuoteCard",
    "article_context",
    "quotes_context",
    "load_article",
]

EXCERPT = 22  # characters of a quote repeated in its margin note
SPEAKER_COLOURS = 6
QUOTES_PER_PAGE = 20
# The speaker picker lists at most this many (those quoted most): at 10,000 news
# articles a thousand people are quoted, and listing them all made the page 200 KB.
SPEAKERS_LISTED = 60


def _speaker_classes(quotes: list[Quote]) -> dict[str | None, str]:
    """A colour class per speaker, in order of first appearance (spk-0: no speaker)."""
    order = list(dict.fromkeys(q.speaker_id for q in quotes if q.speaker_id))
    classes: dict[str | None, str] = {None: "spk-0"}
    classes.update({s: f"spk-{i % SPEAKER_COLOURS + 1}" for i, s in enumerate(order)})
    return classes


def _speaker_link(service: SearchService, display: Converter, quote: Quote) -> Link | None:
    entity = service.lexicon.entities.get(quote.speaker_id or "")
    if entity is not None:
        return entity_link(display, entity, url("/quotes", speaker=entity.id))
    if quote.speaker:
        return Link(display.text(quote.speaker), "", display.lang("zh-Hant"))
    return None


# -- article ----------------------------------------------------------------------


@dataclass
class QuoteNote:
    number: int
    anchor: str  # id of the note ("q3")
    speaker: Link | None
    colour: str  # css class of the speaker
    excerpt: str
    lang: str
    continued: bool  # the same speaker as the note before


@dataclass
class PassageView:
    number: int
    anchor: str  # id of the paragraph ("p7")
    html: Markup
    notes: list[QuoteNote]
    matched: bool


@dataclass
class ArticlePage:
    title: str
    lang: str  # `lang` of the text as shown
    lang_code: str  # the article's language as written
    lang_label: str
    source: str
    date: str
    source_file: str
    raw_url: str
    json_url: str
    query: str
    query_label: str  # the query as shown, in the chosen script
    back_url: str | None
    matches: int  # paragraphs with a match
    first_match_url: str | None
    executives: list[Link]
    topics: list[Link]
    speakers: list[Link]  # who is quoted here, with counts
    quote_count: int
    passages: list[PassageView]
    query_note: str = ""  # why the query is not highlighted (stop words alone …)


def _note(
    service: SearchService,
    display: Converter,
    quote: Quote,
    number: int,
    colour: str,
    previous: str | None,
    lang: str,
) -> QuoteNote:
    text = quote.text if len(quote.text) <= EXCERPT else quote.text[:EXCERPT].rstrip() + "…"
    return QuoteNote(
        number=number,
        anchor=f"q{number}",
        speaker=_speaker_link(service, display, quote),
        colour=colour,
        excerpt=display.text(text),
        lang=lang,
        continued=bool(quote.speaker_id) and quote.speaker_id == previous,
    )


def _passages(
    service: SearchService, display: Converter, view: ArticleView, lang: str
) -> list[PassageView]:
    texts: list[str] = view.record["passages"]
    html = view.highlighted or [escape(p) for p in texts]
    colours = _speaker_classes(view.quotes)
    by_passage: dict[int, list[Quote]] = {}
    for quote in view.quotes:
        by_passage.setdefault(quote.passage, []).append(quote)
    passages, number, previous = [], 0, None
    for n, text in enumerate(texts):
        quotes = by_passage.get(n, [])
        spans = find_quotes(text, [q.text for q in quotes])
        placed = sorted(
            ((span, q) for span, q in zip(spans, quotes, strict=True)),
            key=lambda x: x[0][0] if x[0] else len(text),
        )
        wraps, notes = [], []
        for span, quote in placed:
            number += 1
            colour = colours.get(quote.speaker_id, "spk-0")
            notes.append(_note(service, display, quote, number, colour, previous, lang))
            previous = quote.speaker_id
            if span:
                who = escape(quote.speaker or "unattributed")
                wraps.append(
                    Wrap(
                        span[0],
                        span[1],
                        f'<span class="quoted {colour}">',
                        f'</span><a class="qref {colour}" href="#q{number}" '
                        f'aria-label="quote {number}, {who}">{number}</a>',
                    )
                )
        marked = wrap_spans(html[n], wraps) if wraps else html[n]
        passages.append(PassageView(n, f"p{n}", display.html(marked), notes, "<mark>" in html[n]))
    return passages


def load_article(service: SearchService, article_id: str, query: str) -> tuple[ArticleView, str]:
    """The article with the query marked; a query that cannot be searched (stop words
    alone, punctuation) leaves the article unmarked, with the reason why."""
    try:
        check_query(service, query)
        return service.article(article_id, query or None), ""
    except QueryError as exc:
        return service.article(article_id), str(exc)


def article_context(
    request: Request,
    service: SearchService,
    display: Converter,
    view: ArticleView,
    query: str,
    note: str = "",
) -> ArticlePage:
    record = view.record
    lang = display.lang(record["lang"])
    passages = _passages(service, display, view, lang)
    matched = [p for p in passages if p.matched]
    said = Counter(q.speaker_id for q in view.quotes if q.speaker_id)
    speakers = [
        entity_link(display, e, url("/quotes", speaker=e.id), n)
        for s, n in said.most_common()
        if (e := service.lexicon.entities.get(s or ""))
    ]
    return ArticlePage(
        title=display.text(record["title"]),
        lang=lang,
        lang_code=record["lang"],
        lang_label=display.text(LANG_LABELS.get(record["lang"], record["lang"])),
        source=display.text(record.get("source")),
        date=record.get("date") or "",
        source_file=record["source_file"],
        raw_url="/sources/" + percent_encode(record["source_file"], safe="/"),
        json_url="/api/articles/" + percent_encode(record["id"], safe=""),
        query=query,
        query_label=display.text(query),
        back_url=url("/", q=query) if query else None,
        matches=len(matched),
        first_match_url=f"#{matched[0].anchor}" if matched else None,
        executives=[entity_link(display, e, url("/quotes", speaker=e.id)) for e in view.executives],
        topics=[entity_link(display, e, url("/", q=e.name)) for e in view.topics],
        speakers=speakers,
        quote_count=len(view.quotes),
        passages=passages,
        query_note=note,
    )


# -- quotes ----------------------------------------------------------------------


@dataclass
class QuoteCard:
    text: Markup  # escaped, with the query's matches marked
    lang: str
    speaker: Link | None
    colour: str
    article_title: str
    article_lang: str
    article_url: str  # to the passage, with the query highlighted
    where: str  # "¶ 7"
    date: str


@dataclass
class QuotesPage:
    title: str
    query: str
    query_label: str
    speaker_id: str | None
    speaker: Link | None
    total: int
    range_label: str
    speakers: list[Link]  # the picker: everyone, with their quote counts
    unlisted_speakers: int  # ... but for these, with fewer quotes
    cards: list[QuoteCard]
    pages: list[Link]
    prev_url: str | None
    next_url: str | None
    json_url: str
    past_end: Link | None = None  # a page past the last: the way back to the last one
    missing_shards: list[str] = field(default_factory=list)  # shards that did not answer


def _cards(service: SearchService, display: Converter, results: QuoteResults) -> list[QuoteCard]:
    records = service.articles_meta([q.article_id for q in results.quotes])
    colours = _speaker_classes(results.quotes)
    marked = service.highlight([q.text for q in results.quotes], results.query)
    cards = []
    for quote, html in zip(results.quotes, marked, strict=True):
        record = records.get(quote.article_id) or {"lang": "", "title": "", "date": None}
        lang = display.lang(record["lang"])
        cards.append(
            QuoteCard(
                text=display.html(html),
                lang=lang,
                speaker=_speaker_link(service, display, quote),
                colour=colours.get(quote.speaker_id, "spk-0"),
                article_title=display.text(record["title"]),
                article_lang=lang,
                article_url=url(article_url(quote.article_id), q=results.query)
                + f"#p{quote.passage}",
                where=f"¶ {quote.passage}",
                date=record.get("date") or "",
            )
        )
    return cards


def _picker(
    service: SearchService, display: Converter, results: QuoteResults
) -> tuple[list[Link], int]:
    """Everyone quoted, with their counts, the current speaker (or everyone) marked: the
    SPEAKERS_LISTED quoted most (and the current one, wherever it falls), in the order
    the executives page gives; and how many more are not listed."""
    people = service.executives()
    everyone = sum(p.quotes for p in people)
    chosen = results.speaker in service.lexicon.entities
    picker = [Link("All speakers", url("/quotes", q=results.query), None, everyone, not chosen)]
    most = sorted(range(len(people)), key=lambda n: -people[n].quotes)[:SPEAKERS_LISTED]
    listed = set(most) | {n for n, p in enumerate(people) if p.entity.id == results.speaker}
    for n in sorted(listed):
        entity = people[n].entity
        link = entity_link(
            display, entity, url("/quotes", q=results.query, speaker=entity.id), people[n].quotes
        )
        picker.append(replace(link, current=entity.id == results.speaker))
    return picker, len(people) - len(listed)


def quotes_context(
    request: Request,
    service: SearchService,
    display: Converter,
    results: QuoteResults,
    per_page: int = QUOTES_PER_PAGE,
) -> QuotesPage:
    params: dict[str, Any] = {
        "q": results.query,
        "speaker": results.speaker,
        "per_page": per_page if per_page != QUOTES_PER_PAGE else None,
    }
    entity = service.lexicon.entities.get(results.speaker or "")
    speaker = entity_link(display, entity, url("/quotes", speaker=entity.id)) if entity else None
    speakers, unlisted = _picker(service, display, results)
    return QuotesPage(
        title=f"Quotes of {speaker.label}" if speaker else "Quotes",
        query=results.query,
        query_label=display.text(results.query),
        speaker_id=results.speaker,
        speaker=speaker,
        total=results.total,
        speakers=speakers,
        unlisted_speakers=unlisted,
        cards=_cards(service, display, results),
        json_url=url("/api/quotes", **params, page=results.page),
        missing_shards=results.missing_shards,
        **paging(
            "/quotes", params, results.page, results.per_page, results.total, len(results.quotes)
        ),
    )
