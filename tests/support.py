"""Paths and small helpers shared by the test modules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def files(results: Any) -> list[str]:
    """The ranked source files of a search result (service object or API JSON)."""
    hits = getattr(results, "hits", None)
    if hits is not None:
        return [h.source_file for h in hits]
    return [r["source_file"] for r in results["results"]]
