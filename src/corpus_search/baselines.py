"""Two reference engines, scored beside ours by `corpus-search eval`.

- ``jieba-whoosh``: Whoosh with jieba's bundled ``ChineseAnalyzer`` over the raw files.
- ``t2s-jieba``: the usual best practice, Traditional->Simplified (OpenCC) before jieba,
  Latin lower-cased; raw files, no cleaning, no lexicon, no translation.

Both index each raw file as one document plus one document per non-empty line
(their snippets), in a temporary directory, and combine query terms with AND.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import AndGroup, OrGroup, QueryParser
from whoosh.query import And, Term

from corpus_search.evaluate import Ranked
from corpus_search.normalise import to_simplified
from corpus_search.segment import jieba_whoosh_analyzer, plain_cut

__all__ = ["BaselineEngine", "T2SJiebaTokenizer", "baseline_engines"]


class T2SJiebaTokenizer(Tokenizer):
    """OpenCC t2s, then stock jieba (no lexicon), Latin lower-cased, punctuation
    dropped; ordinal positions; offsets into the text as given (t2s keeps the length
    of almost all text; where it does not, they are clamped). The usual best
    practice, and the benchmark's plain reference (scripts/bench_reference.py)."""

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions=positions, chars=chars, mode=mode, **kwargs)
        last = max(0, len(value) - 1)
        pos = start_pos
        for word, start, end in plain_cut(to_simplified(value)):
            if any(ch.isalnum() for ch in word):
                t.text, t.original, t.boost, t.stopped = word.lower(), word, 1.0, False
                if positions:
                    t.pos, pos = pos, pos + 1
                if chars:
                    t.startchar = start_char + min(start, last)
                    t.endchar = start_char + min(end, len(value))
                yield t


class BaselineEngine:
    def __init__(self, name: str, analyzer: Any, source: Path) -> None:
        self.name = name
        self._dir = tempfile.TemporaryDirectory(prefix=f"baseline-{name}-")
        schema = Schema(file=ID(stored=True), kind=ID, content=TEXT(analyzer=analyzer, stored=True))
        self.ix = whoosh_index.create_in(self._dir.name, schema)
        with self.ix.writer() as writer:
            for path in sorted(source.glob("*.txt")):
                raw = path.read_text("utf-8", errors="replace")
                writer.add_document(file=path.name, kind="article", content=raw)
                for line in raw.splitlines():
                    if line.strip():
                        writer.add_document(file=path.name, kind="passage", content=line)

    def run(self, query: str) -> Ranked:
        schema = self.ix.schema
        strict = QueryParser("content", schema, group=AndGroup).parse(query)
        loose = QueryParser("content", schema, group=OrGroup).parse(query)
        with self.ix.searcher() as s:
            files = [h["file"] for h in s.search(strict, filter=Term("kind", "article"), limit=10)]
            snippets = {}
            for name in files[:3]:
                only = And([Term("file", name), Term("kind", "passage")])
                snippets[name] = [h["content"] for h in s.search(loose, filter=only, limit=3)]
        return Ranked(files=files, snippets=snippets)

    def close(self) -> None:
        self.ix.close()
        self._dir.cleanup()


def baseline_engines(source: Path) -> list[BaselineEngine]:
    return [
        BaselineEngine("jieba-whoosh", jieba_whoosh_analyzer(), source),
        BaselineEngine("t2s-jieba", T2SJiebaTokenizer(), source),
    ]
