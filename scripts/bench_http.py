"""Our engine over HTTP, for scripts/benchmark: a `corpus-search serve` subprocess on
127.0.0.1, one-at-a-time requests, and a bounded concurrent load (wrk when installed,
else Python threads with keep-alive connections)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_common import Query, TreeSampler, log, percentiles

__all__ = ["Server", "cli_command", "load", "sequential", "serve"]

HOST = "127.0.0.1"


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    sampler: TreeSampler
    command: list[str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def cli_command() -> list[str]:
    """The `corpus-search` command of this environment."""
    script = Path(sys.executable).with_name("corpus-search")
    return [str(script)] if script.exists() else [sys.executable, "-m", "corpus_search.cli"]


def serve_command(index: Path, source: Path, port: int, extra: Sequence[str] = ()) -> list[str]:
    """`corpus-search serve ...` (and ``extra`` options: a backend, shards), with
    `--workers 2` only when the command offers it."""
    usage = subprocess.run(
        [*cli_command(), "serve", "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    command = [*cli_command(), "serve", "--index", str(index), "--source", str(source)]
    command += ["--host", HOST, "--port", str(port), *extra]
    if "--workers" in usage:
        command += ["--workers", "2"]
    return command


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def _wait_healthy(server: Server, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.process.returncode}")
        conn = http.client.HTTPConnection(HOST, server.port, timeout=5)
        try:
            if _get(conn, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    raise RuntimeError(f"/healthz did not answer within {seconds:.0f} s")


@contextmanager
def serve(
    index: Path, source: Path, log_file: Path, start_timeout: float, extra: Sequence[str] = ()
) -> Iterator[Server]:
    """Start the server in its own process group; kill the group on exit."""
    port = _free_port()
    command = serve_command(index, source, port, extra)
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    sampler = TreeSampler(process.pid)
    sampler.start()
    server = Server(port, process, sampler, command)
    try:
        _wait_healthy(server, start_timeout)
        yield server
    finally:
        sampler.stop()
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _found(body: bytes) -> bool:
    try:
        return int(json.loads(body).get("total", 0)) > 0
    except (ValueError, AttributeError):
        return False


def sequential(server: Server, queries: list[Query], timeout: float) -> dict[str, Any]:
    """One request at a time over all queries, on one keep-alive connection."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=timeout)
    samples: list[float] = []
    errors: Counter[str] = Counter()
    found = 0
    for n, query in enumerate(queries, 1):
        started = time.perf_counter()
        try:
            status, body = _get(conn, query.api_path())
        except (OSError, http.client.HTTPException) as exc:
            errors[type(exc).__name__] += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, server.port, timeout=timeout)
            continue
        if status != 200:
            errors[f"HTTP {status}"] += 1
            continue
        samples.append((time.perf_counter() - started) * 1000)
        found += _found(body)
        if n % 100 == 0:
            log(f"    {n}/{len(queries)} requests")
    conn.close()
    return {
        **percentiles(samples),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "found": found,
        "queries": len(queries),
    }


def load(
    server: Server, queries: list[Query], clients: int, seconds: float, work: Path
) -> dict[str, Any]:
    """``clients`` concurrent connections for ``seconds``, queries rotating."""
    wrk = shutil.which("wrk")
    if wrk:
        return _wrk(wrk, server, queries, clients, seconds, work)
    log("    wrk not found: Python client threads (they compete with the server for CPU)")
    return _python_load(server, queries, clients, seconds)


WRK_SCRIPT = """
local paths = {%s}
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  errors = 0
  i = math.floor(id * #paths / %d)
end
function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + t:get("errors") end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "non200": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, ' ..
    '"p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "mean_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, non200, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
"""


def _wrk(
    wrk: str, server: Server, queries: list[Query], clients: int, seconds: float, work: Path
) -> dict[str, Any]:
    threads = min(2, clients)
    paths = ", ".join(f'"{q.api_path()}"' for q in queries)
    script = work / "load.lua"
    script.write_text(WRK_SCRIPT % (paths, threads), "utf-8")
    command = [
        wrk,
        f"-t{threads}",
        f"-c{clients}",
        f"-d{seconds:g}s",
        "--timeout",
        "60s",
        "--latency",
        "-s",
        str(script),
        f"http://{HOST}:{server.port}",
    ]
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    match = re.search(r"^WRKJSON (.*)$", done.stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    w = json.loads(match.group(1))
    sockets = {k: w[k] for k in ("connect", "read", "write", "timeout") if w[k]}
    wall = w["duration_us"] / 1e6
    return {
        "tool": f"{version.split('[')[0].strip()} (-t{threads} -c{clients}, Lua rotation)",
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": w["requests"],
        "requests_per_s": round(w["requests"] / wall, 2) if wall else 0.0,
        "p50_ms": round(w["p50_us"] / 1000, 2),
        "p90_ms": round(w["p90_us"] / 1000, 2),
        "p99_ms": round(w["p99_us"] / 1000, 2),
        "mean_ms": round(w["mean_us"] / 1000, 2),
        "max_ms": round(w["max_us"] / 1000, 2),
        "errors": w["non200"] + sum(sockets.values()),
        "error_kinds": {**({"non-200": w["non200"]} if w["non200"] else {}), **sockets},
        "wrk_output": done.stdout,
    }


def _python_load(
    server: Server, queries: list[Query], clients: int, seconds: float
) -> dict[str, Any]:
    samples: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
        i = offset
        while time.monotonic() < stop_at:
            query = queries[i % len(queries)]
            i += 1
            started = time.perf_counter()
            try:
                status, _ = _get(conn, query.api_path())
                kind = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                kind = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
            with lock:
                if kind:
                    errors[kind] += 1
                else:
                    samples.append((time.perf_counter() - started) * 1000)
        conn.close()

    started = time.perf_counter()
    workers = [
        threading.Thread(target=client, args=(n * len(queries) // clients,)) for n in range(clients)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 90)
    wall = time.perf_counter() - started
    stats = percentiles(samples)
    total = len(samples) + sum(errors.values())
    return {
        "tool": f"python threads (http.client keep-alive, {clients} connections)",
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": total,
        "requests_per_s": round(total / wall, 2),
        **{k: stats[k] for k in ("p50_ms", "p99_ms", "mean_ms", "max_ms") if k in stats},
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
    }
