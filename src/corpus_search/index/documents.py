"""One article file -> the records of the two indexes, analysed once.

This is the work a build spreads over processes: read and hash the file, read
its articles (one, or one per JSON record) and clean them, extract their quotes
and the speakers found in their text, run each text once through the analyzers
and lay the resulting postings out as each article's record (with the characters
of every occurrence, for snippets and highlights) and its quotes' records.

An article's ``entities`` are the lexicon's names the analyzer tagged in its text
and the ids of the people found in the text whom it quotes: the analyzer knows
only the lexicon, so a found person counts, in the executive facet and filter,
in the articles that quote them (see `index.people`).

A file is prepared under its own name with the ids its articles ask for, unless
the build gives it a `Job` (another name, other ids): those files the building
process prepares itself, the others go to the workers as paths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from corpus_search.analysis import Analysed, Posting, analyse, analyse_all, run_pairs
from corpus_search.errors import IngestError
from corpus_search.index.people import article_people
from corpus_search.index.schema import ARTICLES, QUOTES, SEPARATOR, Postings, postings
from corpus_search.ingest import read_bytes, read_file
from corpus_search.models import Article, FileRead, Quote, Skipped
from corpus_search.quotes import extract_quotes_and_people

__all__ = ["Job", "Prepared", "prepare", "digest"]

Record = dict[str, Any]


@dataclass(frozen=True)
class Job:
    """What the build decided for a file before reading it: its name in the index, and
    the id of each of its articles by position (None: the id the article asks for)."""

    name: str
    ids: Sequence[str | None] = ()


@dataclass
class Prepared:
    """A file made ready for the index, or the reason it was skipped."""

    path: str
    digest: str
    name: str = ""
    format: str = ""
    encoding: str = ""
    keys: list[str | None] = field(default_factory=list)  # the ids its articles ask for
    article_ids: list[str] = field(default_factory=list)  # of the articles indexed
    skipped: Skipped | None = None  # the whole file
    dropped: list[Skipped] = field(default_factory=list)  # records of it left out
    records: dict[str, list[Record]] = field(default_factory=dict)
    passages: int = 0
    quotes: int = 0
    attributed: int = 0
    people: list[Record] = field(default_factory=list)  # found in the text, per article
    data: bytes | None = None  # the bytes read, when indexed: the build keeps them

    @property
    def article_id(self) -> str | None:
        """The id of the file's first article (None: no article)."""
        return next((i for i in self.article_ids if i), None)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(path: Path, job: Job | None = None, pairs: bool = False) -> Prepared:
    """Read, clean, quote and analyse one file (never raises for a bad file); with
    ``pairs``, each record keeps its pairs of neighbouring ``exact`` terms (a Xapian
    build's: `analysis.pairs`)."""
    name = job.name if job else path.name
    try:
        data = read_bytes(path)
    except IngestError as exc:
        return Prepared(str(path), "", name, skipped=Skipped(name, str(exc)))
    done = Prepared(str(path), digest(data), name)
    try:
        read = read_file(path, data, name, job.ids if job else ())
    except IngestError as exc:
        done.skipped = Skipped(name, str(exc))
        return done
    _fill(done, read, pairs)
    done.data = data
    return done


def _fill(done: Prepared, read: FileRead, pairs: bool = False) -> None:
    done.format, done.encoding, done.dropped = read.format, read.encoding, read.skipped
    done.records = {ARTICLES: [], QUOTES: []}
    for article in read.articles:
        quotes, people = extract_quotes_and_people(article)
        done.people += article_people(people, quotes)
        for name, records in _records(article, quotes, pairs).items():
            done.records[name] += records
        done.passages += len(article.passages)
        done.quotes += len(quotes)
        done.attributed += sum(1 for q in quotes if q.speaker_id)
    done.keys = read.keys
    done.article_ids = [a.id for a in read.articles]


class _Joined:
    """The postings of texts read one after another, as if joined by SEPARATOR:
    positions run on, characters count from the start of the joined text."""

    def __init__(self, pairs: bool = False) -> None:
        self.postings, self.shift, self.offset = Postings(), 0, 0
        # With ``pairs``, the pairs of the texts joined (`analysis.pairs`).
        self.pairs: set[str] | None = set() if pairs else None
        self.last = ""  # the last term so far (the next text's first term follows it)

    def add(self, found: tuple[Posting, ...], text: str) -> None:
        if self.pairs is not None and found:
            self.pairs |= run_pairs(found, self.last if found[0][1] == 0 else "")
            self.last = found[-1][0]
        out, shift, offset = self.postings, self.shift, self.offset
        get = out.get
        for term, pos, start, end in found:
            seen = get(term)
            if seen is None:
                out[term] = [(pos + shift, start + offset, end + offset)]
            else:
                seen.append((pos + shift, start + offset, end + offset))
        if found:
            self.shift += max([p[1] for p in found]) + 1
        self.offset += len(text) + len(SEPARATOR)


@dataclass
class _Laid:
    """An article's passages laid out: the body's and ``exact``'s postings, what each
    passage names and where its words start, and the quotes' records."""

    body: _Joined
    exact: _Joined
    mentions: list[list[str]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    said: list[Record] = field(default_factory=list)


def _records(article: Article, quotes: list[Quote], pairs: bool) -> dict[str, list[Record]]:
    """The article's record and its quotes' records (with their pairs: ``pairs``)."""
    title = analyse(article.title)
    common = {
        "article_id": article.id,
        "source_file": article.source_file,
        "lang": article.lang,
        "year": (article.date or "")[:4],
        "source": article.source or "",
    }
    laid = _Laid(_Joined(), _Joined(pairs))
    laid.exact.add(title.chars, article.title)
    _lay_out(article, quotes, common, laid)
    found = (q.speaker_id for q in quotes if q.speaker_found and q.speaker_id)
    entities = ",".join(dict.fromkeys(chain(title.mentions(), *laid.mentions, found)))
    head = common | {
        "id": article.id,
        "title": postings(title.words),
        "body": laid.body.postings,
        "exact": laid.exact.postings,
        "entities": entities,
        "mentioned": entities.encode("utf-8"),
        "data": {
            "title": article.title,
            "date": article.date,
            "source": article.source,
            "passages": list(article.passages),
            "passage_entities": laid.mentions,
            "positions": laid.positions + [laid.body.shift],
        }
        | ({"url": article.url} if article.url else {}),
    }
    if laid.exact.pairs is not None:
        head["pairs"] = list(laid.exact.pairs)
    return {ARTICLES: [head], QUOTES: laid.said}


def _lay_out(article: Article, quotes: list[Quote], common: Record, laid: _Laid) -> None:
    """Analyse the passages one at a time, each analysis dropped once its postings
    and its quotes' records are laid out (a long article's analyses never all at once)."""
    quoted: dict[int, list[int]] = {}
    for number, quote in enumerate(quotes):
        quoted.setdefault(quote.passage, []).append(number)
    laid.said = [{}] * len(quotes)
    pairs = laid.exact.pairs is not None
    for index, (text, analysed) in enumerate(
        zip(article.passages, analyse_all(article.passages), strict=True)
    ):
        laid.positions.append(laid.body.shift)
        laid.body.add(analysed.words, text)
        laid.exact.add(analysed.chars, text)
        laid.mentions.append(analysed.mentions())
        for number in quoted.pop(index, []):
            quote = quotes[number]
            laid.said[number] = _quote_record(common, text, analysed, number, quote, pairs)
    for number in chain.from_iterable(quoted.values()):  # quotes of no passage
        laid.said[number] = _quote_record(common, "", None, number, quotes[number], pairs)


def _quote_record(
    common: Record,
    text: str,
    analysed: Analysed | None,
    number: int,
    quote: Quote,
    pairs: bool,
) -> Record:
    """A quote's record: its words as analysed in its passage (``text``), else alone."""
    start = text.find(quote.text) if quote.text and analysed is not None else -1
    if analysed is not None and start >= 0:
        found = analysed.within(start, start + len(quote.text))
    else:
        found = analyse(quote.text)
    entities = tuple(found.mentions())
    return (
        common
        | {
            "id": f"{common['article_id']}#q{number}",
            "body": postings(found.words),
            "exact": postings(found.chars),
            "entities": ",".join(entities),
            "speaker_id": quote.speaker_id or "",
            "passage": quote.passage,
            "data": vars(quote) | {"entities": entities},  # the quote's fields, flat
        }
        | ({"pairs": list(run_pairs(found.chars))} if pairs else {})
    )
