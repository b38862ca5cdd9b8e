"""The Whoosh index: schema, build, atomic swap, open.

One index holds three kinds of record, told apart by the ``kind`` field:
``article`` (title + all passages; what searches rank), ``passage`` (one
paragraph; where snippets come from) and ``quote`` (one attributed quotation).

``rebuild()`` writes a complete new index into a fresh sibling directory and
then repoints the ``index_dir`` symlink at it with one atomic rename, so a
server keeps answering from the old build until the new one is whole, and a
failed build leaves the old one serving.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Composable
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import _INT_SIZE, Positions
from whoosh.index import Index
from whoosh.system import unpack_uint

from corpus_search.analysis import ENTITY_PREFIX, build_analyzer, build_exact_analyzer
from corpus_search.config import Settings
from corpus_search.errors import IndexBuildError, IndexMissingError
from corpus_search.ingest import read_folder
from corpus_search.models import Article, Quote, Skipped
from corpus_search.quotes import extract_quotes

__all__ = [
    "BuildReport",
    "build_schema",
    "open_index",
    "rebuild",
    "mentions",
    "MANIFEST",
    "fingerprint",
    "is_current",
    "read_manifest",
    "index_version",
]

MANIFEST = "manifest.json"


class OrdinalPositions(Positions):
    """Whoosh's Positions format without its legacy-format guess.

    whoosh-ng 5.4.0 decodes a posting whose varint-encoded bytes happen to end
    in 0x2E (".") as the old pickle format and fails ("unpickling stack
    underflow"), e.g. when the last position delta is 46. Our indexes are always
    written in the current format, so always decode that way."""

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return _varints(valuestring)


def _varints(valuestring: bytes) -> list[int]:
    count = unpack_uint(valuestring[:_INT_SIZE])[0]
    positions, position, cursor = [], 0, _INT_SIZE
    for _ in range(count):
        value, shift = 0, 0
        while True:
            byte = valuestring[cursor]
            cursor += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        position += value
        positions.append(position)
    return positions


def _text(analyzer: Composable, field_boost: float = 1.0) -> TEXT:
    field = TEXT(analyzer=analyzer, phrase=True, field_boost=field_boost)
    field.format = OrdinalPositions(field_boost=field_boost)
    return field


def build_schema() -> Schema:
    text = build_analyzer()
    return Schema(
        kind=ID(stored=True),
        id=ID(stored=True, unique=True),
        article_id=ID(stored=True),
        source_file=ID(stored=True),
        title=_text(text, field_boost=2.0),
        body=_text(text),
        exact=_text(build_exact_analyzer()),
        lang=ID(stored=True),
        year=ID(stored=True),
        source=ID(stored=True),
        entities=KEYWORD(stored=True, commas=True, scorable=False),
        speaker_id=ID(stored=True),
        passage=NUMERIC(stored=True),
        data=STORED(),
    )


@dataclass
class BuildReport:
    source: str
    index: str
    files_read: int = 0
    articles: int = 0
    passages: int = 0
    quotes: int = 0
    attributed_quotes: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    fingerprint: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def lines(self) -> list[str]:
        out = [
            f"source   {self.source}",
            f"index    {self.index}",
            f"files    {self.files_read} read, {len(self.skipped)} skipped",
            f"articles {self.articles}",
            f"passages {self.passages}",
            f"quotes   {self.quotes} ({self.attributed_quotes} attributed)",
            f"time     {self.seconds:.2f} s",
        ]
        out += [f"skipped  {s.source_file}: {s.reason}" for s in self.skipped]
        return out


def mentions(text: str) -> list[str]:
    """Entity ids the text names in any form, in order of first mention."""
    found = (t.text for t in build_analyzer()(text, mode="index", positions=True))
    ids = (t[len(ENTITY_PREFIX) :] for t in found if t.startswith(ENTITY_PREFIX))
    return list(dict.fromkeys(ids))


def _article_docs(article: Article, quotes: list[Quote]) -> Iterable[dict[str, object]]:
    passage_mentions = [mentions(p) for p in article.passages]
    all_mentions = list(dict.fromkeys(mentions(article.title) + sum(passage_mentions, [])))
    common = {
        "article_id": article.id,
        "source_file": article.source_file,
        "lang": article.lang,
        "year": (article.date or "")[:4],
        "source": article.source or "",
    }
    record = asdict(article) | {"entities": all_mentions, "passage_entities": passage_mentions}
    body = "\n\n".join(article.passages)
    yield common | {
        "kind": "article",
        "id": article.id,
        "title": article.title,
        "body": body,
        "exact": article.title + "\n\n" + body,
        "entities": ",".join(all_mentions),
        "data": record,
    }
    for number, passage in enumerate(article.passages):
        yield common | {
            "kind": "passage",
            "id": f"{article.id}#p{number}",
            "body": passage,
            "exact": passage,
            "entities": ",".join(passage_mentions[number]),
            "passage": number,
            "data": {"text": passage},
        }
    for number, quote in enumerate(quotes):
        quote = replace(quote, entities=tuple(mentions(quote.text)))
        yield common | {
            "kind": "quote",
            "id": f"{article.id}#q{number}",
            "body": quote.text,
            "exact": quote.text,
            "entities": ",".join(quote.entities),
            "speaker_id": quote.speaker_id or "",
            "passage": quote.passage,
            "data": asdict(quote),
        }


def rebuild(settings: Settings) -> BuildReport:
    """Read ``settings.source_dir``, build a new index and swap it in atomically."""
    started = time.perf_counter()
    target = settings.index_dir
    report = BuildReport(
        source=str(settings.source_dir.resolve()), index=str(target), fingerprint=fingerprint()
    )
    ingested = read_folder(settings.source_dir)
    report.files_read, report.skipped = ingested.files_read, list(ingested.skipped)
    if not ingested.articles:
        reasons = "; ".join(f"{s.source_file}: {s.reason}" for s in ingested.skipped[:5])
        raise IndexBuildError(
            f"no article could be read from {settings.source_dir} ({ingested.files_read} "
            f"file(s) tried{': ' + reasons if reasons else ''}); previous index kept"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fresh = Path(tempfile.mkdtemp(prefix=f"{target.name}-{stamp}-", dir=target.parent))
    try:
        _write(fresh, ingested.articles, report)
        report.seconds = round(time.perf_counter() - started, 3)
        (fresh / MANIFEST).write_text(json.dumps(report.to_dict(), default=str, indent=2), "utf-8")
        _swap(target, fresh)
    except Exception as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise IndexBuildError(f"index build failed, previous index kept: {exc}") from exc
    return report


def _write(directory: Path, articles: list[Article], report: BuildReport) -> None:
    ix = whoosh_index.create_in(str(directory), build_schema())
    with ix.writer() as writer:
        for article in articles:
            quotes = extract_quotes(article)
            for doc in _article_docs(article, quotes):
                writer.add_document(**doc)
            report.articles += 1
            report.passages += len(article.passages)
            report.quotes += len(quotes)
            report.attributed_quotes += sum(1 for q in quotes if q.speaker_id)
    ix.close()


def _swap(target: Path, fresh: Path) -> None:
    """Point ``target`` (a symlink) at ``fresh`` atomically. The build it pointed
    at before is kept (a running server may still be reading it); older ones go."""
    previous = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        # An index directory from elsewhere: move it aside, then link.
        previous = target.parent / f"{target.name}-previous-{os.getpid()}"
        target.rename(previous)
    link = target.parent / f".{target.name}.link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(fresh.name)
    os.replace(link, target)
    keep = {fresh.resolve(), previous}
    for old in target.parent.glob(f"{target.name}-*"):
        if old.is_dir() and old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


def fingerprint() -> str:
    """Changes when what the analyzer does changes: the package version and the lexicon."""
    from corpus_search import __version__

    lexicon = resources.files("corpus_search").joinpath("data/lexicon.toml").read_bytes()
    return hashlib.sha256(__version__.encode() + b"\0" + lexicon).hexdigest()[:16]


def is_current(settings: Settings) -> bool:
    """An index exists and was built by this version with this lexicon."""
    return read_manifest(settings).get("fingerprint") == fingerprint()


def open_index(settings: Settings) -> Index:
    path = settings.index_dir
    if not path.exists() or not whoosh_index.exists_in(str(path)):
        raise IndexMissingError(
            f"no index at {path}: run `corpus-search build` (or `corpus-search serve`, "
            "which builds one when missing)"
        )
    return whoosh_index.open_dir(str(path))


def read_manifest(settings: Settings) -> dict[str, object]:
    try:
        return dict(json.loads((settings.index_dir / MANIFEST).read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def index_version(settings: Settings) -> str:
    """Changes whenever a rebuild swaps in a new index."""
    path = settings.index_dir
    return os.readlink(path) if path.is_symlink() else str(path)
