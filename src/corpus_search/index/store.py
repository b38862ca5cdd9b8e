"""Where builds live: fresh directories, the atomic swap, the manifest, opening.

``settings.index_dir`` is a symlink to the live build directory. A build (full or
incremental) writes a complete new directory beside it and repoints the symlink
with one atomic rename, so a server answers from the old build until the new one
is whole, and a failed build leaves the old one serving. Readers open the
directory the link resolves to, never the link, so one request never mixes two
builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index

from corpus_search.config import Settings
from corpus_search.errors import IndexMissingError
from corpus_search.index import views as _views  # noqa: F401  (read segments in place)
from corpus_search.index.schema import FORMAT, INDEXES, build_schema

__all__ = [
    "MANIFEST",
    "fingerprint",
    "fresh_directory",
    "index_version",
    "is_current",
    "live_directory",
    "open_indexes",
    "read_manifest",
    "swap",
    "write_manifest",
]

MANIFEST = "manifest.json"


def fingerprint() -> str:
    """Changes when what a build writes changes: package version, format and lexicon."""
    from corpus_search import __version__

    lexicon = resources.files("corpus_search").joinpath("data/lexicon.toml").read_bytes()
    seed = f"{__version__}\0{FORMAT}\0".encode() + lexicon
    return hashlib.sha256(seed).hexdigest()[:16]


def live_directory(settings: Settings) -> Path | None:
    """The build directory the index path points at now (None: no index there)."""
    path = settings.index_dir
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        return None
    return resolved if (resolved / MANIFEST).exists() or _has_indexes(resolved) else None


def _has_indexes(directory: Path) -> bool:
    return all(whoosh_index.exists_in(str(directory), indexname=name) for name in INDEXES)


def read_manifest(settings: Settings | Path) -> dict[str, Any]:
    directory = live_directory(settings) if isinstance(settings, Settings) else settings
    if directory is None:
        return {}
    try:
        return dict(json.loads((directory / MANIFEST).read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, default=str, ensure_ascii=False, indent=1)
    (directory / MANIFEST).write_text(text, "utf-8")


def is_current(settings: Settings) -> bool:
    """An index exists and was built by this version, format and lexicon."""
    return read_manifest(settings).get("fingerprint") == fingerprint()


def index_version(settings: Settings) -> str:
    """Changes whenever a build swaps in a new index."""
    path = settings.index_dir
    try:
        return os.readlink(path) if path.is_symlink() else str(path)
    except OSError:
        return ""


def open_indexes(directory: Path) -> dict[str, Index]:
    """The three indexes of one build directory."""
    if not _has_indexes(directory):
        raise IndexMissingError(
            f"no index of this version at {directory}: run `corpus-search build` "
            "(or `corpus-search serve`, which builds one when missing)"
        )
    return {name: whoosh_index.open_dir(str(directory), indexname=name) for name in INDEXES}


def fresh_directory(target: Path, base: Path | None = None) -> Path:
    """A new build directory beside ``target``: empty indexes, or a copy of ``base``
    (hard links: Whoosh never rewrites a file it has written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fresh = Path(tempfile.mkdtemp(prefix=f"{target.name}-{stamp}-", dir=target.parent))
    if base is None:
        for name in INDEXES:
            whoosh_index.create_in(str(fresh), build_schema(name), indexname=name)
        return fresh
    for item in base.iterdir():
        if item.is_file() and item.name != MANIFEST and not item.name.endswith("LOCK"):
            try:
                os.link(item, fresh / item.name)
            except OSError:
                shutil.copy2(item, fresh / item.name)
    return fresh


def swap(target: Path, fresh: Path) -> None:
    """Point ``target`` (a symlink) at ``fresh`` atomically. The build it pointed at
    before is kept (a running server may still be reading it); older builds go."""
    previous = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        # An index directory from elsewhere: move it aside, then link.
        previous = target.parent / f"{target.name}-previous-{os.getpid()}"
        target.rename(previous)
    link = target.parent / f".{target.name}.link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(fresh.name)
    os.replace(link, target)
    keep = {fresh.resolve(), previous}
    for old in target.parent.glob(f"{target.name}-*"):
        if old.is_dir() and old.resolve() not in keep and (old / MANIFEST).exists():
            shutil.rmtree(old, ignore_errors=True)
