"""Settings, read once from the environment (prefix ``CORPUS_SEARCH_``).

This is the only module that reads ``os.environ``. Every setting has a name, a
default and a help text; ``SETTINGS`` is the documented list (the README's
table is checked against it by a test). A value that cannot be used raises
``SettingsError`` naming the variable, never a bare ``ValueError``.

The user's lexicon (``LEXICON``) is the one setting not held by `Settings`: every
process must load the same lexicon (the segmenter's dictionary and the entity
tagging of the analyzer run in build workers and server processes alike), so it
is read from the environment wherever the lexicon is loaded, by `lexicon_file`
(`corpus_search.lexicon.load_lexicon`). The CLI's ``--lexicon`` sets the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus_search.errors import SettingsError

__all__ = [
    "BACKENDS",
    "Settings",
    "SETTINGS",
    "PROJECT_ROOT",
    "PREFIX",
    "SettingsError",
    "default_workers",
    "lexicon_file",
    "shard_address",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PREFIX = "CORPUS_SEARCH_"
SHOWN = 40  # characters of a bad value repeated in its message
BACKENDS = ("whoosh", "xapian")  # search engines: the first is the default


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
    Setting(
        "MAX_FILE_MB",
        "20",
        "Largest article file `build` and `add` read, in MB (indexing one file takes about "
        "150 MB of memory per MB); larger files are skipped and reported.",
    ),
    Setting(
        "QUERY_BUDGET_MS",
        "3000",
        "Milliseconds of search work one request may use before it is stopped (a 400).",
    ),
    Setting(
        "BACKEND",
        "whoosh",
        "The search engine: `whoosh` (pure Python) or `xapian` (`build` also writes a Xapian "
        "database, and searches rank, count and facet with it).",
    ),
    Setting(
        "SHARDS",
        "(none)",
        "Comma-separated host:port of Xapian shards (`corpus-search shard-serve`) that "
        "`serve`, `search` and `quotes` read as one index instead of the local one.",
    ),
    Setting(
        "LEXICON",
        "(none)",
        "A TOML file of people, companies, products and topics merged with the packaged "
        "lexicon (its format; see examples/lexicon.toml). Use the same file for every "
        "command: a changed file means a full rebuild.",
    ),
)
# The accepted range of each whole-number setting: (field, variable, lowest, highest).
LIMITS = (
    ("max_query_length", "MAX_QUERY_LENGTH", 1, 10_000),
    ("max_per_page", "MAX_PER_PAGE", 1, 1_000),
    ("query_budget_ms", "QUERY_BUDGET_MS", 10, 600_000),
    ("max_file_mb", "MAX_FILE_MB", 1, 10_000),
)


def shard_address(address: str) -> tuple[str, int]:
    """``host:port`` of a shard as (host, port); SettingsError if it is not one."""
    host, _, port = address.strip().rpartition(":")
    host = host.strip().strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(
            f"{PREFIX}SHARDS (--shards): a shard is host:port, as 10.0.0.2:9101 "
            f"(got {_shown(address)})."
        )
    return host, int(port)


def _shown(value: str) -> str:
    return repr(value if len(value) <= SHOWN else value[:SHOWN] + "…")


def _integer(name: str, value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise SettingsError(
            f"{PREFIX}{name} must be a whole number (got {_shown(value)})."
        ) from None


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("var/index")
    source_dir: Path = Path("seeds")
    templates_dir: Path = field(default_factory=_default_templates)
    max_query_length: int = 500
    max_per_page: int = 100
    query_budget_ms: int = 3000
    max_file_mb: int = 20
    backend: str = BACKENDS[0]
    shards: tuple[str, ...] = ()  # host:port of each shard; none: the local index

    def __post_init__(self) -> None:
        found = [a.strip() for a in self.shards if a.strip()]
        for address in found:
            shard_address(address)
        object.__setattr__(self, "shards", tuple(dict.fromkeys(found)))
        if self.backend not in BACKENDS:
            raise SettingsError(
                f"{PREFIX}BACKEND (backend) must be one of {', '.join(BACKENDS)} "
                f"(got {_shown(str(self.backend))})."
            )
        for attr, name, low, high in LIMITS:
            value = getattr(self, attr)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise SettingsError(
                    f"{PREFIX}{name} ({attr}) must be a whole number from {low} to {high} "
                    f"(got {_shown(str(value))})."
                )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for attr, name in (("index_dir", "INDEX"), ("source_dir", "SOURCE")):
            if raw := env.get(PREFIX + name, "").strip():
                values[attr] = Path(raw)
        if raw := env.get(PREFIX + "TEMPLATES", "").strip():
            values["templates_dir"] = _templates(Path(raw))
        for attr, name, _, _ in LIMITS:
            if raw := env.get(PREFIX + name, "").strip():
                values[attr] = _integer(name, raw)
        if raw := env.get(PREFIX + "BACKEND", "").strip():
            values["backend"] = raw.lower()
        if raw := env.get(PREFIX + "SHARDS", "").strip():
            values["shards"] = tuple(raw.split(","))
        lexicon_file(env)  # a bad path is named now, not when the lexicon is first loaded
        return cls(**values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables `from_env` reads."""
        return {
            "CORPUS_SEARCH_INDEX": str(self.index_dir),
            "CORPUS_SEARCH_SOURCE": str(self.source_dir),
            "CORPUS_SEARCH_TEMPLATES": str(self.templates_dir),
            "CORPUS_SEARCH_MAX_QUERY_LENGTH": str(self.max_query_length),
            "CORPUS_SEARCH_MAX_PER_PAGE": str(self.max_per_page),
            "CORPUS_SEARCH_QUERY_BUDGET_MS": str(self.query_budget_ms),
            "CORPUS_SEARCH_MAX_FILE_MB": str(self.max_file_mb),
            "CORPUS_SEARCH_BACKEND": self.backend,
            "CORPUS_SEARCH_SHARDS": ",".join(self.shards),
        }

    def with_paths(
        self, index: Path | None = None, source: Path | None = None, backend: str | None = None
    ) -> Settings:
        settings = self if backend is None else replace(self, backend=backend)
        if index is not None:
            settings = replace(settings, index_dir=index)
        if source is not None:
            settings = replace(settings, source_dir=source)
        return settings


def lexicon_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The user's lexicon file that ``CORPUS_SEARCH_LEXICON`` names (None: unset)."""
    env = os.environ if environ is None else environ
    raw = env.get(PREFIX + "LEXICON", "").strip()
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        raise SettingsError(
            f"{PREFIX}LEXICON is {_shown(raw)}, which is not a file: point it at a TOML "
            "lexicon (see examples/lexicon.toml), or unset it to use the packaged one alone."
        )
    return path


def _templates(path: Path) -> Path:
    """A templates folder must hold the page frame, or no page could be shown."""
    if not (path / "base.html").is_file():
        raise SettingsError(
            f"{PREFIX}TEMPLATES is {_shown(str(path))}, which holds no base.html: point it at "
            "a folder of the web pages' templates, or unset it to use the packaged ones."
        )
    return path


def default_workers() -> int:
    """Processes to use by default (builds, server workers): the cores this process may
    run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
