"""The ``report-inbox`` command: thin wrappers over the library."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

import click

from watcher import __version__
from watcher.config import Settings


def _settings(**flags) -> Settings:
    """Flags given on the command line win over REPORT_INBOX_* variables."""
    return Settings(**{name: value for name, value in flags.items() if value is not None})


def inbox_option(f):
    return click.option("--inbox", type=click.Path(path_type=Path), help="Folder to watch [inbox]")(f)


def db_option(f):
    return click.option("--db", type=click.Path(path_type=Path), help="SQLite database [db/reports.db]")(f)


def jobs_option(f):
    f = click.option("--time-limit", type=float, help="Seconds one file may take before it fails [120]")(f)
    return click.option("--jobs", "-j", type=int, help="Worker processes preparing files [number of cores]")(f)


def scheduler_option(f):
    return click.option(
        "--scheduler", metavar="tcp://HOST:PORT", help="Prepare files on this Dask cluster instead of locally"
    )(f)


def watch_options(f):
    f = jobs_option(f)
    f = click.option("--settle", type=float, help="Seconds a file must stay unchanged before it is read")(f)
    f = click.option("--rescan", type=float, help="Seconds between full rescans of the inbox [60]")(f)
    f = click.option(
        "--keep-files/--move-files", default=None, help="Leave files in the inbox instead of moving them"
    )(f)
    return db_option(inbox_option(f))


@click.group()
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
@jobs_option
@scheduler_option
def ingest(paths, move, **flags):
    """Ingest files or folders once, with the watcher's pipeline and rules."""
    from watcher.ingest import ingest_paths

    summary = ingest_paths(_settings(**flags), paths, move=move, progress=True)
    click.echo(summary.line())
    if summary.failed:
        for result in summary.failures:
            click.echo(f"failed {result.path}: {result.detail}", err=True)
        raise SystemExit(1)


@cli.command()
@db_option
@jobs_option
@scheduler_option
def reprocess(**flags):
    """Re-run extraction on every stored document (after an extractor or vocabulary change)."""
    from watcher.ingest import reprocess_database

    count = reprocess_database(_settings(**flags), progress=True)
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
