"""`corpus-search eval`: run the engine and the baselines on judged data, tabulate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus_search.baselines import baseline_engines
from corpus_search.config import Settings
from corpus_search.evaluate import ServiceEngine, load_judged, score, score_quotes
from corpus_search.index import read_manifest
from corpus_search.search import SearchService
from corpus_search.web.views import quote_json

__all__ = ["run_evaluation", "format_report"]

METRICS = ("mrr@10", "recall@10", "precision@10", "top1", "passage@3", "empty_ok")


def run_evaluation(
    settings: Settings, queries: Path, quotes: Path | None, with_baselines: bool
) -> dict[str, Any]:
    judged = load_judged(queries)
    service = SearchService(settings)
    runs = [score(ServiceEngine(service), judged)]
    if with_baselines:
        plain = SearchService(settings, translate=False)
        runs.append(score(ServiceEngine(plain, "without CC-CEDICT"), judged))
        source = Path(str(read_manifest(settings).get("source") or settings.source_dir))
        for engine in baseline_engines(source):
            try:
                runs.append(score(engine, judged))
            finally:
                engine.close()
    report: dict[str, Any] = {"queries": str(queries), "runs": runs}
    if quotes is not None:
        everything = service.quotes(None, None, 1, service.settings.max_per_page)
        records = [quote_json(q) for q in everything.quotes]
        page = 2
        while len(records) < everything.total:
            more = service.quotes(None, None, page, service.settings.max_per_page)
            records += [quote_json(q) for q in more.quotes]
            page += 1

        def lookup(name: str) -> str | None:
            entity = service.lexicon.lookup(name)
            return entity.id if entity else None

        report["quotes"] = score_quotes(quotes, records, lookup)
    return report


def _cell(value: float | None) -> str:
    return "  –  " if value is None else f"{value:5.3f}"


def format_report(report: dict[str, Any]) -> str:
    runs = report["runs"]
    lines = []
    header = f"{'kind':<22}" + "".join(f"{r['engine']:>44}" for r in runs)
    sub = f"{'':<22}" + "".join(f"{'MRR   R@10  P@10  top1  pass3 empty':>44}" for _ in runs)
    lines += [header, sub]
    kinds = ["overall", *runs[0]["kinds"].keys()]
    for kind in kinds:
        row = f"{kind:<22}"
        for r in runs:
            m = r["overall"] if kind == "overall" else r["kinds"].get(kind, {})
            row += " " * 8 + " ".join(_cell(m.get(k)) for k in METRICS)
        lines.append(row)
    misses = [
        q
        for q in runs[0]["queries"]
        if q["rr"] not in (None, 1.0)
        or q["top1"] is False
        or q["empty_ok"] is False
        or q["passage_hit"] is False
    ]
    if misses:
        lines.append("\nnot perfect for corpus-search:")
        lines += [
            f"  {q['id']} {q['query']!r} [{q['kind']}] rr={q['rr']} top1={q['top1']} "
            f"passage={q['passage_hit']} files={q['files'][:4]}"
            for q in misses
        ]
    if "quotes" in report:
        qs = report["quotes"]
        lines.append(
            f"\nquotes: recall {qs['recall']}, false attributions "
            f"{qs['false_attributions']}, missed {qs['missed']}, wrong {qs['wrong']}"
        )
    return "\n".join(lines)
