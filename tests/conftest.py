from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from corpus_search.config import Settings
from corpus_search.index import rebuild
from corpus_search.search import SearchService
from corpus_search.web import create_app
from support import SEEDS


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--playwright", action="store_true", help="run the headless-browser test")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--playwright"):
        return
    skip = pytest.mark.skip(reason="browser test: run with --playwright")
    for item in items:
        if "playwright" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An index of the seed corpus, built once per test session."""
    index_dir = tmp_path_factory.mktemp("var") / "index"
    built = Settings(index_dir=index_dir, source_dir=SEEDS)
    rebuild(built)
    return built


@pytest.fixture(scope="session")
def service(settings: Settings) -> SearchService:
    return SearchService(settings)


@pytest.fixture(scope="session")
def client(settings: Settings, service: SearchService) -> Iterator[TestClient]:
    with TestClient(create_app(settings, service)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def xapian_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seed corpus built with the Xapian backend, once per test session."""
    index_dir = tmp_path_factory.mktemp("xapian") / "index"
    built = Settings(index_dir=index_dir, source_dir=SEEDS, backend="xapian")
    rebuild(built)
    return built


@pytest.fixture(scope="session")
def xapian_client(xapian_settings: Settings) -> Iterator[TestClient]:
    service = SearchService(xapian_settings)
    with TestClient(create_app(xapian_settings, service)) as test_client:
        yield test_client
