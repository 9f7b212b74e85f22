"""Datasette plugin: Chinese words found by the stock search box, and pages that read well in Chinese.

Datasette searches with ``MATCH escape_fts(:search)``; redefining ``escape_fts`` on every
connection turns a query into phrases of character bigrams (see ``watcher.search``).
Datasette's own definition comes from a default plugin's ``prepare_connection``; ``trylast``
makes this one run after it, so this definition is the one in force.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from schema.tables import SEARCH_COLUMNS
from watcher.search import fts_query

CSS = """
body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
  "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }
table.rows-and-columns td { word-break: break-word; overflow-wrap: anywhere; max-width: 36em; }
table.rows-and-columns td.col-text, table.rows-and-columns td.col-sentence,
table.rows-and-columns td.col-excerpt { min-width: 20em; }
dl.row-detail dd, .row-page td { white-space: pre-wrap; line-height: 1.7; }
""" + "".join(
    f"th.col-{c}, td.col-{c} {{ display: none; }}\n" for columns in SEARCH_COLUMNS.values() for c in columns
)
LINKED_COLUMNS = {"report_id": "reports", "fact_id": "facts", "sentence_id": "sentences"}


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)


@hookimpl
def register_routes():
    return [(r"^/-/report-inbox\.css$", _css)]


async def _css(request):
    return Response(CSS, content_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"})


@hookimpl
def extra_css_urls():
    return ["/-/report-inbox.css"]


@hookimpl
def render_cell(value, column, table, database, datasette):
    """In query results (no table), ids of reports, facts and sentences link to their rows."""
    if table is not None or column not in LINKED_COLUMNS or not isinstance(value, int):
        return None
    path = datasette.urls.row(database, LINKED_COLUMNS[column], str(value))
    return Markup(f'<a href="{escape(path)}">{value}</a>')
