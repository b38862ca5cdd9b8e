from __future__ import annotations

from pathlib import Path

import pytest

from corpus_search.config import SETTINGS, Settings, SettingsError
from support import ROOT


def test_settings_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "CORPUS_SEARCH_INDEX": "/tmp/somewhere",
            "CORPUS_SEARCH_SOURCE": "articles",
            "CORPUS_SEARCH_MAX_QUERY_LENGTH": "80",
            "CORPUS_SEARCH_MAX_PER_PAGE": "25",
            "UNRELATED": "x",
        }
    )
    assert settings.index_dir == Path("/tmp/somewhere")
    assert settings.source_dir == Path("articles")
    assert settings.max_query_length == 80 and settings.max_per_page == 25


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.index_dir == Path("var/index")
    assert settings.source_dir == Path("seeds")
    assert (settings.templates_dir / "base.html").is_file()


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_readme(setting: object) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    name = f"CORPUS_SEARCH_{setting.name}"  # type: ignore[attr-defined]
    row = next((line for line in readme.splitlines() if f"`{name}`" in line), None)
    assert row is not None, f"{name} is missing from the README's settings table"
    assert setting.default in row  # type: ignore[attr-defined]


def test_the_backend_is_whoosh_unless_xapian_is_asked_for() -> None:
    assert Settings.from_env({}).backend == "whoosh"
    assert Settings.from_env({"CORPUS_SEARCH_BACKEND": "Xapian"}).backend == "xapian"
    assert Settings().with_paths(backend="xapian").backend == "xapian"
    with pytest.raises(SettingsError, match="CORPUS_SEARCH_BACKEND"):
        Settings.from_env({"CORPUS_SEARCH_BACKEND": "lucene"})
