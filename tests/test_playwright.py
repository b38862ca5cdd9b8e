"""The search UI in a real browser: Debian's headless Chromium against a live server.

Runs only with ``pytest --playwright`` (see conftest.py). The server is uvicorn in
a subprocess on a free port, serving an index of the seeds built in a temporary
directory (``corpus_search.browser.live_server``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus_search.browser import CHROMIUM, SCREENSHOTS, chromium, live_server, screenshots
from support import SEEDS

pytestmark = pytest.mark.playwright


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with live_server(SEEDS) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser")
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    # What the Content-Security-Policy blocks (an inline style or script) and any
    # script error reach the console: a page must log none.
    complaints: list[str] = []
    tab.on("console", lambda m: complaints.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda error: complaints.append(str(error)))
    yield tab
    context.close()
    outside = [u for u in requested if not u.startswith(server)]
    assert not outside, f"requests left the server: {outside}"
    blocked = [c for c in complaints if "404" not in c]  # 404s are tested on purpose
    assert not blocked, f"the browser console reported: {blocked}"


def total(tab: Any) -> int:
    return int(tab.locator(".summary strong").inner_text())


def test_search_facet_article_script_and_quotes(page: Any, server: str) -> None:
    tab = page
    tab.goto("/")
    # "/" focuses the search box
    tab.evaluate("document.activeElement.blur()")
    tab.keyboard.press("/")
    assert tab.evaluate("document.activeElement.id") == "q"
    tab.keyboard.type("張勇")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/\?q=%E5%BC%B5%E5%8B%87"))
    assert tab.locator("#q").input_value() == "張勇"
    marks = tab.locator("li.hit mark")
    assert marks.count() > 0 and marks.first.inner_text() == "張勇"
    everything = total(tab)

    # a facet narrows the results, and the URL says how
    tab.locator("section.facet a", has_text="Jiang Fan").click()
    tab.wait_for_url(re.compile(r"executive=jiang-fan"))
    assert "q=%E5%BC%B5%E5%8B%87" in tab.url
    assert 0 < total(tab) < everything
    assert tab.locator(".chips a.chip").count() == 1

    # a snippet opens the article at its paragraph, the query highlighted
    snippet = tab.locator("ul.snippets a").first
    anchor = snippet.get_attribute("href").split("#")[1]
    snippet.click()
    tab.wait_for_url(re.compile(rf"/articles/\w+\?q=.*#{anchor}$"))
    assert tab.evaluate("document.querySelector(':target').id") == anchor
    target = tab.locator(f"#{anchor}")
    assert target.locator("mark").count() > 0
    assert target.is_visible()
    assert tab.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 900

    # 繁 / 简: the same text in the other script
    title = tab.locator("h1").inner_text()
    assert "張勇" in title
    tab.locator("nav.scripts a", has_text="简").click()
    tab.wait_for_url(re.compile(r"script=hans"))
    simplified = tab.locator("h1").inner_text()
    assert "张勇" in simplified and "張勇" not in simplified and simplified != title
    assert tab.locator("h1").get_attribute("lang") == "zh-Hans"
    tab.locator("nav.mainnav a", has_text="Executives").click()  # the cookie remembers
    tab.wait_for_url(re.compile(r"/executives$"))
    assert "张勇 · Zhang Yong" in tab.locator("table.people").inner_text()
    tab.locator("nav.scripts a", has_text="繁").click()
    tab.wait_for_url(re.compile(r"script=hant"))
    assert "張勇 · Zhang Yong" in tab.locator("table.people").inner_text()

    # an executive's quotes
    tab.locator("table.people th a", has_text="Zhang Yong").click()
    tab.wait_for_url(re.compile(r"/quotes\?speaker=zhang-yong"))
    cards = tab.locator("li.card")
    assert cards.count() > 0
    assert cards.first.locator(".speaker").inner_text() == "張勇 · Zhang Yong"
    assert tab.locator("nav.speakers a[aria-current]").inner_text() == "張勇 · Zhang Yong"
    cards.first.locator(".from a").click()
    tab.wait_for_url(re.compile(r"/articles/\w+#p\d+$"))
    tab.goto("/?script=orig")


def test_everything_works_without_javascript(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=server)
    try:
        tab = context.new_page()
        tab.goto("/")
        tab.fill("#q", "張永")
        tab.click("form.searchbox button")
        tab.wait_for_url(re.compile(r"q="))
        tab.locator(".dym a").first.click()  # did you mean 張勇?
        tab.wait_for_url(re.compile(r"q=%E5%BC%B5%E5%8B%87"))
        assert tab.locator("li.hit").count() == 3
        tab.locator("section.facet a", has_text="English").click()
        tab.wait_for_url(re.compile(r"lang=en"))
        assert tab.locator("li.hit").count() == 2
    finally:
        context.close()


def test_narrow_screens_do_not_scroll_sideways(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server)
    try:
        tab = context.new_page()
        for _, path in SCREENSHOTS:
            tab.goto(path)
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide"
        tab.goto("/?script=orig")
    finally:
        context.close()


def test_screenshots_of_the_main_pages(browser: Any, server: str, tmp_path: Path) -> None:
    saved = screenshots(browser, server, tmp_path)
    assert [p.name for p in saved] == [f"{name}.png" for name, _ in SCREENSHOTS]
    for png in saved:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
