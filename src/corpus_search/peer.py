"""Cross-script check on text nobody here wrote: OpenCC's own test text.

The Simplified original (the US Constitution in Chinese) and OpenCC's
Traditional and Taiwan-vocabulary conversions are split into one article per
第 X 条/條. Each variant is indexed on its own and searched with Simplified
queries made from the original:

- phrases: the first 12 Han characters of every paragraph, quoted; the article
  they come from must rank first;
- words: mainland words and place names (弗吉尼亚州, 发布, 保存, 公元) that the
  Taiwan text writes differently; scored by MRR against the articles whose
  original contains the word.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from corpus_search.config import Settings
from corpus_search.index import rebuild
from corpus_search.search import SearchService

__all__ = ["split_articles", "phrase_queries", "run_peer_eval", "MAINLAND_WORDS"]

_HEADING = re.compile(r"^第\s*[一二三四五六七八九十百零〇0-9]+\s*[条條]\s*$", re.MULTILINE)
_HAN = re.compile(r"[\u3400-\u9fff]")
MAINLAND_WORDS = ("弗吉尼亚州", "发布", "保存", "公元")
PHRASE_LENGTH = 12


def split_articles(text: str) -> list[str]:
    """The text before the first 第 X 条 heading, then one article per heading."""
    starts = [m.start() for m in _HEADING.finditer(text)]
    bounds = [0, *starts, len(text)]
    pieces = [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [p for p in pieces if p]


def _paragraphs(article: str) -> list[str]:
    return [line.strip() for line in article.splitlines() if line.strip()]


def phrase_queries(articles: list[str]) -> list[tuple[str, int]]:
    """(quoted first 12 Han characters of a paragraph, article number)."""
    found = []
    for number, article in enumerate(articles):
        for paragraph in _paragraphs(article):
            han = "".join(_HAN.findall(paragraph))
            if len(han) >= PHRASE_LENGTH:
                found.append((f'"{han[:PHRASE_LENGTH]}"', number))
    return found


def _write_corpus(articles: list[str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, article in enumerate(articles):
        (folder / f"{number:02d}.txt").write_text(article + "\n", "utf-8")


def _file_number(source_file: str) -> int:
    return int(source_file.split(".")[0])


def _score_variant(
    service: SearchService, phrases: list[tuple[str, int]], words: dict[str, set[int]]
) -> dict[str, Any]:
    firsts, misses = 0, []
    for query, expected in phrases:
        hits = service.search(query, per_page=10).hits
        if hits and _file_number(hits[0].source_file) == expected:
            firsts += 1
        else:
            misses.append(query)
    reciprocal = {}
    for word, relevant in words.items():
        ranked = [_file_number(h.source_file) for h in service.search(word, per_page=10).hits]
        rank = next((i for i, n in enumerate(ranked, 1) if n in relevant), None)
        reciprocal[word] = 1 / rank if rank else 0.0
    return {
        "phrases": len(phrases),
        "phrase_top1": round(firsts / len(phrases), 4) if phrases else None,
        "phrase_misses": misses,
        "word_mrr": round(sum(reciprocal.values()) / len(reciprocal), 3) if reciprocal else None,
        "word_rr": reciprocal,
    }


def run_peer_eval(simplified: Path, variants: list[Path]) -> dict[str, Any]:
    original = split_articles(simplified.read_text("utf-8"))
    phrases = phrase_queries(original)
    words = {w: {n for n, a in enumerate(original) if w in a} for w in MAINLAND_WORDS}
    words = {w: found for w, found in words.items() if found}
    report: dict[str, Any] = {"articles": len(original)}
    with tempfile.TemporaryDirectory(prefix="peer-") as tmp:
        for variant in variants:
            articles = split_articles(variant.read_text("utf-8"))
            if len(articles) != len(original):
                raise ValueError(
                    f"{variant.name} splits into {len(articles)} articles, "
                    f"the original into {len(original)}"
                )
            folder = Path(tmp) / variant.stem
            _write_corpus(articles, folder / "src")
            settings = Settings(index_dir=folder / "index", source_dir=folder / "src")
            rebuild(settings)
            report[variant.name] = _score_variant(SearchService(settings), phrases, words)
    return report
