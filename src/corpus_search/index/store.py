"""Where builds live: fresh directories, the atomic swap, the manifest, opening.

``settings.index_dir`` is a symlink to the live build directory. A build (full or
incremental) writes a complete new directory beside it and repoints the symlink
with one atomic rename, so a server answers from the old build until the new one
is whole, and a failed build leaves the old one serving. Readers open the
directory the link resolves to, never the link, so one request never mixes two
builds.

Build directories carry a marker file (`BUILT_HERE`) and a name of the form
``<index>-YYYYMMDD-HHMMSS-<random>``; the swap removes only directories that have
both (never a user's ``index-backup``): the leftovers of a killed build (no
manifest: builds run one at a time, see `lock.py`, so under the lock no other
build is writing one), and builds swapped out more than `RETIRED_KEPT` seconds
ago (a server's request may still be reading one it opened before the swap). The
new build and the one it replaced are always kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index

from corpus_search.config import Settings
from corpus_search.errors import IndexMissingError
from corpus_search.index import views as _views  # noqa: F401  (read segments in place)
from corpus_search.index.schema import FORMAT, INDEXES, build_schema
from corpus_search.index.sounds import SOUNDS
from corpus_search.index.xapian import has_xapian
from corpus_search.lexicon import lexicon_bytes

__all__ = [
    "MANIFEST",
    "KeptSources",
    "built_for_other",
    "PEOPLE",
    "fingerprint",
    "fresh_directory",
    "has_whoosh",
    "no_xapian",
    "serves",
    "index_problem",
    "index_version",
    "is_current",
    "keep_source",
    "live_directory",
    "open_indexes",
    "prune_sources",
    "read_manifest",
    "remove_builds",
    "source_bytes",
    "swap",
    "write_manifest",
]

MANIFEST = "manifest.json"
PEOPLE = "people.json"  # the people found in the text of a build's articles (index/people.py)
SOURCES = "sources"  # the bytes of every indexed file, as read, by content hash
BUILT_HERE = ".corpus-search-build"  # marks a directory a build made
RETIRED = ".retired"  # written into a build when a swap replaces it
RETIRED_KEPT = 300.0  # seconds a replaced build stays for the requests still reading it
# A build's own files, not its base's: written anew by every build (a hard link to
# the base's would be written through, into the build that is serving).
_NOT_COPIED = (MANIFEST, BUILT_HERE, RETIRED, PEOPLE, SOUNDS)
_BUILD_NAME = r"-\d{8}-\d{6}-[A-Za-z0-9_]{8}"


def fingerprint() -> str:
    """Changes when what a build writes changes: package version, format, what a build
    keeps beside its indexes, and the lexicon (the packaged one and the user's, see
    `lexicon.lexicon_bytes`: SettingsError for a user's file that cannot be used)."""
    from corpus_search import __version__

    seed = f"{__version__}\0{FORMAT}\0{PEOPLE}\0{_pipeline_digest()}\0".encode()
    return hashlib.sha256(seed + lexicon_bytes()).hexdigest()[:16]


# What decides the records a build writes, besides the lexicon: an edited cleaning
# rule or quote cue makes older builds stale (a full rebuild), not half-updated.
_PIPELINE = (
    "cleaning",
    "formats",
    "quotes",
    "analysis",
    "ingest.py",
    "metadata.py",
    "folder.py",
    "normalise.py",
    "segment.py",
    "index/documents.py",
    "index/schema.py",
    "index/people.py",
    "data/names.toml",
    "xapian_backend/store.py",
    "xapian_backend/terms.py",
)


@lru_cache(maxsize=1)
def _pipeline_digest() -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in _PIPELINE:
        path = package / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(package)).encode())
            digest.update(file.read_bytes() if file.is_file() else b"?")
    return digest.hexdigest()[:16]


def live_directory(settings: Settings) -> Path | None:
    """The build directory the index path points at now (None: no index there)."""
    path = settings.index_dir
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        return None
    return resolved if (resolved / MANIFEST).exists() or has_whoosh(resolved) else None


def has_whoosh(directory: Path | None) -> bool:
    """Does this build hold Whoosh indexes (a build for the ``whoosh`` backend)?"""
    return directory is not None and all(
        whoosh_index.exists_in(str(directory), indexname=name) for name in INDEXES
    )


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


def index_problem(settings: Settings) -> str | None:
    """Why the index cannot serve the backend as it is (missing, outdated, unreadable,
    built for the other backend), or None."""
    directory = live_directory(settings)
    where = settings.index_dir.absolute()
    if directory is None:
        return f"no index at {where}"
    if not is_current(settings):
        return f"the index at {where} was built by another version or lexicon"
    if settings.backend == "xapian":
        return None if has_xapian(directory) else no_xapian(where)
    try:
        open_indexes(directory)
    except IndexMissingError as exc:
        return str(exc)
    return None


def built_for_other(settings: Settings) -> str | None:
    """The other backend, when the live build is a current one made for it (not for
    ``settings.backend``), else None."""
    directory = live_directory(settings)
    if directory is None or not is_current(settings):
        return None
    other = "whoosh" if settings.backend == "xapian" else "xapian"
    return other if serves(directory, other) else None


def serves(build: Path | None, backend: str) -> bool:
    """Does ``build`` hold what ``backend`` searches (Whoosh indexes, or a Xapian
    database)?"""
    return has_xapian(build) if backend == "xapian" else has_whoosh(build)


def no_xapian(where: Path) -> str:
    """What to say of an index asked for Xapian that holds no Xapian database."""
    return (
        f"the index at {where} has no Xapian database (backend xapian): build it with "
        "`corpus-search build --backend xapian`"
    )


def index_version(settings: Settings) -> str:
    """Changes whenever a build swaps in a new index."""
    path = settings.index_dir
    try:
        return os.readlink(path) if path.is_symlink() else str(path)
    except OSError:
        return ""


def open_indexes(directory: Path) -> dict[str, Index]:
    """The Whoosh indexes of one build directory."""
    if not has_whoosh(directory) and has_xapian(directory):
        raise IndexMissingError(
            f"the index at {directory} was built for the xapian backend (it holds no Whoosh "
            "indexes): search it with `--backend xapian` (or CORPUS_SEARCH_BACKEND=xapian), "
            "or build it again for Whoosh with `corpus-search build --full`"
        )
    if not has_whoosh(directory):
        raise IndexMissingError(
            f"no index of this version at {directory}: run `corpus-search build` "
            "(or `corpus-search serve`, which builds one when missing)"
        )
    try:
        indexes = {name: whoosh_index.open_dir(str(directory), indexname=name) for name in INDEXES}
        for ix in indexes.values():
            ix.reader().close()  # opens every segment file: a damaged build fails here
    except Exception as exc:
        raise IndexMissingError(
            f"the index at {directory} cannot be read ({type(exc).__name__}: {exc}): "
            "rebuild it with `corpus-search build --full`"
        ) from exc
    return indexes


def fresh_directory(target: Path, base: Path | None = None, whoosh: bool = True) -> Path:
    """A new build directory beside ``target``: empty Whoosh indexes (``whoosh``: the
    Xapian database is written whole, `index.xapian`), or a copy of ``base`` (hard
    links: Whoosh never rewrites a file it has written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fresh = Path(tempfile.mkdtemp(prefix=f"{target.name}-{stamp}-", dir=target.parent))
    (fresh / BUILT_HERE).write_text(f"pid {os.getpid()}\n", "utf-8")
    if base is None:
        for name in INDEXES if whoosh else ():
            whoosh_index.create_in(str(fresh), build_schema(name), indexname=name)
        return fresh
    for item in base.iterdir():
        if item.is_file() and item.name not in _NOT_COPIED and not _is_lock(item):
            _link(item, fresh / item.name)
    if (base / SOURCES).is_dir():
        (fresh / SOURCES).mkdir()
        for item in (base / SOURCES).iterdir():
            _link(item, fresh / SOURCES / item.name)
    return fresh


def _link(item: Path, to: Path) -> None:
    try:
        os.link(item, to)
    except OSError:
        shutil.copy2(item, to)


def keep_source(directory: Path, digest: str, data: bytes) -> None:
    """Keep the bytes of an indexed file in its build, as they were read: what
    `/sources/` serves (never the file as it is now, nor anything not indexed)."""
    folder = directory / SOURCES
    folder.mkdir(exist_ok=True)
    target = folder / digest
    if not target.exists():
        partial = folder / f".{digest}.part"
        partial.write_bytes(data)
        os.replace(partial, target)


def source_bytes(directory: Path, digest: str) -> bytes | None:
    """The bytes `keep_source` kept under ``digest`` in a build (None: none kept)."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        return None
    try:
        return (directory / SOURCES / digest).read_bytes()
    except OSError:
        return None


class KeptSources:
    """The source files a build kept, by the name `/sources/` serves them under."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @cached_property
    def digests(self) -> dict[str, str]:
        """Source file name -> the content hash of the bytes indexed."""
        files = read_manifest(self.directory).get("files", {})
        return {e["name"]: e["digest"] for e in files.values() if e.get("id") and e.get("name")}

    def read(self, name: str) -> bytes | None:
        digest = self.digests.get(name)
        return source_bytes(self.directory, digest) if digest else None


def prune_sources(directory: Path, keep: set[str]) -> None:
    """Drop the kept bytes of files no longer in the build."""
    folder = directory / SOURCES
    if folder.is_dir():
        for item in folder.iterdir():
            if item.name not in keep:
                item.unlink(missing_ok=True)


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
    if previous is not None and previous.is_dir():
        (previous / RETIRED).write_text(f"{time.time()}\n", "utf-8")
    remove_builds(target, keep={fresh.resolve(), previous})


def _is_lock(item: Path) -> bool:
    return item.name.endswith("LOCK")


def remove_builds(
    target: Path, keep: set[Path | None], retired_kept: float = RETIRED_KEPT
) -> list[Path]:
    """Delete the build directories of ``target`` that a build made (marker and
    name), other than ``keep``: a killed build's leftovers, and builds retired more
    than ``retired_kept`` seconds ago. Call it holding the build lock."""
    pattern = re.compile(re.escape(target.name) + _BUILD_NAME)
    removed = []
    for old in target.parent.glob(f"{target.name}-*"):
        if not (pattern.fullmatch(old.name) and old.is_dir() and not old.is_symlink()):
            continue
        if old.resolve() in keep or not _removable(old, retired_kept):
            continue
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed


def _removable(build: Path, retired_kept: float) -> bool:
    finished = (build / MANIFEST).exists()
    if not finished:
        return (build / BUILT_HERE).exists()  # a killed build's leftovers
    retired = build / RETIRED
    since = retired if retired.exists() else build / MANIFEST  # (builds made before markers)
    try:
        return time.time() - since.stat().st_mtime > retired_kept
    except OSError:
        return False
