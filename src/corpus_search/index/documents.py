"""One article file -> the records of the three indexes, analysed once.

This is the work a build spreads over processes: read and hash the file, clean
it, extract its quotes, run each text once through the analyzers and lay the
resulting postings out as the article's record (with the characters of every
occurrence, for snippets and highlights) and its quotes' records.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from corpus_search.analysis import Analysed, Posting, analyse
from corpus_search.errors import IngestError
from corpus_search.index.schema import ARTICLES, QUOTES, SEPARATOR, Postings, postings
from corpus_search.ingest import parse_article, read_bytes
from corpus_search.models import Article, Quote, Skipped
from corpus_search.quotes import extract_quotes

__all__ = ["Prepared", "prepare", "digest"]

Record = dict[str, Any]


@dataclass
class Prepared:
    """A file made ready for the index, or the reason it was skipped."""

    path: str
    digest: str
    article_id: str | None = None
    skipped: Skipped | None = None
    records: dict[str, list[Record]] = field(default_factory=dict)
    passages: int = 0
    quotes: int = 0
    attributed: int = 0


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(path: Path) -> Prepared:
    """Read, clean, quote and analyse one file (never raises for a bad file)."""
    try:
        data = read_bytes(path)
    except IngestError as exc:
        return Prepared(str(path), "", skipped=Skipped(path.name, str(exc)))
    done = Prepared(str(path), digest(data))
    try:
        article = parse_article(path, data)
    except IngestError as exc:
        done.skipped = Skipped(path.name, str(exc))
        return done
    quotes = extract_quotes(article)
    done.article_id = article.id
    done.records = _records(article, quotes)
    done.passages, done.quotes = len(article.passages), len(quotes)
    done.attributed = sum(1 for q in quotes if q.speaker_id)
    return done


def _joined(parts: list[tuple[Posting, ...]], texts: list[str]) -> Postings:
    """The postings of texts read one after another, as if joined by SEPARATOR:
    positions run on, characters count from the start of the joined text."""
    out, shift, offset = Postings(), 0, 0
    for found, text in zip(parts, texts, strict=True):
        for term, pos, start, end in found:
            occurrence = (pos + shift, start + offset, end + offset)
            if (seen := out.get(term)) is None:
                out[term] = [occurrence]
            else:
                seen.append(occurrence)
        if found:
            shift += max([p[1] for p in found]) + 1
        offset += len(text) + len(SEPARATOR)
    return out


def _first_positions(parts: list[Analysed]) -> list[int]:
    """Where each passage's words start among the body's positions."""
    starts, shift = [], 0
    for a in parts:
        starts.append(shift)
        shift += max((p[1] for p in a.words), default=-1) + 1
    return starts + [shift]


def _records(article: Article, quotes: list[Quote]) -> dict[str, list[Record]]:
    title = analyse(article.title)
    passages = [analyse(p) for p in article.passages]
    passage_mentions = [a.mentions() for a in passages]
    mentioned = list(dict.fromkeys(title.mentions() + sum(passage_mentions, [])))
    common = {
        "article_id": article.id,
        "source_file": article.source_file,
        "lang": article.lang,
        "year": (article.date or "")[:4],
        "source": article.source or "",
    }
    entities = ",".join(mentioned)
    texts = list(article.passages)
    head = common | {
        "id": article.id,
        "title": postings(title.words),
        "body": _joined([a.words for a in passages], texts),
        "exact": _joined([title.chars] + [a.chars for a in passages], [article.title, *texts]),
        "entities": entities,
        "mentioned": entities.encode("utf-8"),
        "data": {
            "title": article.title,
            "date": article.date,
            "source": article.source,
            "passages": texts,
            "passage_entities": passage_mentions,
            "positions": _first_positions(passages),
        },
    }
    said = [_quote_record(common, article, passages, n, quote) for n, quote in enumerate(quotes)]
    return {ARTICLES: [head], QUOTES: said}


def _quote_record(
    common: Record, article: Article, passages: list[Analysed], number: int, quote: Quote
) -> Record:
    text = article.passages[quote.passage] if quote.passage < len(passages) else ""
    start = text.find(quote.text) if quote.text else -1
    if start >= 0:
        analysed = passages[quote.passage].within(start, start + len(quote.text))
    else:
        analysed = analyse(quote.text)
    quote = replace(quote, entities=tuple(analysed.mentions()))
    return common | {
        "id": f"{article.id}#q{number}",
        "body": postings(analysed.words),
        "exact": postings(analysed.chars),
        "entities": ",".join(quote.entities),
        "speaker_id": quote.speaker_id or "",
        "passage": quote.passage,
        "data": asdict(quote),
    }
