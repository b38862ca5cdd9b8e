"""Settings, read once from the environment (prefix ``CORPUS_SEARCH_``).

This is the only module that reads ``os.environ``. Every setting has a name, a
default and a help text; ``SETTINGS`` is the documented list (the README's
table is checked against it by a test).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Settings", "SETTINGS", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_templates() -> Path:
    packaged = Path(__file__).resolve().parent / "templates"
    return packaged if packaged.is_dir() else PROJECT_ROOT / "templates"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX", "var/index", "Where the Whoosh index lives (a symlink to the live build)."),
    Setting("SOURCE", "seeds", "Folder of article files (.txt, .md) that `build` reads."),
    Setting("TEMPLATES", "(packaged)", "Folder of the Jinja2 templates of the web pages."),
    Setting("MAX_QUERY_LENGTH", "500", "Longest query accepted, in characters."),
    Setting("MAX_PER_PAGE", "100", "Largest page size the API accepts."),
)


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("var/index")
    source_dir: Path = Path("seeds")
    templates_dir: Path = field(default_factory=_default_templates)
    max_query_length: int = 500
    max_per_page: int = 100

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        prefix = "CORPUS_SEARCH_"
        settings = cls()
        if value := env.get(prefix + "INDEX"):
            settings = replace(settings, index_dir=Path(value))
        if value := env.get(prefix + "SOURCE"):
            settings = replace(settings, source_dir=Path(value))
        if value := env.get(prefix + "TEMPLATES"):
            settings = replace(settings, templates_dir=Path(value))
        if value := env.get(prefix + "MAX_QUERY_LENGTH"):
            settings = replace(settings, max_query_length=int(value))
        if value := env.get(prefix + "MAX_PER_PAGE"):
            settings = replace(settings, max_per_page=int(value))
        return settings

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables `from_env` reads."""
        return {
            "CORPUS_SEARCH_INDEX": str(self.index_dir),
            "CORPUS_SEARCH_SOURCE": str(self.source_dir),
            "CORPUS_SEARCH_TEMPLATES": str(self.templates_dir),
            "CORPUS_SEARCH_MAX_QUERY_LENGTH": str(self.max_query_length),
            "CORPUS_SEARCH_MAX_PER_PAGE": str(self.max_per_page),
        }

    def with_paths(self, index: Path | None = None, source: Path | None = None) -> Settings:
        settings = self
        if index is not None:
            settings = replace(settings, index_dir=index)
        if source is not None:
            settings = replace(settings, source_dir=source)
        return settings
