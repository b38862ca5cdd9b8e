"""Planning a build: which files to read, which articles to take out, under what ids.

The manifest of a build maps each file it read (resolved path) to an entry:
its content hash, its name in the index, format and encoding, the id each of
its articles asked for (``keys``, by position) and got (``given``, when that
differs), the ids in the index (``ids``; ``id`` is the first), or why it was
skipped. A file whose hash is unchanged is not read again, unless its name or
ids must change because other files came or went (see `ids`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_search.errors import IngestError
from corpus_search.index.documents import Job, digest
from corpus_search.index.ids import ShardSpec, assign_ids, index_names
from corpus_search.index.report import BuildReport
from corpus_search.ingest import article_keys, read_bytes
from corpus_search.models import Renamed, Skipped

__all__ = [
    "Entry",
    "Plan",
    "compare",
    "entry_ids",
    "entry_renamed",
    "entry_skipped",
    "keep_shard",
    "plan_folder",
    "recheck",
    "settle",
]

Entry = dict[str, Any]


@dataclass
class Plan:
    """What a build changes: files to prepare and article ids to delete."""

    prepare: list[Path] = field(default_factory=list)
    delete: set[str] = field(default_factory=set)
    files: dict[str, Entry] = field(default_factory=dict)  # the manifest's map
    shown: dict[str, str] = field(default_factory=dict)  # path -> name in the folder
    jobs: dict[str, Job] = field(default_factory=dict)  # files prepared in this process
    keys: dict[str, list[str | None]] = field(default_factory=dict)  # of files to prepare


def entry_ids(entry: Entry) -> list[str]:
    """The ids of a manifest entry's articles in the index."""
    if "ids" in entry:
        return [i for i in entry["ids"] if i]
    return [entry["id"]] if entry.get("id") else []


def _keys(entry: Entry) -> list[str | None]:
    return list(entry.get("keys", entry_ids(entry)))


def _given(entry: Entry) -> list[str | None]:
    return list(entry.get("given", _keys(entry)))


def plan_folder(paths: list[Path], known: dict[str, Entry], report: BuildReport) -> Plan:
    """The plan for the files of the folder, against the entries of the live build."""
    plan = Plan()
    present = {str(p) for p in paths}
    plan.files = {k: v for k, v in known.items() if k in present}
    for gone in set(known) - set(plan.files):
        if entry_ids(known[gone]):
            plan.delete.update(entry_ids(known[gone]))
            report.removed += 1
    compare(paths, plan, report)
    return plan


def recheck(kept: dict[str, Entry], plan: Plan, report: BuildReport) -> dict[str, Entry]:
    """Files added from outside the source folder stay, re-read if they changed."""
    present = {k: v for k, v in kept.items() if Path(k).is_file()}
    for gone in set(kept) - set(present):
        if entry_ids(kept[gone]):
            plan.delete.update(entry_ids(kept[gone]))
            report.removed += 1
    compare([Path(k) for k in present], plan, report, present)
    return {k: v for k, v in present.items() if Path(k) not in plan.prepare}


def compare(
    paths: list[Path], plan: Plan, report: BuildReport, known: dict[str, Entry] | None = None
) -> None:
    """Files whose content hash differs from the manifest's are to be prepared."""
    known = plan.files if known is None else known
    for path in paths:
        entry = known.get(str(path))
        if entry is None:
            plan.prepare.append(path)
            continue
        try:
            same = digest(path.read_bytes()) == entry.get("digest")
        except OSError:
            same = False
        if same:
            report.unchanged += 1
        else:
            plan.prepare.append(path)
            plan.delete.update(entry_ids(entry))


def _shown(plan: Plan, path: Path | str) -> str:
    return plan.shown.get(str(path), str(path))


def entry_skipped(plan: Plan, path: str, entry: Entry) -> list[Skipped]:
    """What a manifest entry says was skipped: the file, or records of it."""
    shown = _shown(plan, path)
    if entry.get("skipped"):
        return [Skipped(shown, entry["skipped"])]
    return [Skipped(shown, reason, part) for part, reason in entry.get("dropped", [])]


def settle(plan: Plan, report: BuildReport) -> None:
    """Give every file its name in the index and every article its id (`ids`). A file
    to prepare with other ones than its own gets a `Job`; an unchanged file whose name
    or ids change is prepared again."""
    for path in plan.prepare:
        plan.keys[str(path)] = _asked(path)
    asked = {p: _keys(e) for p, e in plan.files.items() if p not in plan.keys}
    asked |= plan.keys
    given = assign_ids(asked)
    names = index_names({p: _shown(plan, p) for p in asked})
    for path, entry in list(plan.files.items()):
        if path in plan.keys or entry.get("skipped"):
            continue
        if given[path] != _given(entry) or names[path] != entry.get("name"):
            plan.prepare.append(Path(path))
            plan.delete.update(entry_ids(entry))
            plan.keys[path] = _keys(entry)
            report.unchanged -= 1
    for path in map(str, plan.prepare):
        if given[path] != plan.keys[path] or names[path] != Path(path).name:
            plan.jobs[path] = Job(names[path], tuple(given[path]))


def keep_shard(plan: Plan, shard: ShardSpec) -> dict[str, int]:
    """Of the files to prepare, keep those shard ``shard`` owns (by their first article
    id, `ids`); the others are noted in the manifest as another shard's, with their
    hash and ids (so the next build neither reads them again nor gives their ids
    away). The files left to other shards, and the shard of each."""
    elsewhere = {}
    for path in list(map(str, plan.prepare)):
        job = plan.jobs.get(path)
        given = list(job.ids) if job else plan.keys[path]
        first = next((i for i in given if i), None)
        if first is None or shard.owns(first):
            continue
        plan.prepare.remove(Path(path))
        plan.jobs.pop(path, None)
        entry: Entry = {"digest": digest(Path(path).read_bytes()), "keys": plan.keys[path]}
        entry |= {"file": _shown(plan, path), "shard": shard.owner(first)}
        if given != plan.keys[path]:
            entry["given"] = given
        plan.files[path] = entry
        elsewhere[path] = entry["shard"]
    return elsewhere


def _asked(path: Path) -> list[str | None]:
    try:
        return article_keys(path, read_bytes(path))
    except IngestError:
        return []


def entry_renamed(plan: Plan, path: str, entry: Entry) -> list[Renamed]:
    """The articles of a manifest entry indexed under another id than they asked for."""
    indexed = set(entry_ids(entry))
    pairs = zip(_keys(entry), _given(entry), strict=False)
    return [Renamed(_shown(plan, path), k, g) for k, g in pairs if k and g in indexed and k != g]
