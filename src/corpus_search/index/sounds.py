"""The sound (toneless pinyin) of each Chinese word of a build, computed at build time.

"Did you mean" offers known words that sound like a mistyped one (张永 -> 张勇).
Their sounds are computed here, once per new word: an incremental build reuses
the previous build's table and adds only the words it has not seen.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from whoosh.index import Index

from corpus_search.normalise import HAN

__all__ = ["SOUNDS", "read_sounds", "write_sounds", "sound_of"]

SOUNDS = "sounds.json"
_HAN_WORD = re.compile(f"[{HAN}]{{2,}}")


def sound_of(word: str) -> str:
    # Imported here: half a second, which a server process pays only when it first
    # suggests a word, not at start-up.
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(word))


def read_sounds(directory: Path) -> dict[str, str]:
    try:
        return dict(json.loads((directory / SOUNDS).read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def write_sounds(directory: Path, articles: Index, previous: dict[str, str]) -> None:
    """The sound of every Chinese word of the articles' text, reusing ``previous``."""
    with articles.reader() as reader:
        words = [w for w in reader.field_terms("body") if _HAN_WORD.fullmatch(w)]
    sounds = {w: previous.get(w) or sound_of(w) for w in words}
    (directory / SOUNDS).write_text(json.dumps(sounds, ensure_ascii=False), "utf-8")
