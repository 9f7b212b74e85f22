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


class Cli(_Commands):
    """Bad arguments: one sentence and exit status 2, as sqlite-utils and Datasette users expect."""

    def main(self, args=None, prog_name=None, **extra):  # the name is always report-inbox
        try:
            return super().main(args, "report-inbox", standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.format_message(), err=True)
            sys.exit(2)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "report-inbox"
            message = error.format_message()
            message += "" if message.endswith((".", "?", "!")) else "."
            click.echo(f"{command}: {message} See '{command} --help'.", err=True)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)


@click.group(cls=Cli)
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
@click.option("-h", "--host", help="Host for the site to listen on [127.0.0.1]")
@click.option("-p", "--port", type=click.IntRange(0, 65535), help="Port for the site [8001]")
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open the site in a web browser once it is up")
def serve(open_browser, **flags):
    """Watch the inbox and serve the database with Datasette (the site, its pages and downloads)."""
    from watcher.serve import serve as run

    settings = _settings(**flags)
    if open_browser:
        threading.Thread(target=_open_when_up, args=(settings.host, settings.port), daemon=True).start()
    run(settings)


def _open_when_up(host: str, port: int, seconds: float = 30) -> None:
    import socket
    import time
    import webbrowser

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
        except OSError:
            time.sleep(0.2)
            continue
        webbrowser.open(f"http://{host}:{port}/")
        return


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
    from watcher.files import printable
    from watcher.ingest import ingest_paths

    summary = ingest_paths(_settings(**flags), paths, move=move, progress=True)
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
@click.option("--json", "as_json", is_flag=True, help="Print the counts and failures as one JSON object")
def status(db, limit, as_json):
    """Counts by ingest status and the latest failures with their reasons (never creates a database)."""
    import json

    from watcher.files import printable
    from watcher.ingest import ingest_status

    settings = _settings(db=db)
    if not settings.db.exists():
        if as_json:
            click.echo(json.dumps({"database": str(settings.db), "exists": False, "counts": {}, "reports": 0, "failures": []}))
        else:
            click.echo(f"No database at {settings.db} yet: nothing has been ingested.")
        return
    report = ingest_status(settings, limit=limit)
    if as_json:
        click.echo(json.dumps({"database": str(settings.db), "exists": True, **report}, ensure_ascii=False))
        return
    for name, count in report["counts"].items():
        click.echo(f"{name:10} {count}")
    click.echo(f"{'reports':10} {report['reports']}")
    if report.get("unapplied_corrections"):
        click.echo("\ncorrections not applied (their fact was not found again):")
        for row in report["unapplied_corrections"]:
            click.echo(f"  #{row['id']} {row['raw']} in {row['document_id'][:12]}… report {row['report_seq']}: "
                       f"{row['status']} (by {row['author']}{': ' + row['reason'] if row['reason'] else ''})")
    if report["failures"]:
        click.echo("\nlatest failures:")
        for row in report["failures"]:
            click.echo(f"  {row['started_at']}  {printable(row['filename'])}: {printable(row['detail'] or '')}")


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
@db_option
@click.option(
    "--format", "format_", type=click.Choice(["db", "csv", "parquet"]), default="db", show_default=True,
    help="db: one SQLite file; csv or parquet: a folder TARGET with one file per table",
)
@click.option("--bom", is_flag=True, help="CSV only: start each file with a UTF-8 BOM so Excel reads Chinese right")
def export(target, db, format_, bom):
    """Write a consistent, compacted copy of the database (safe while the service writes)."""
    from watcher.export import export as run

    settings = _settings(db=db)
    if not settings.db.exists():
        raise click.UsageError(f"no database at {settings.db}")
    if bom and format_ != "csv":
        raise click.UsageError("--bom applies to --format csv only")
    written = run(settings.db, target, format=format_, bom=bom)
    click.echo(f"wrote {len(written)} file(s) to {target}")


@cli.command()
@click.argument("fact_id", type=int)
@click.option("--indicator", help="The right indicator key (see the indicators table)")
@click.option("--no-indicator", "clear_indicator", is_flag=True, help="The fact has no indicator: the label was wrong")
@click.option("--value", type=float, help="The right value")
@click.option("--unit", help="The right unit")
@click.option("--not-a-fact", is_flag=True, help="The number is not a fact: remove it")
@click.option("--by", "author", required=True, help="Who makes the correction")
@click.option("--why", "reason", help="Why, in a few words")
@db_option
def correct(fact_id, db, **change):
    """Correct one fact; the correction is applied again after every reprocess."""
    from watcher.corrections import CorrectionError, record
    from watcher.store import Store

    store = Store(_settings(db=db).db)
    try:
        correction_id = record(store.conn, fact_id, **change)
    except CorrectionError as error:
        raise click.UsageError(str(error)) from error
    finally:
        store.close()
    click.echo(f"correction {correction_id} recorded and applied to fact {fact_id}")


@cli.command("correct-report")
@click.argument("report_id", type=int)
@click.argument("field")
@click.argument("value")
@click.option("--by", "author", required=True, help="Who makes the correction")
@click.option("--why", "reason", help="Why, in a few words")
@db_option
def correct_report(report_id, field, value, db, author, reason):
    """Correct one field of a report (year, organ, district…); an empty VALUE clears it."""
    from watcher.corrections import CorrectionError, record_field
    from watcher.store import Store

    store = Store(_settings(db=db).db)
    try:
        correction_id = record_field(store.conn, report_id, field, value, author=author, reason=reason)
    except CorrectionError as error:
        raise click.UsageError(str(error)) from error
    finally:
        store.close()
    click.echo(f"correction {correction_id} recorded and applied to report {report_id}")


@cli.group()
def corrections():
    """Corrections people made to facts."""


@corrections.command("export")
@db_option
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write [stdout]")
def corrections_export(db, output):
    """Corrections as gold-style YAML, so what people fixed becomes test data for the rules."""
    from watcher.corrections import export
    from watcher.store import Store

    store = Store(_settings(db=db).db)
    try:
        output.write(export(store.conn))
    finally:
        store.close()
