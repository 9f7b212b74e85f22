"""The ``report-inbox`` command: thin wrappers over the library."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path

import click
from pydantic import ValidationError

from watcher import __version__
from watcher.config import Settings
from watcher.errors import StartupError


def _settings(**flags) -> Settings:
    """Flags given on the command line win over REPORT_INBOX_* variables."""
    try:
        return Settings(**{name: value for name, value in flags.items() if value is not None})
    except ValidationError as error:
        problem = error.errors()[0]
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        raise StartupError(f"the setting {name} is not valid: {problem['msg'][0].lower()}{problem['msg'][1:]}.") from None


class _Commands(click.Group):
    """A start-up problem is one sentence on stderr and exit status 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StartupError as error:
            click.echo(f"report-inbox: {error}", err=True)
            sys.exit(2)


def inbox_option(f):
    return click.option("--inbox", type=click.Path(path_type=Path), help="Folder to watch [inbox]")(f)


def db_option(f):
    return click.option("--db", type=click.Path(path_type=Path), help="SQLite database [db/reports.db]")(f)


def watch_options(f):
    f = click.option("--settle", type=float, help="Seconds a file must stay unchanged before it is read")(f)
    f = click.option("--rescan", type=float, help="Seconds between full rescans of the inbox [60]")(f)
    f = click.option(
        "--keep-files/--move-files", default=None, help="Leave files in the inbox instead of moving them"
    )(f)
    return db_option(inbox_option(f))


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="report-inbox")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors")
def cli(quiet):
    """Watch a folder of 人大常委会 work reports, extract records into SQLite, publish with Datasette."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
    )


@cli.command()
@watch_options
@click.option("--host", help="Datasette host [127.0.0.1]")
@click.option("--port", type=int, help="Datasette port [8001]")
def serve(**flags):
    """Watch the inbox and serve the database with Datasette."""
    from watcher.serve import serve as run

    run(_settings(**flags))


@cli.command()
@watch_options
def watch(**flags):
    """Watch the inbox and ingest each new file (no web server)."""
    from watcher.watch import watching

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with watching(_settings(**flags)):
        while not stop.wait(0.5):
            pass


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option(
    "--move/--keep",
    default=False,
    help="Move files that are inside the inbox to its processed/ and failed/ folders, as the "
    "watcher does; files elsewhere are never moved [keep]",
)
@inbox_option
def ingest(paths, db, move, inbox):
    """Ingest files or folders once, with the watcher's pipeline and rules."""
    from watcher.files import printable
    from watcher.ingest import ingest_paths

    summary = ingest_paths(_settings(db=db, inbox=inbox), paths, move=move, progress=True)
    click.echo(summary.line())
    for result in summary.results:
        if result.status == "skipped":
            click.echo(f"skipped {printable(result.path)}: {result.detail}", err=True)
    if summary.failed:
        for result in summary.failures:
            click.echo(f"{result.status} {printable(result.path)}: {printable(result.detail)}", err=True)
        raise SystemExit(1)


@cli.command()
@db_option
def reprocess(db):
    """Re-run extraction on every stored document (after an extractor or vocabulary change)."""
    from watcher.ingest import reprocess_database

    count = reprocess_database(_settings(db=db))
    click.echo(f"reprocessed {count} document(s)")


@cli.command()
@db_option
@click.option("--limit", default=10, show_default=True, help="How many recent failures to list")
def status(db, limit):
    """Counts by ingest status and the latest failures with their reasons."""
    from watcher.ingest import ingest_status

    report = ingest_status(_settings(db=db), limit=limit)
    for name, count in report["counts"].items():
        click.echo(f"{name:10} {count}")
    click.echo(f"{'reports':10} {report['reports']}")
    if report["failures"]:
        click.echo("\nlatest failures:")
        for row in report["failures"]:
            click.echo(f"  {row['started_at']}  {row['filename']}: {row['detail']}")
