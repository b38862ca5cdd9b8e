"""Shared pieces of scripts/benchmark: the query list, percentiles, timeouts, and
memory of a process tree measured from /proc.

Memory: a process tree (a command and every descendant, found through the parent
ids in /proc/*/stat, looked up again every second) has its summed VmRSS (statm)
sampled every 0.1 s, slowing to once a second after ten minutes, and its summed
PSS (smaps_rollup, shared pages divided among the processes sharing them) every
second; the peak of each sum is kept. Reading PSS and walking /proc cost about
14 ms of CPU a sample with a build's three processes: at every 0.1 s that took a
seventh of a core from a two-core build (and nothing from the one-process
reference, which leaves a core idle). The sum of RSS counts pages shared by forked
workers once per process; PSS does not. For a command we also keep the kernel's
ru_maxrss from wait4: the largest single process of the tree, not a sum.
"""

from __future__ import annotations

import math
import os
import platform
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

__all__ = [
    "FILTER_KEYS",
    "MEMORY_METHOD",
    "Measured",
    "Query",
    "TreeSampler",
    "deadline",
    "load_queries",
    "log",
    "machine",
    "percentiles",
    "run_measured",
]

FILTER_KEYS = ("executive", "topic", "lang", "year", "source")
MEMORY_METHOD = (
    "process tree sampled from /proc: RSS every 0.1 s (1 s after ten minutes), PSS "
    "and the tree's members every 1 s; peak of the summed RSS and of the summed PSS "
    "over the command and all its descendants; max_process_rss_mb is wait4's "
    "ru_maxrss (largest single process)"
)
PACKAGES = ("corpus-search", "whoosh-ng", "jieba", "OpenCC", "fastapi", "uvicorn")
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def log(message: str) -> None:
    """Progress on stdout, at once."""
    print(message, flush=True)


@dataclass(frozen=True)
class Query:
    """One benchmark query: the text and its facet filters."""

    text: str
    filters: dict[str, str] = field(default_factory=dict)

    def api_path(self) -> str:
        """The /api/search path with the query and filters, URL-encoded."""
        return "/api/search?" + urlencode({"q": self.text, **self.filters})


def load_queries(path: Path, subset: int | None = None) -> list[Query]:
    """Read ``q`` or ``q<TAB>key=value&key=value`` lines; ``#`` lines are comments.
    ``subset`` keeps that many, evenly spread over the file (for quick trials)."""
    queries: list[Query] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, _, spec = line.partition("\t")
        filters = dict(pair.split("=", 1) for pair in spec.split("&") if pair)
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"{path}: unknown filter {sorted(unknown)} in {line!r}")
        queries.append(Query(text.strip(), filters))
    if len(set(queries_key(q) for q in queries)) != len(queries):
        raise ValueError(f"{path}: duplicate queries")
    if subset and subset < len(queries):
        step = len(queries) / subset
        queries = [queries[int(i * step)] for i in range(subset)]
    return queries


def queries_key(query: Query) -> tuple[str, tuple[tuple[str, str], ...]]:
    return query.text, tuple(sorted(query.filters.items()))


def percentiles(samples_ms: list[float]) -> dict[str, float | int]:
    """Nearest-rank p50/p95/p99, mean and max of latencies in milliseconds."""
    if not samples_ms:
        return {"n": 0}
    ordered = sorted(samples_ms)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {
        "n": len(ordered),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "p50_ms": round(rank(50), 2),
        "p95_ms": round(rank(95), 2),
        "p99_ms": round(rank(99), 2),
        "max_ms": round(ordered[-1], 2),
    }


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the main thread when the block runs longer than ``seconds``
    (SIGALRM: interrupts pure-Python work such as a Whoosh search)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants, as /proc shows them now."""
    children = _children()
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def _rss(pid: int) -> int:
    """RSS of one process in bytes; zero when it has gone."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss(pid: int) -> int:
    """PSS of one process in bytes (the kernel walks its pages: costly); zero when it
    has gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples a process tree's summed RSS and PSS every ``interval`` s, less often
    as a long run goes on (up to once a second after ten minutes: reading PSS costs
    CPU the measured run would otherwise have); keeps peaks per phase (``phase`` may
    be changed while it runs)."""

    SLOW_EVERY = 1.0  # s: PSS, and which processes the tree holds

    def __init__(self, root: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root, self.interval, self.phase = root, interval, "start"
        self.peaks: dict[str, dict[str, float]] = {}
        self.processes = 1
        self._stop_event = threading.Event()
        self._pids: list[int] = [root]
        self._slow_due = 0.0

    def run(self) -> None:
        started = time.monotonic()
        while not self._stop_event.is_set():
            self.sample()
            elapsed = time.monotonic() - started
            self._stop_event.wait(max(self.interval, min(1.0, elapsed / 600)))

    def sample(self) -> None:
        peak = self.peaks.setdefault(self.phase, {"rss_mb": 0.0, "pss_mb": 0.0})
        now = time.monotonic()
        if now >= self._slow_due:
            self._slow_due = now + self.SLOW_EVERY
            self._pids = tree_pids(self.root)
            self.processes = max(self.processes, len(self._pids))
            pss = sum(_pss(pid) for pid in self._pids)
            peak["pss_mb"] = max(peak["pss_mb"], round(pss / MB, 1))
        rss = sum(_rss(pid) for pid in self._pids)
        peak["rss_mb"] = max(peak["rss_mb"], round(rss / MB, 1))

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)

    def peak(self) -> dict[str, float]:
        """The peak over every phase."""
        return {
            key: max((p[key] for p in self.peaks.values()), default=0.0)
            for key in ("rss_mb", "pss_mb")
        }


@dataclass
class Measured:
    """A finished command: exit status, wall time, memory, and its output."""

    returncode: int
    wall_s: float
    peak_tree_rss_mb: float
    peak_tree_pss_mb: float
    max_process_rss_mb: float
    processes: int
    output: str

    def figures(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "output"}


def run_measured(command: list[str], log_file: Path, timeout: float) -> Measured:
    """Run ``command`` in its own process group, output to ``log_file``, sampling the
    memory of its tree; killed (group) after ``timeout`` s. Heartbeat every 30 s."""
    started = time.perf_counter()
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    sampler = TreeSampler(process.pid)
    sampler.start()
    status, usage, beat = 0, None, started + 30
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        now = time.perf_counter()
        if pid:
            break
        if now - started > timeout:
            os.killpg(process.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(process.pid, 0)
            log(f"  !! killed after {timeout:.0f} s: {' '.join(command)}")
            break
        if now > beat:
            log(f"  ... {now - started:.0f} s, tree RSS peak {sampler.peak()['rss_mb']:.0f} MB")
            beat += 30
        time.sleep(0.05)
    wall = time.perf_counter() - started
    sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    peak = sampler.peak()
    return Measured(
        returncode=process.returncode,
        wall_s=round(wall, 3),
        peak_tree_rss_mb=peak["rss_mb"],
        peak_tree_pss_mb=peak["pss_mb"],
        max_process_rss_mb=round(usage.ru_maxrss / 1024, 1) if usage else 0.0,
        processes=sampler.processes,
        output=log_file.read_text("utf-8", errors="replace"),
    )


def machine(root: Path) -> dict[str, Any]:
    """CPU, cores, RAM, OS, Python, package versions and the code's git commit."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": model,
        "cores": len(os.sched_getaffinity(0)),
        "ram_gb": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "git": _git(root),
    }


def _git(root: Path) -> dict[str, Any]:
    """The commit of ``root``, uncommitted changes under src/, and where the engine
    measured was imported from (PYTHONPATH may point at another checkout)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    import corpus_search

    changed = git("status", "--porcelain", "--", "src").splitlines()
    return {
        "commit": git("rev-parse", "HEAD"),
        "src_changes": len(changed),
        "engine": str(Path(corpus_search.__file__).parent),
        "pythonpath": os.environ.get("PYTHONPATH", ""),
    }
