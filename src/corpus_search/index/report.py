"""What a build did: counts, and every file of the folder indexed, kept or skipped."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from corpus_search.models import FileReport, Renamed, Skipped

__all__ = ["BuildReport"]


@dataclass
class BuildReport:
    source: str
    index: str
    mode: str = "full"  # "full" or "incremental"
    files_read: int = 0  # files of a type read (see `file_reports` for every file)
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0  # articles in the index after the build
    passages: int = 0  # of the articles (re)processed
    quotes: int = 0
    attributed_quotes: int = 0
    skipped: list[Skipped] = field(default_factory=list)  # files, and records of files
    renamed: list[Renamed] = field(default_factory=list)
    file_reports: list[FileReport] = field(default_factory=list)
    max_file_mb: float = 0.0
    workers: int = 1
    seconds: float = 0.0
    fingerprint: str = ""
    shard: str | None = None  # "I/N" for a sharded build (`build --shard`)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def lines(self) -> list[str]:
        status = Counter(f.status for f in self.file_reports)
        out = [
            f"source   {self.source}",
            f"index    {self.index}",
            f"build    {self.mode}, {self.workers} worker(s)"
            + (f", shard {self.shard} (numbered from 0)" if self.shard else ""),
            f"files    {len(self.file_reports)} found: {status['indexed']} indexed, "
            f"{status['unchanged']} unchanged, {status['skipped']} skipped"
            + (f", {status['elsewhere']} on other shards" if self.shard else ""),
            f"changes  {self.added} new, {self.updated} changed, {self.removed} removed, "
            f"{self.unchanged} unchanged",
            f"articles {self.articles}",
            f"passages {self.passages}",
            f"quotes   {self.quotes} ({self.attributed_quotes} attributed)",
            f"time     {self.seconds:.2f} s",
        ]
        out += [f"file     {f}" for f in self.file_reports]
        out += [f"record   {s.source_file} {s.part}: skipped, {s.reason}" for s in self.records()]
        out += [
            f"renamed  {r.source_file}: article id {r.wanted!r} was taken, it is {r.given!r}"
            for r in self.renamed
        ]
        return out

    def records(self) -> list[Skipped]:
        """The records skipped in files otherwise indexed."""
        return [s for s in self.skipped if s.part]
