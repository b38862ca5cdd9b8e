"""The files of a source folder: every one found is either to read or skipped, with why.

Subfolders are read too, in name order. Skipped, and listed: hidden files and
folders (a name starting with "."), files of a type no reader knows, symlinks
that lead out of the folder (or nowhere), anything but regular files and
folders, files over the size limit, and a second path (a symlink) to a file or
folder already listed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from corpus_search.config import Settings
from corpus_search.errors import IngestError
from corpus_search.formats import SUFFIXES
from corpus_search.models import Skipped

__all__ = ["DEFAULT_MAX_BYTES", "Found", "Listing", "file_problem", "list_folder"]

DEFAULT_MAX_BYTES = Settings.max_file_mb * 2**20  # a 20 MB article takes about 3 GB to index
_MB = 2**20


@dataclass(frozen=True)
class Found:
    path: Path  # resolved
    name: str  # relative to the folder, "/"-separated


@dataclass
class Listing:
    root: Path  # the folder, resolved
    files: list[Found] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def list_folder(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Listing:
    """Every file under ``folder``: those to read and those skipped, by name."""
    if not folder.is_dir():
        raise IngestError(
            f"no folder of articles at {folder.absolute()} (the source folder is --source, "
            "else CORPUS_SEARCH_SOURCE, else seeds/ under the current folder)"
        )
    listing = Listing(folder.resolve())
    seen = {listing.root: "./"}
    linked: list[tuple[str, Path]] = []  # symlinked folders: read after the real ones
    _walk(listing, listing.root, "", max_bytes, seen, linked)
    while linked:
        name, target = linked.pop(0)
        if target in seen:
            listing.skipped.append(Skipped(name, f"symlink to a folder read as {seen[target]}"))
        else:
            seen[target] = name
            _walk(listing, target, name, max_bytes, seen, linked)
    _drop_second_paths(listing)
    listing.files.sort(key=lambda f: f.name)
    listing.skipped.sort(key=lambda s: s.source_file)
    return listing


def file_problem(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """Why this file is not read (type, kind, size), or None."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kind = f"type {suffix}" if suffix else "type (no extension)"
        return f"unsupported file {kind}; read are {' '.join(SUFFIXES)}"
    try:
        stat = path.stat()
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if not path.is_file():
        return "not a regular file"
    if stat.st_size > max_bytes:
        return (
            f"over the size limit ({stat.st_size / _MB:.1f} MB > {max_bytes / _MB:g} MB; "
            "raise it with --max-file-mb)"
        )
    return None


def _walk(
    listing: Listing,
    directory: Path,
    prefix: str,
    max_bytes: int,
    seen: dict[Path, str],
    linked: list[tuple[str, Path]],
) -> None:
    """List a folder (resolved) and its real subfolders; symlinked ones go to ``linked``."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        listing.skipped.append(Skipped(prefix or "./", f"cannot read folder: {exc.strerror}"))
        return
    for entry in entries:
        name = prefix + entry.name
        reason, path = _leaves(entry, listing.root)
        if reason is None and _is_dir(entry):
            if entry.is_symlink():
                linked.append((name + "/", path))
            else:
                seen[path] = name + "/"
                _walk(listing, path, name + "/", max_bytes, seen, linked)
            continue
        reason = reason or file_problem(path, max_bytes)
        if reason is None:
            listing.files.append(Found(path, name))
        else:
            listing.skipped.append(Skipped(name + ("/" if _is_dir(entry) else ""), reason))


def _leaves(entry: os.DirEntry[str], root: Path) -> tuple[str | None, Path]:
    """Why the entry is not followed (hidden, or a symlink out of the folder or to
    nothing), and where it leads (the entry's own path in a resolved folder)."""
    path = Path(entry.path)
    if entry.name.startswith("."):
        return f"hidden {'folder' if _is_dir(entry) else 'file'}", path
    if not entry.is_symlink():
        return None, path
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "broken symlink (leads nowhere, or in a loop)", path
    if not resolved.is_relative_to(root):
        return "symlink to outside the source folder", resolved
    return None, resolved


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _drop_second_paths(listing: Listing) -> None:
    """One file reached by two paths (a symlink inside the folder) is read once, under
    its own name where that was found, else under the first name."""
    first: dict[Path, Found] = {}
    for found in listing.files:
        held = first.get(found.path)
        if held is None or _own_name(found, listing.root):
            first[found.path] = found
    kept = {id(f) for f in first.values()}
    for found in listing.files:
        if id(found) not in kept:
            listing.skipped.append(Skipped(found.name, f"same file as {first[found.path].name}"))
    listing.files = [f for f in listing.files if id(f) in kept]


def _own_name(found: Found, root: Path) -> bool:
    return found.path == root / found.name
