"""A compact on-disk cache for data derived from installed packages.

Parsing CC-CEDICT, the English word lists and jieba's dictionary takes seconds;
loading the result from one file takes milliseconds. `cached` stores a value
under a name together with a fingerprint of everything it was derived from (see
`fingerprint`): a file whose fingerprint differs, or that cannot be read or
decoded, is rebuilt and replaced. A cache directory that cannot be written is no
error: the value is computed and used in memory.

Values are serialised with `marshal` (or `pickle`, protocol 5). Loading is
dominated by the number of objects created, so callers store few large objects:
strings joined by newlines (`pack_strs`, split again in C by `unpack_strs`) and
integer columns as raw bytes (`pack_ints`, `unpack_ints`), not millions of small
ones. Measured for the CC-CEDICT tables (9 MB): marshal and pickle both read
such columns in under a millisecond; as plain dicts and tuples they take 170 ms
(marshal) and 180-210 ms (pickle). marshal is the default: it cannot run code
while loading, so a planted file is at worst rejected as corrupt.

The directory is an argument everywhere (tests pass their own); `default_dir`
prefers the virtual environment (``<venv>/var/corpus-search-cache``), then
``~/.cache/corpus-search``, then the temporary directory.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import pickle
import re
import sys
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, TypeVar

from corpus_search import __version__

__all__ = [
    "FORMAT_VERSION",
    "Codec",
    "cached",
    "default_dir",
    "file_stamp",
    "fingerprint",
    "pack_ints",
    "pack_strs",
    "package_version",
    "read",
    "source_digest",
    "unpack_ints",
    "unpack_strs",
    "write",
]

FORMAT_VERSION = 1  # of the file layout below; bump to invalidate every cache file
_MAGIC = b"corpus-search cache\n"
_SUFFIX = ".cache"

Codec = Literal["marshal", "pickle"]
T = TypeVar("T")

log = logging.getLogger(__name__)


# -- Where ----------------------------------------------------------------


def _usable(directory: Path, mode: int = 0o777) -> bool:
    try:
        directory.mkdir(mode=mode, parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(directory, os.W_OK | os.X_OK)


def _owned(directory: Path) -> bool:
    """Not planted by another user (in a shared temporary directory)."""
    getuid = getattr(os, "getuid", None)
    try:
        return getuid is None or directory.stat().st_uid == getuid()
    except OSError:
        return False


@lru_cache(maxsize=1)
def default_dir() -> Path:
    """The first writable of: the virtual environment's ``var/``, the user cache, temp."""
    candidates: list[Path] = []
    if sys.prefix != sys.base_prefix:  # a venv; never write under a system prefix
        candidates.append(Path(sys.prefix) / "var" / "corpus-search-cache")
    try:
        candidates.append(Path.home() / ".cache" / "corpus-search")
    except RuntimeError:  # no home directory
        pass
    user = getattr(os, "getuid", lambda: "")()
    temp = Path(tempfile.gettempdir()) / f"corpus-search-cache-{user}".rstrip("-")
    for directory in candidates:
        if _usable(directory):
            return directory
    if _usable(temp, mode=0o700) and _owned(temp):
        return temp
    return candidates[0] if candidates else temp  # read-only: values are computed in memory


# -- What it was made from ------------------------------------------------


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@lru_cache(maxsize=1)
def _dist_info_versions() -> dict[str, str]:
    """Normalised name -> version, from the ``name-version.dist-info`` folders on sys.path."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder[: -len(".dist-info")].rpartition("-")
                versions.setdefault(_normalised(name), version)  # the first on sys.path wins
    return versions


def package_version(distribution: str) -> str:
    """The installed version of a distribution, "" if it is not installed.

    Read from the dist-info folder names (a directory listing per sys.path entry,
    once); importlib.metadata only when that finds nothing: importing it costs
    50 ms in a process that has not already done so.
    """
    version = _dist_info_versions().get(_normalised(distribution))
    if version is not None:
        return version
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def file_stamp(path: Path | str) -> tuple[str, int, int]:
    """(path, size, mtime) of a data file: changes when the file is replaced or edited."""
    try:
        stat = os.stat(path)
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def source_digest(*modules: ModuleType) -> str:
    """A hash of the source of the modules that derive a value.

    ``__version__`` is not bumped for every change to, say, the gloss cleaning
    rules; the source text is, so an edited rule never meets a stale cache.
    """
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.__name__.encode())
        path = getattr(module, "__file__", None)
        try:
            digest.update(Path(path).read_bytes() if path else b"")
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def fingerprint(name: str, inputs: Iterable[object]) -> bytes:
    """The key a cached value is stored under.

    It covers the cache name, the caller's inputs (package versions, file stamps,
    source digests, parameters: anything with a stable ``repr``), this package's
    version, the file layout version and the interpreter (marshal's format is
    specific to a Python version).
    """
    parts = (name, tuple(inputs), __version__, FORMAT_VERSION, sys.implementation.cache_tag)
    return hashlib.sha256(repr(parts).encode()).hexdigest().encode()


# -- Compact representations -----------------------------------------------


def pack_strs(strings: Iterable[str]) -> str:
    """Strings as one newline-terminated text: one object to store instead of many."""
    items = list(strings)
    text = "".join(s + "\n" for s in items)
    if text.count("\n") != len(items):
        raise ValueError("pack_strs: a string contains a newline")
    return text


def unpack_strs(text: str) -> list[str]:
    """The strings given to `pack_strs`, split in one C call."""
    strings = text.split("\n")
    del strings[-1]  # after the last terminator; "" packs nothing
    return strings


def pack_ints(values: Iterable[int], typecode: str = "q") -> bytes:
    """Integers as the raw bytes of an `array` (machine byte order, like the cache)."""
    return array(typecode, values).tobytes()


def unpack_ints(data: bytes, typecode: str = "q") -> array[int]:
    values = array(typecode)
    values.frombytes(data)
    return values


# -- The file ---------------------------------------------------------------


def _header(key: bytes, codec: Codec) -> bytes:
    return _MAGIC + key + b" " + codec.encode() + b"\n"


def _path(directory: Path, name: str) -> Path:
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"bad cache name: {name!r}")
    return directory / (name + _SUFFIX)


def read(directory: Path, name: str, key: bytes, codec: Codec = "marshal") -> Any | None:
    """The stored value, or None if it is missing, stale, truncated or corrupt."""
    path = _path(directory, name)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = _header(key, codec)
    if not data.startswith(header) or len(data) < len(header) + 4:
        log.debug("cache %s: missing or stale", path)
        return None
    body = memoryview(data)[len(header) + 4 :]
    if zlib.crc32(body) != int.from_bytes(data[len(header) : len(header) + 4], "big"):
        log.warning("cache %s: checksum mismatch, rebuilding", path)
        return None
    try:
        return marshal.loads(body) if codec == "marshal" else pickle.loads(body)
    except Exception as exc:  # a corrupt file may raise anything; rebuild it
        log.warning("cache %s: unreadable (%s), rebuilding", path, exc)
        return None


def write(directory: Path, name: str, key: bytes, value: object, codec: Codec = "marshal") -> bool:
    """Store `value` atomically (temporary file, then rename); False if that failed."""
    path = _path(directory, name)
    body = marshal.dumps(value) if codec == "marshal" else pickle.dumps(value, protocol=5)
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as out:
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), 0o644)  # derived public data: let a shared venv read it
            out.write(_header(key, codec))
            out.write(zlib.crc32(body).to_bytes(4, "big"))
            out.write(body)
        os.replace(tmp, path)
        return True
    except OSError as exc:
        log.info("cache %s: not written (%s); using the value in memory", path, exc)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def cached(
    name: str,
    inputs: Iterable[object],
    build: Callable[[], object],
    decode: Callable[[Any], T],
    *,
    directory: Path | None = None,
    codec: Codec = "marshal",
) -> T:
    """``decode(state)``, with `state` read from the cache or else made by `build` and stored.

    `build` returns plain, serialisable data (the compact state); `decode` turns it
    into the object used. A stored state that `decode` rejects is rebuilt, so a
    file of the wrong shape behaves like a corrupt one.
    """
    directory = default_dir() if directory is None else directory
    key = fingerprint(name, inputs)
    state = read(directory, name, key, codec)
    if state is not None:
        try:
            return decode(state)
        except Exception as exc:  # the right checksum over the wrong shape: rebuild
            log.warning("cache %s: cannot decode (%s), rebuilding", name, exc)
    state = build()
    write(directory, name, key, state, codec)
    return decode(state)
