"""The `corpus-search` command: click commands only; the work is elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from corpus_search import views
from corpus_search.config import Settings
from corpus_search.errors import CorpusSearchError
from corpus_search.highlight import strip_marks
from corpus_search.index import is_current, rebuild
from corpus_search.search import Filters, SearchService

__all__ = ["main"]

index_option = click.option(
    "--index",
    "index",
    type=click.Path(path_type=Path),
    default=None,
    help="Index location (default: $CORPUS_SEARCH_INDEX or var/index).",
)


source_option = click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of articles to build from (default: $CORPUS_SEARCH_SOURCE or seeds/).",
)


@contextmanager
def reported() -> Iterator[None]:
    """Our errors end the command with their message, not a traceback."""
    try:
        yield
    except CorpusSearchError as exc:
        raise click.ClickException(str(exc)) from exc


def _settings(index: Path | None, source: Path | None = None) -> Settings:
    return Settings.from_env().with_paths(index=index, source=source)


@click.group()
@click.version_option(package_name="corpus-search")
def main() -> None:
    """Bilingual search over news interviews: who said what, where and when."""


@main.command()
@index_option
@source_option
def build(index: Path | None, source: Path | None) -> None:
    """Read the articles, build a new index and swap it in."""
    with reported():
        report = rebuild(_settings(index, source))
    for line in report.lines():
        click.echo(line)


@main.command()
@click.argument("query")
@index_option
@click.option("--limit", default=10, show_default=True, help="How many results.")
@click.option("--page", default=1, show_default=True, help="Which page of results.")
@click.option("--executive", default=None, help="Only articles naming this person.")
@click.option("--topic", default=None, help="Only articles about this topic.")
@click.option("--lang", default=None, help="zh-Hant, zh-Hans or en.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
def search(
    query: str,
    index: Path | None,
    limit: int,
    page: int,
    executive: str | None,
    topic: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """Search the articles (terms combine with AND; "..." is a phrase)."""
    service = SearchService(_settings(index))
    with reported():
        filters = Filters(executive=executive, topic=topic, lang=lang)
        results = service.search(query, page=page, per_page=limit, filters=filters)
    if as_json:
        click.echo(json.dumps(views.search_json(results), ensure_ascii=False, indent=2))
        return
    click.echo(f"{results.total} result(s) for {results.query!r} ({results.took_ms} ms)")
    for rank, hit in enumerate(results.hits, start=(page - 1) * limit + 1):
        click.echo(f"\n{rank}. {hit.title}")
        click.echo(
            f"   {hit.source_file} · {hit.lang} · {hit.date or 'no date'} · score {hit.score:.2f}"
        )
        if hit.snippets:
            text = strip_marks(hit.snippets[0].html)
            click.echo(f"   {text}")


@main.command()
@click.argument("query", required=False, default="")
@index_option
@click.option("--speaker", default=None, help="A person's id or any form of the name.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
def quotes(query: str, index: Path | None, speaker: str | None, limit: int, as_json: bool) -> None:
    """List quotations, optionally by speaker and matching QUERY."""
    service = SearchService(_settings(index))
    with reported():
        results = service.quotes(query, speaker, 1, limit)
    if as_json:
        click.echo(json.dumps(views.quotes_json(results), ensure_ascii=False, indent=2))
        return
    click.echo(f"{results.total} quote(s)")
    for q in results.quotes:
        who = f"{q.speaker} ({q.speaker_en})" if q.speaker else "(no speaker)"
        click.echo(f"\n{who} — {q.source_file} ¶{q.passage}\n   {q.text}")


@main.command(name="eval")
@click.argument("queries", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--quotes",
    "quotes_file",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Judged quotes (JSON Lines) to score too.",
)
@index_option
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=None,
    help="Raw articles for the baselines (default: the index's source).",
)
@click.option(
    "--baselines/--no-baselines",
    default=True,
    show_default=True,
    help="Score the two reference engines beside ours.",
)
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
def evaluate(
    queries: Path,
    quotes_file: Path | None,
    index: Path | None,
    source: Path | None,
    baselines: bool,
    as_json: bool,
) -> None:
    """Score retrieval quality on judged queries (and quotes), with two baselines."""
    from corpus_search.report import run_evaluation

    settings = _settings(index, source)
    with reported():
        report = run_evaluation(settings, queries, quotes_file, baselines)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    from corpus_search.report import format_report

    click.echo(format_report(report))


@main.command(name="eval-peer")
@click.argument("original", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "variants",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
def evaluate_peer(original: Path, variants: tuple[Path, ...]) -> None:
    """Simplified queries from ORIGINAL against each converted VARIANT (e.g. ../shared/peer)."""
    from corpus_search.peer import run_peer_eval

    report = run_peer_eval(original, list(variants))
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))


@main.command()
@index_option
@source_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(index: Path | None, source: Path | None, host: str, port: int) -> None:
    """Serve the web app and API; builds the index first when there is none."""
    import uvicorn

    from corpus_search.web import create_app

    settings = _settings(index, source)
    if not is_current(settings):
        click.echo(
            f"No current index at {settings.index_dir} (missing, or built with another "
            f"lexicon or version): building it from {settings.source_dir}"
        )
        with reported():
            for line in rebuild(settings).lines():
                click.echo(line)
    click.echo(f"Serving on http://{host}:{port}")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


if __name__ == "__main__":  # pragma: no cover
    main()
