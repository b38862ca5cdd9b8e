"""A live server and a headless browser, for the browser test and the screenshots.

``live_server`` builds an index of a folder of articles in a temporary directory,
starts uvicorn in a subprocess on a free local port, waits for /healthz, and
stops the server on exit. ``chromium`` drives Debian's Chromium through
Playwright (the ``playwright`` package is a test dependency: imported lazily;
its own browser download, ``playwright install``, is never used).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus_search.config import Settings
from corpus_search.index import rebuild

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "SCREENSHOTS", "chromium", "live_server", "screenshots"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# (file name, path): the main pages, as the README shows them.
SCREENSHOTS = (
    ("search", "/?q=%E5%BC%B5%E5%8B%87"),
    ("article", "/articles/000_1e9703de958eb715?q=%E5%BC%B5%E5%8B%87#p2"),
    ("quotes", "/quotes?speaker=zhang-yong"),
    ("executives", "/executives"),
    ("no-results", "/?q=%E5%BC%B5%E6%B0%B8+%E7%9B%B4%E6%92%AD"),
    ("api-docs", "/docs"),
    ("search-simplified", "/?q=%E9%9B%99%E5%8D%81%E4%B8%80&script=hans"),
)
TALLEST = 1600  # px: longer pages are cut here


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def live_server(source: Path, index: Path | None = None) -> Iterator[str]:
    """Serve an index of ``source`` on 127.0.0.1; yields the base URL."""
    with tempfile.TemporaryDirectory(prefix="corpus-search-live-") as tmp:
        settings = Settings(index_dir=index or Path(tmp) / "index", source_dir=source)
        rebuild(settings)
        port = _free_port()
        env = {**os.environ, "CORPUS_SEARCH_INDEX": str(settings.index_dir)}
        command = [sys.executable, "-m", "uvicorn", "--factory", "corpus_search.web:create_app"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        process = subprocess.Popen(command, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(f"{base}/healthz", process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``) from /usr/bin/chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshots(browser: Any, base: str, folder: Path, width: int = 1280) -> list[Path]:
    """Full-page PNGs of the main pages (``SCREENSHOTS``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    saved = []
    try:
        page = context.new_page()
        page.goto(base + SCREENSHOTS[0][1])  # warm up: the first search loads the index
        for name, path in SCREENSHOTS:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            target = folder / f"{name}.png"
            height = min(TALLEST, page.evaluate("document.documentElement.scrollHeight"))
            clip = {"x": 0, "y": 0, "width": width, "height": height}
            page.screenshot(path=str(target), full_page=True, clip=clip)
            saved.append(target)
        page.goto(base + "/?script=orig")  # leave the cookie as it was found
    finally:
        context.close()
    return saved
