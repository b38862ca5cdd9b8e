"""The `corpus-search` command: click commands only; the work is elsewhere."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search.config import Settings, lexicon_file
from corpus_search.errors import CorpusSearchError

if TYPE_CHECKING:
    from corpus_search.index import BuildReport
    from corpus_search.search import SearchService

__all__ = ["main"]

index_option = click.option(
    "--index",
    "index",
    type=click.Path(path_type=Path),
    default=None,
    help="Index location (default: $CORPUS_SEARCH_INDEX or var/index).",
)

backend_option = click.option(
    "--backend",
    type=click.Choice(["whoosh", "xapian"]),
    default=None,
    help="Search engine (default: $CORPUS_SEARCH_BACKEND or whoosh); xapian also writes "
    "and searches Xapian databases in the build.",
)


def _shard_list(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    from corpus_search.config import shard_address

    found = tuple(a.strip() for a in value.split(",") if a.strip())
    try:
        for address in found:
            shard_address(address)
    except CorpusSearchError as exc:
        raise click.BadParameter(str(exc)) from None
    if not found:
        raise click.BadParameter("give at least one host:port")
    return found


shards_option = click.option(
    "--shards",
    callback=_shard_list,
    default=None,
    metavar="HOST:PORT,...",
    help="Read these Xapian shards (`corpus-search shard-serve`) as one index instead of "
    "--index (default: $CORPUS_SEARCH_SHARDS).",
)


def _shard_spec(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from corpus_search.index.ids import ShardSpec

    try:
        return ShardSpec.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


lexicon_option = click.option(
    "--lexicon",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A TOML file of people, companies, products and topics to add to the packaged "
    "lexicon (default: $CORPUS_SEARCH_LEXICON; see examples/lexicon.toml). Give the same "
    "file to build, search and serve.",
)


source_option = click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of articles to build from (default: $CORPUS_SEARCH_SOURCE or seeds/).",
)


# The service's messages point web users at API routes; here, at commands.
_COMMAND_FOR = {
    "/api/executives": "`corpus-search executives`",
    "/api/quotes": "`corpus-search quotes`",
    "/api/search": "`corpus-search search`",
}


def in_cli_terms(message: str) -> str:
    for route, command in _COMMAND_FOR.items():
        message = message.replace(route, command)
    return message


@contextmanager
def reported() -> Iterator[None]:
    """Our errors end the command with their message, not a traceback."""
    try:
        yield
    except CorpusSearchError as exc:
        raise click.ClickException(in_cli_terms(str(exc))) from exc


def _need_index(settings: Settings) -> None:
    """Stop with where the index was looked for, and how to point at one."""
    from corpus_search.index import live_directory

    if live_directory(settings) is None:
        raise click.ClickException(
            f"no index at {settings.index_dir.absolute()} (the index path is --index, else "
            "CORPUS_SEARCH_INDEX, else var/index under the current folder): build one with "
            "`corpus-search build --source FOLDER`, or point at an existing one"
        )


def _reader(
    index: Path | None,
    lexicon: Path | None,
    backend: str | None = None,
    shards: tuple[str, ...] = (),
) -> SearchService:
    """The search service of the reading commands (over the shards, if given), or a
    clear stop where no index is."""
    from corpus_search.search import SearchService

    settings = _settings(index, lexicon=lexicon, backend=backend, shards=shards)
    if not settings.shards:
        _need_index(settings)
    return SearchService(settings)


def _partial(missing: list[str]) -> None:
    if missing:
        click.echo(
            f"partial: shard(s) {', '.join(missing)} did not answer; these are the others' results",
            err=True,
        )


def _page_size(settings: Settings, limit: int) -> int:
    if limit > settings.max_per_page:
        raise click.BadParameter(
            f"at most {settings.max_per_page} (CORPUS_SEARCH_MAX_PER_PAGE); use --page for more",
            param_hint="'--limit'",
        )
    return limit


def _settings(
    index: Path | None,
    source: Path | None = None,
    lexicon: Path | None = None,
    backend: str | None = None,
    shards: tuple[str, ...] = (),
) -> Settings:
    """The settings, with the paths (and shards) given. ``lexicon`` goes into the
    environment, where every process (build workers, server workers) loads the
    lexicon from."""
    if lexicon is not None:
        os.environ["CORPUS_SEARCH_LEXICON"] = str(lexicon.resolve())
    with reported():  # a bad CORPUS_SEARCH_ variable or lexicon is named, not a traceback
        settings = Settings.from_env().with_paths(index=index, source=source, backend=backend)
        if shards:
            settings = replace(settings, shards=shards)
        if lexicon_file() is not None:
            from corpus_search.lexicon import load_lexicon

            load_lexicon()  # a user's lexicon is checked before anything uses it
        return settings


@click.group()
@click.version_option(package_name="corpus-search")
def main() -> None:
    """Bilingual search over news interviews: who said what, where and when."""


workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to use (default: one per core).",
)


@contextmanager
def progress_bar(label: str) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """(set the total, advance) for a tqdm bar on a terminal; quiet otherwise."""
    from tqdm import tqdm

    bar = tqdm(total=0, unit="file", desc=label, disable=not sys.stderr.isatty(), leave=False)

    def total(n: int) -> None:
        bar.reset(total=n)

    try:
        yield total, bar.update
    finally:
        bar.close()


def _report(report: BuildReport, as_json: bool = False, strict: bool = False) -> None:
    """Print a build's report (every file: indexed, unchanged or skipped, and why);
    with ``strict``, end with a failing exit code when anything was skipped."""
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    if strict and report.skipped:
        files = len({s.source_file for s in report.skipped})
        raise click.ClickException(
            f"--strict: {len(report.skipped)} file(s) or record(s) skipped, in {files} "
            "file(s); the rest is built (see the report above)"
        )


max_file_option = click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Skip (and report) files larger than this many megabytes (default: "
    "$CORPUS_SEARCH_MAX_FILE_MB or 20; indexing takes about 150 MB of memory per MB of one "
    "file).",
)


def _bytes(megabytes: float | None) -> int | None:
    return None if megabytes is None else int(megabytes * 2**20)


strict_option = click.option(
    "--strict", is_flag=True, help="Exit non-zero when any file or record was skipped."
)
report_json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print the build report as JSON."
)


@main.command()
@index_option
@source_option
@workers_option
@click.option("--full", is_flag=True, help="Re-read every file, not only new and changed ones.")
@max_file_option
@strict_option
@report_json_option
@lexicon_option
@backend_option
@click.option(
    "--shard",
    callback=_shard_spec,
    default=None,
    metavar="I/N",
    help="Index only shard I of N (numbered from 0): the files whose first article id "
    "hashes to it. Implies --backend xapian; serve it with `shard-serve`.",
)
def build(
    index: Path | None,
    source: Path | None,
    workers: int | None,
    full: bool,
    max_file_mb: float | None,
    strict: bool,
    as_json: bool,
    lexicon: Path | None,
    backend: str | None,
    shard: Any,
) -> None:
    """Bring the index in line with the source folder and swap it in.

    Subfolders are read too. Only new and changed files are read again (content
    hashes), and the articles of deleted files are removed, unless --full is given.
    Every file is reported: indexed, unchanged, or skipped and why."""
    from corpus_search.index import rebuild

    if shard is not None and backend == "whoosh":
        raise click.BadParameter("a shard is a Xapian database", param_hint="'--backend'")
    backend = "xapian" if shard is not None else backend
    with reported(), progress_bar("indexing") as (total, advance):
        report = rebuild(
            _settings(index, source, lexicon, backend),
            full=full,
            workers=workers,
            progress=advance,
            on_plan=total,
            max_bytes=_bytes(max_file_mb),
            shard=shard,
        )
    _report(report, as_json, strict)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_option
@max_file_option
@strict_option
@report_json_option
@lexicon_option
@backend_option
def add(
    files: tuple[Path, ...],
    index: Path | None,
    max_file_mb: float | None,
    strict: bool,
    as_json: bool,
    lexicon: Path | None,
    backend: str | None,
) -> None:
    """Index these article files (new or changed) without a full rebuild."""
    from corpus_search.index import add_files

    with reported(), progress_bar("indexing") as (total, advance):
        total(len(files))
        settings = _settings(index, lexicon=lexicon, backend=backend)
        report = add_files(settings, files, progress=advance, max_bytes=_bytes(max_file_mb))
    _report(report, as_json, strict)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@lexicon_option
@backend_option
def remove(
    ids: tuple[str, ...], index: Path | None, lexicon: Path | None, backend: str | None
) -> None:
    """Take these articles (by id) out of the index.

    A file still in the source folder comes back with the next `build`."""
    from corpus_search.index import remove_articles

    with reported():
        report = remove_articles(_settings(index, lexicon=lexicon, backend=backend), ids)
    _report(report)


@main.command()
@click.argument("query")
@index_option
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(min=1), help="How many results."
)
@click.option(
    "--page", default=1, show_default=True, type=click.IntRange(min=1), help="Which page."
)
@click.option("--executive", default=None, help="Only articles naming this person.")
@click.option("--topic", default=None, help="Only articles about this topic.")
@click.option("--lang", default=None, type=click.Choice(["zh-Hant", "zh-Hans", "en"]))
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@lexicon_option
@backend_option
@shards_option
def search(
    query: str,
    index: Path | None,
    limit: int,
    page: int,
    executive: str | None,
    topic: str | None,
    lang: str | None,
    as_json: bool,
    lexicon: Path | None,
    backend: str | None,
    shards: tuple[str, ...],
) -> None:
    """Search the articles (terms combine with AND; "..." is a phrase)."""
    from corpus_search.highlight import strip_marks
    from corpus_search.search import Filters

    service = _reader(index, lexicon, backend, shards)
    limit = _page_size(service.settings, limit)
    with reported():
        opened = service.open()
        filters = Filters(executive=executive, topic=topic, lang=lang)
        results = service.search(query, page=page, per_page=limit, filters=filters)
    if as_json:
        from corpus_search.web import views

        click.echo(json.dumps(views.search_json(results), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{results.total} result(s) for {results.query!r} ({results.took_ms} ms; "
        f"index and dictionaries opened in {opened * 1000:.0f} ms)"
    )
    _partial(results.missing_shards)
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
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@lexicon_option
@backend_option
@shards_option
def quotes(
    query: str,
    index: Path | None,
    speaker: str | None,
    limit: int,
    page: int,
    as_json: bool,
    lexicon: Path | None,
    backend: str | None,
    shards: tuple[str, ...],
) -> None:
    """List quotations, optionally by speaker and matching QUERY."""

    service = _reader(index, lexicon, backend, shards)
    limit = _page_size(service.settings, limit)
    with reported():
        results = service.quotes(query, speaker, page, limit)
    if as_json:
        from corpus_search.web import views

        click.echo(json.dumps(views.quotes_json(results), ensure_ascii=False, indent=2))
        return
    click.echo(f"{results.total} quote(s)")
    _partial(results.missing_shards)
    for q in results.quotes:
        who = f"{q.speaker} ({q.speaker_en})" if q.speaker else "(no speaker)"
        click.echo(f"\n{who} — {q.source_file} ¶{q.passage}\n   {q.text}")


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@lexicon_option
@shards_option
def executives(
    index: Path | None, as_json: bool, lexicon: Path | None, shards: tuple[str, ...]
) -> None:
    """List the people the index knows, with their ids (for --speaker, --executive)."""

    service = _reader(index, lexicon, shards=shards)
    with reported():
        people = service.executives()
    if as_json:
        from corpus_search.web import views

        click.echo(json.dumps(views.executives_json(people), ensure_ascii=False, indent=2))
        return
    for person in people:
        entity = person.entity
        found = f" · found in the text{', ' + person.role if person.role else ''}"
        click.echo(
            f"{entity.id:<20} {entity.name} ({entity.name_en}) · "
            f"{person.articles} article(s), {person.quotes} quote(s)"
            + (found if person.found_in_text else "")
        )


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
@backend_option
@shards_option
def evaluate(
    queries: Path,
    quotes_file: Path | None,
    index: Path | None,
    source: Path | None,
    baselines: bool,
    as_json: bool,
    backend: str | None,
    shards: tuple[str, ...],
) -> None:
    """Score retrieval quality on judged queries (and quotes), with two baselines."""
    from corpus_search.report import run_evaluation

    settings = _settings(index, source, backend=backend, shards=shards)
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
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Server processes (default: one per core); each follows index swaps.",
)
@lexicon_option
@backend_option
@shards_option
def serve(
    index: Path | None,
    source: Path | None,
    host: str,
    port: int,
    workers: int | None,
    lexicon: Path | None,
    backend: str | None,
    shards: tuple[str, ...],
) -> None:
    """Serve the web app and API; builds the index first when there is none.

    With --shards, the shards are searched as one index (no local index is read or
    built); a shard that does not answer is left out, and the answers say so."""
    import uvicorn

    from corpus_search.config import default_workers  # not the build side: see _ensure_index

    settings = _settings(index, source, lexicon, backend, shards)
    _check_address(host, port)
    if settings.shards:
        click.echo(f"Reading {len(settings.shards)} shard(s): {', '.join(settings.shards)}")
    else:
        with reported():
            _ensure_index(settings)
    _check_address(host, port)  # again: the build may have taken a while
    count = workers or default_workers()
    click.echo(f"Serving on http://{host}:{port} ({count} worker process(es))")
    if count == 1:
        from corpus_search.web import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Worker processes build their app from the environment: pass our paths on.
    os.environ.update(settings.to_env())
    uvicorn.run(
        "corpus_search.web:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="info",
    )


@main.command(name="shard-serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", required=True, type=click.IntRange(1, 65535))
def shard_serve(index: Path | None, host: str, port: int) -> None:
    """Serve this machine's shard (`build --shard I/N`) to `serve --shards`.

    Runs Xapian's xapian-tcpsrv (scripts/install-xapian) on the index's Xapian
    database until stopped (Ctrl-C). Each new connection opens the build the index
    points at then, so rebuilds of the shard are followed; `serve --shards`
    reconnects every few seconds. The shard has no authentication: keep it on a
    private network."""
    import signal

    from corpus_search.index import live_directory
    from corpus_search.index.xapian import has_xapian, xapian_directory
    from corpus_search.xapian_backend.tcpsrv import ShardServer

    settings = _settings(index)
    _need_index(settings)
    if not has_xapian(live_directory(settings)):
        raise click.ClickException(
            f"the index at {settings.index_dir.absolute()} has no Xapian database: build it "
            "with `corpus-search build --shard I/N` (or --backend xapian)"
        )
    _check_address(host, port)
    # Through the index link, not the build it points at now: new connections follow swaps.
    server = ShardServer(xapian_directory(settings.index_dir.absolute()), host, port)
    with reported():
        server.start()
    click.echo(f"Serving shard {settings.index_dir} on {host}:{port} (Ctrl-C stops)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        said = server.wait()
    except KeyboardInterrupt:
        said = None
    finally:
        server.stop()
    if said is not None:
        raise click.ClickException(f"xapian-tcpsrv stopped: {said or 'no reason given'}")


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _check_address(host: str, port: int) -> None:
    """Stop before serving when the port is taken; warn when not on loopback."""
    import socket

    if host not in LOOPBACK:
        click.echo(
            f"warning: serving on {host}, reachable from other machines; the app has no "
            "authentication (the default, 127.0.0.1, is this machine only)",
            err=True,
        )
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        message = f"cannot serve on {host!r}: {exc}"
        raise click.BadParameter(message, param_hint="'--host'") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise click.ClickException(
                f"cannot serve on {host}:{port}: {exc.strerror or exc} (another server is "
                "probably using it): stop it, or choose another --port"
            ) from None


def _ensure_index(settings: Settings) -> None:
    """Build the index when it is missing, outdated or unreadable; when another
    build of it is running, wait for that one instead. A current build for the other
    backend is never replaced unasked (it may have taken hours): that is an error."""
    from corpus_search.errors import BuildLockedError
    from corpus_search.index import build_lock, index_problem
    from corpus_search.index.store import built_for_other

    for _ in range(2):
        problem = index_problem(settings)
        if problem is None:
            return
        other = built_for_other(settings)
        if other is not None:
            raise click.ClickException(
                f"the index at {settings.index_dir} is a build for the {other} backend: serve "
                f"it with `--backend {other}` (or CORPUS_SEARCH_BACKEND={other}), or build it "
                f"again for {settings.backend} with `corpus-search build --backend "
                f"{settings.backend}`"
            )
        click.echo(f"{problem}: building it from {settings.source_dir}")
        # Only now the build side (cleaning, quotes, their dictionaries: about 90 MB):
        # a server's supervising process that finds its index current never loads it.
        from corpus_search.index import rebuild

        try:
            with progress_bar("indexing") as (total, advance):
                _report(rebuild(settings, full=True, progress=advance, on_plan=total))
            return
        except BuildLockedError as exc:
            click.echo(f"{exc}\nWaiting for that build to finish…")
            with build_lock(settings.index_dir, wait=BUILD_WAIT_SECONDS):
                pass


BUILD_WAIT_SECONDS = 3600.0


if __name__ == "__main__":  # pragma: no cover
    main()
