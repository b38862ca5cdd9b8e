"""What a build did: counts, and every file of the folder indexed, kept or skipped."""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from corpus_search.models import FileReport, Renamed, Skipped

__all__ = ["BuildReport", "cpu_time"]


def cpu_time() -> float:
    """CPU seconds of this process and of its child processes that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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
    phases: dict[str, float] = field(default_factory=dict)  # seconds of each stage
    cpu_seconds: float = 0.0  # of this process and its worker processes, during the build
    _cpu_started: float = field(default_factory=cpu_time, repr=False)

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage of the build (added to ``phases``)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = self.phases.get(name, 0.0) + time.perf_counter() - started
            self.phases[name] = round(spent, 3)

    def finish_timing(self, started: float) -> None:
        """The build's wall time since ``started`` (perf_counter), and its CPU time."""
        self.seconds = round(time.perf_counter() - started, 3)
        self.cpu_seconds = round(cpu_time() - self._cpu_started, 2)

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
            f"time     {self.seconds:.2f} s" + self._timing(),
        ]
        out += [f"file     {f}" for f in self.file_reports]
        out += [f"record   {s.source_file} {s.part}: skipped, {s.reason}" for s in self.records()]
        out += [
            f"renamed  {r.source_file}: article id {r.wanted!r} was taken, it is {r.given!r}"
            for r in self.renamed
        ]
        return out

    def _timing(self) -> str:
        if not self.cpu_seconds and not self.phases:
            return ""
        stages = ", ".join(f"{name} {spent:.2f}" for name, spent in self.phases.items())
        return f" (CPU {self.cpu_seconds:.2f} s; " + (stages or "-") + ")"

    def records(self) -> list[Skipped]:
        """The records skipped in files otherwise indexed."""
        return [s for s in self.skipped if s.part]
