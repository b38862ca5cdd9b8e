"""The index's life: one build at a time, swaps that delete only their own
leftovers, killed builds, and a server that keeps answering through rebuilds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from corpus_search.browser import _free_port, _wait
from corpus_search.config import Settings
from corpus_search.errors import BuildLockedError, IndexMissingError, NotFoundError
from corpus_search.index import build_lock, index_problem, live_directory, rebuild
from corpus_search.index.store import (
    BUILT_HERE,
    MANIFEST,
    RETIRED,
    fresh_directory,
    swap,
    write_manifest,
)
from corpus_search.search import SearchService
from support import ROOT, SEEDS

CLI = [sys.executable, "-m", "corpus_search.cli"]


def copies(folder: Path, rounds: int) -> Path:
    """The seed articles ``rounds`` times over, under different names."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(rounds):
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / f"r{n:02d}-{seed.name}").write_bytes(seed.read_bytes())
    return folder


def built(tmp_path: Path, rounds: int = 1) -> Settings:
    settings = Settings(index_dir=tmp_path / "ix", source_dir=copies(tmp_path / "src", rounds))
    rebuild(settings)
    return settings


def cli_build(settings: Settings, *extra: str) -> subprocess.Popen[str]:
    command = [*CLI, "build", "--source", str(settings.source_dir)]
    command += ["--index", str(settings.index_dir), *extra]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )


# -- one build at a time ------------------------------------------------------------


def test_a_second_build_is_told_another_is_running(tmp_path: Path) -> None:
    settings = built(tmp_path)
    with build_lock(settings.index_dir):
        with pytest.raises(BuildLockedError, match=f"another build .*pid {os.getpid()},"):
            rebuild(settings, full=True)
    assert rebuild(settings, full=True).articles == 5  # released: builds again


def test_the_lock_holds_across_processes_and_dies_with_its_holder(tmp_path: Path) -> None:
    settings = built(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from corpus_search.index import build_lock\n"
            "with build_lock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(60)",
            str(settings.index_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        second = cli_build(settings, "--full")
        output, _ = second.communicate(timeout=120)
        assert second.returncode != 0
        assert "another build of the index" in output and "Traceback" not in output
    finally:
        holder.kill()  # SIGKILL: the kernel releases the lock with the process
        holder.wait(timeout=30)
    third = cli_build(settings, "--full")
    output, _ = third.communicate(timeout=300)
    assert third.returncode == 0, output


def test_two_builds_started_at_once(tmp_path: Path) -> None:
    settings = built(tmp_path, rounds=4)
    runs = [cli_build(settings, "--full") for _ in range(2)]
    outputs = [r.communicate(timeout=300)[0] for r in runs]
    codes = [r.returncode for r in runs]
    assert 0 in codes, outputs
    for code, output in zip(codes, outputs, strict=True):
        assert "Traceback" not in output
        if code != 0:
            assert "another build of the index" in output
    assert index_problem(settings) is None
    assert SearchService(settings).health()["articles"] == 20


# -- what a swap deletes ------------------------------------------------------------


def test_a_swap_deletes_only_what_builds_made(tmp_path: Path) -> None:
    settings = built(tmp_path)
    parent = settings.index_dir.parent
    backup = parent / "ix-backup"  # a user's copy, even with a manifest
    backup.mkdir()
    (backup / MANIFEST).write_text("{}", "utf-8")
    lookalike = parent / "ix-20200101-000000-abcdefgh"  # our name, not our marker
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("mine", "utf-8")
    killed = fresh_directory(settings.index_dir)  # a killed build: marker, no manifest
    assert (killed / BUILT_HERE).exists()
    for _ in range(3):
        rebuild(settings, full=True)
    assert (backup / MANIFEST).exists() and (lookalike / "notes.txt").exists()
    assert not killed.exists()
    builds = [p for p in parent.glob("ix-2*") if (p / BUILT_HERE).exists()]
    assert len(builds) == 4  # the live one, and three replaced ones kept for a while


def test_replaced_builds_go_once_no_request_can_still_be_reading_them(tmp_path: Path) -> None:
    settings = built(tmp_path)
    first = live_directory(settings)
    rebuild(settings, full=True)
    second = live_directory(settings)
    assert first is not None and (first / RETIRED).exists()
    long_ago = time.time() - 3600
    os.utime(first / RETIRED, (long_ago, long_ago))
    rebuild(settings, full=True)
    assert not first.exists()  # retired an hour ago: gone
    assert second is not None and second.exists()  # just replaced: kept


# -- damaged and killed builds ------------------------------------------------------


def test_a_damaged_index_is_a_clear_error_and_serve_rebuilds_it(tmp_path: Path) -> None:
    settings = built(tmp_path)
    directory = live_directory(settings)
    assert directory is not None
    for segment in directory.glob("articles_*.seg"):
        segment.write_bytes(b"\0" * 64)
    problem = index_problem(settings)
    assert problem is not None and "cannot be read" in problem and "build --full" in problem
    with pytest.raises(IndexMissingError, match="cannot be read"):
        SearchService(settings).search("張勇")
    port = _free_port()
    command = [*CLI, "serve", "--index", str(settings.index_dir), "--port", str(port)]
    command += ["--source", str(settings.source_dir), "--workers", "1"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", server, seconds=120)  # type: ignore[arg-type]
        assert _get(f"http://127.0.0.1:{port}/healthz")["articles"] == 5
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "cannot be read" in output and "Traceback" not in output


def test_a_build_killed_at_any_point_leaves_the_index_serving(tmp_path: Path) -> None:
    settings = built(tmp_path, rounds=1)
    copies(settings.source_dir, 12)  # 60 articles
    # Killed early, midway and late: at parts of what the same build takes here.
    started = time.monotonic()
    timing = cli_build(settings.with_paths(index=tmp_path / "timing"), "--workers", "2")
    output = timing.communicate(timeout=300)[0]
    assert timing.returncode == 0, output
    took = time.monotonic() - started
    service = SearchService(settings)
    before = service.search("張勇").total
    for part in (0.1, 0.35, 0.6):
        run = cli_build(settings, "--full", "--workers", "2")
        stop = time.monotonic() + part * took
        while time.monotonic() < stop:
            assert service.search("張勇").total == before  # answering throughout
            time.sleep(0.05)
        os.kill(run.pid, signal.SIGKILL)  # the build alone: its workers must follow
        run.wait(timeout=30)
        _gone(run.pid)
        assert service.health()["articles"] == 5
        assert service.search("张勇").total == before
    report = rebuild(settings, full=True)  # the lock died with the killed build
    assert report.articles == 60
    assert service.health()["articles"] == 60
    unfinished = [
        p
        for p in settings.index_dir.parent.glob("ix-*")
        if (p / BUILT_HERE).exists() and not (p / MANIFEST).exists()
    ]
    assert unfinished == []  # the killed builds' leftovers are gone


def _gone(group: int, seconds: float = 30) -> None:
    """Wait until every process of the killed build's group has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)
    raise AssertionError("a killed build's workers kept running")


# -- a server under load while builds swap ------------------------------------------


def distinct_queries(count: int) -> list[str]:
    words = (ROOT / "scripts" / "bench_queries.txt").read_text("utf-8").split("\n")
    words = [w.strip() for w in words if w.strip() and not w.startswith("#")]
    queries = list(dict.fromkeys(words))
    for a in words:
        for b in words[:40]:
            if len(queries) >= count:
                return queries[:count]
            queries.append(f"{a} {b}")
    return queries[:count]


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return dict(json.loads(response.read()))


def _status(base: str, q: str) -> int:
    url = f"{base}/api/search?{urllib.parse.urlencode({'q': q})}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            json.loads(response.read())
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return -1


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Settings, str]]:
    settings = built(tmp_path)
    port = _free_port()
    command = [*CLI, "serve", "--index", str(settings.index_dir), "--port", str(port)]
    process = subprocess.Popen([*command, "--workers", "2"], start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/healthz", process, seconds=120)  # type: ignore[arg-type]
        yield settings, base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _load(base: str, queries: list[str], action: object) -> Counter[int]:
    """``queries`` sent by 16 clients while ``action()`` runs; the status codes."""
    with ThreadPoolExecutor(16) as pool:
        answers = pool.map(lambda q: _status(base, q), queries)
        action()  # type: ignore[operator]
        return Counter(answers)


def test_2000_requests_while_the_index_is_rebuilt_twice(server: tuple[Settings, str]) -> None:
    settings, base = server
    copies(settings.source_dir, 3)

    def rebuild_twice() -> None:
        rebuild(settings, full=True)
        rebuild(settings, full=True)

    statuses = _load(base, distinct_queries(2000), rebuild_twice)
    assert set(statuses) <= {200, 400}, statuses  # no 5xx, no dropped connection
    assert statuses[200] >= 1900  # a few queries may be refused as malformed
    assert _get(f"{base}/healthz")["articles"] == 15


def test_100_swaps_under_load(server: tuple[Settings, str]) -> None:
    settings, base = server

    def swap_100_times() -> None:
        for _ in range(100):
            live = live_directory(settings)
            fresh = fresh_directory(settings.index_dir, live)
            manifest = json.loads((live / MANIFEST).read_text("utf-8"))  # type: ignore[operator]
            write_manifest(fresh, manifest)
            with build_lock(settings.index_dir):
                swap(settings.index_dir, fresh)

    statuses = _load(base, distinct_queries(1500), swap_100_times)
    assert set(statuses) <= {200, 400} and statuses[200] >= 1400, statuses


# -- /sources/ serves what was indexed ----------------------------------------------


def test_sources_are_the_bytes_the_build_read(tmp_path: Path) -> None:
    settings = built(tmp_path)
    service = SearchService(settings)
    first = sorted(settings.source_dir.iterdir())[0]
    indexed = first.read_bytes()
    first.write_bytes(indexed + "\n後來加上的一行。".encode())  # edited after the build
    assert service.raw_source(first.name) == indexed
    gone = sorted(settings.source_dir.iterdir())[1]
    kept = gone.read_bytes()
    gone.unlink()  # deleted after the build: the build still has what it indexed
    assert service.raw_source(gone.name) == kept
    rebuild(settings)  # incremental: the edit is read, the deleted file leaves
    assert service.raw_source(first.name) == first.read_bytes()
    with pytest.raises(NotFoundError):
        service.raw_source(gone.name)
    live = live_directory(settings)
    assert live is not None and len(list((live / "sources").iterdir())) == 4
