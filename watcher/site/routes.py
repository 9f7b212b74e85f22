"""The site's own pages and downloads, served by Datasette beside its table pages."""

from __future__ import annotations

import asyncio
from pathlib import Path
from datasette.utils import tilde_decode, tilde_encode as quote

from datasette.utils.asgi import AsgiFileDownload, NotFound, Response, asgi_send_file

from watcher import export
from watcher.site import queries
from watcher.site.charts import legend, line_chart

SNAPSHOT_DIR = "snapshots"
SNAPSHOT_MAX_AGE = 600  # seconds a snapshot is served after the database has changed


class FileDownload(AsgiFileDownload):
    """Datasette's file response, sent in 1 MiB chunks rather than 4 KiB: a snapshot of a large
    database otherwise spends its time in per-chunk overhead."""

    async def asgi_send(self, send):
        return await asgi_send_file(
            send, self.filepath, filename=self.filename, content_type=self.content_type,
            headers=self.headers, chunk_size=1 << 20,
        )


def _database(datasette):
    return datasette.get_database()


async def _page(datasette, request, template: str, context: dict) -> Response:
    database = _database(datasette)
    html = await datasette.render_template(
        template, {**context, "database": database.name, "line_chart": line_chart, "legend": legend, "quote": quote},
        request=request,
    )
    return Response.html(html)


async def _detail(datasette, request, var, page, template, missing):
    """A page about one thing named in the URL: its rows, or a 404 that says what was asked for."""
    value = tilde_decode(request.url_vars[var])
    data = await _database(datasette).execute_fn(lambda conn: page(conn, value))
    if data is None:
        raise NotFound(missing.format(value))
    return await _page(datasette, request, template, data)


async def report(datasette, request):
    # a number today; any stable id works
    return await _detail(datasette, request, "id", queries.report_page, "site_report.html", "No report {}")


async def place(datasette, request):
    return await _detail(
        datasette, request, "name", queries.place_page, "site_place.html", "No report names the place {}"
    )


async def indicator(datasette, request):
    return await _detail(datasette, request, "key", queries.indicator_page, "site_indicator.html", "No indicator {}")


async def indicators(datasette, request):
    rows = await _database(datasette).execute_fn(queries.indicator_list)
    return await _page(datasette, request, "site_indicators.html", {"indicators": rows})


async def places(datasette, request):
    rows = await _database(datasette).execute_fn(queries.place_list)
    return await _page(datasette, request, "site_places.html", {"places": rows})


def _latest_snapshot(source: Path) -> Path:
    """The snapshot beside the database: made again when the database has changed since, but at
    most every SNAPSHOT_MAX_AGE seconds (a large database takes a while to copy)."""
    import time

    target = source.parent / SNAPSHOT_DIR / f"{source.stem}.db"
    changed = max(
        (p.stat().st_mtime for p in (source, source.with_name(source.name + "-wal")) if p.exists()), default=0
    )
    if not target.exists():
        export.snapshot(source, target)
    elif target.stat().st_mtime < changed and time.time() - target.stat().st_mtime > SNAPSHOT_MAX_AGE:
        export.snapshot(source, target)
    return target


async def download(datasette, request):
    database = _database(datasette)
    if not database.path:
        raise NotFound("This database has no file")
    path = await asyncio.to_thread(_latest_snapshot, Path(database.path))
    return FileDownload(
        path, filename=f"{database.name}.db", content_type="application/vnd.sqlite3",
        headers={"cache-control": "no-store"},
    )


async def table_csv(datasette, request):
    """A whole table as CSV, with a UTF-8 BOM when ``?bom=1`` (Excel then reads Chinese right)."""
    import sqlite3

    database = _database(datasette)
    table = request.url_vars["table"]
    bom = request.args.get("bom") in ("1", "on", "true")

    def write() -> Path:
        conn = sqlite3.connect(f"file:{Path(database.path).resolve()}?mode=ro", uri=True)
        try:
            if table not in export.exported_tables(conn):
                return None
            out = Path(database.path).parent / SNAPSHOT_DIR / f"{table}{'-bom' if bom else ''}.csv"
            out.parent.mkdir(exist_ok=True)
            return export.write_csv(conn, table, out, bom=bom)
        finally:
            conn.close()

    path = await asyncio.to_thread(write)
    if path is None:
        raise NotFound(f"No table {table}")
    return FileDownload(path, filename=f"{table}.csv", content_type="text/csv; charset=utf-8")


ROUTES = [
    (r"^/-/report/(?P<id>[^/]+)$", report),
    (r"^/-/place/(?P<name>[^/]+)$", place),
    (r"^/-/indicator/(?P<key>[^/]+)$", indicator),
    (r"^/-/indicators$", indicators),
    (r"^/-/places$", places),
    (r"^/-/download$", download),
    (r"^/-/csv/(?P<table>[A-Za-z0-9_]+)\.csv$", table_csv),
]
