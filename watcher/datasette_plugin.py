"""Datasette plugin: Chinese words found by the stock search box, and pages that read well in Chinese.

Datasette searches with ``MATCH escape_fts(:search)``; redefining ``escape_fts`` on every
connection turns a query into phrases of character bigrams (see ``watcher.search``).
Datasette's own definition comes from a default plugin's ``prepare_connection``; ``trylast``
makes this one run after it, so this definition is the one in force.

While a page answers a search (``?_search=`` on a table, ``?q=`` on a query), its text cells
show an excerpt around the first hit and every hit is marked.
"""

from __future__ import annotations

import contextvars
from urllib.parse import parse_qs

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from watcher.search import SEARCHED_WITHIN_REPORTS, contains, excerpt, fts_query, highlight_spans, hits, score
from watcher.search_page import marked, search_page

SEARCH = contextvars.ContextVar("search", default=None)
MARKED_COLUMNS = {"title", "text", "subject", "raw", "excerpt", "heading", "sentence"}
EXCERPT_OVER = 120

CSS = """
body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
  "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }
table.rows-and-columns td { word-break: break-word; overflow-wrap: anywhere; max-width: 36em; }
table.rows-and-columns td.col-text, table.rows-and-columns td.col-sentence,
table.rows-and-columns td.col-excerpt { min-width: 20em; }
dl.row-detail dd, .row-page td { white-space: pre-wrap; line-height: 1.7; }
mark { background: #ffe58a; padding: 0 1px; }
ol.search-hits li { margin-bottom: 0.8em; }
.search-excerpt { margin: 0.2em 0; color: #333; }
.search-detail { color: #666; font-size: 0.9em; }
"""
LABEL_COLUMNS = {
    "reports": "title",
    "facts": "raw",
    "sentences": "text",
    "sections": "heading",
    "documents": "filename",
    "indicators": "label_zh",
}
PRIMARY_KEYS = {"indicators": "key"}
LABEL_LENGTH = 40
LINKED_COLUMNS = {
    "report_id": "reports",
    "fact_id": "facts",
    "sentence_id": "sentences",
    "section_id": "sections",
    "document_id": "documents",
}
SHORT_ID = 12  # characters of a document's sha256 shown on pages
VIEWS = {"sentences"}  # no row pages: linked to the view's page showing the one row


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("search_excerpt", 2, excerpt, deterministic=True)
    conn.create_function("search_hits", 2, hits, deterministic=True)
    conn.create_function("search_score", 3, score, deterministic=True)
    conn.create_function("search_contains", 2, contains, deterministic=True)


@hookimpl
def filters_from_request(request, database, table, datasette):
    """Sentences and facts have no index of their own: the metadata points their search box at
    reports_fts (rows of the reports holding the words), and this keeps the rows that hold them."""
    query = request.args.get("_search")
    if query and table in SEARCHED_WITHIN_REPORTS:
        return FilterArguments(
            [f"search_contains({SEARCHED_WITHIN_REPORTS[table]}, :within_search)"], {"within_search": query}
        )


@hookimpl(tryfirst=True)
def register_routes():
    # tryfirst: this /-/search (excerpts, marked hits) answers before datasette-search-all's.
    return [(r"^/-/report-inbox\.css$", _css), (r"^/-/search$", search_page)]


@hookimpl
def asgi_wrapper(datasette):
    """Remember the search a request makes, for ``render_cell``."""

    def wrap(app):
        async def with_search(scope, receive, send):
            query = None
            if scope.get("type") == "http":
                args = parse_qs(scope.get("query_string", b"").decode("ascii", "replace"))
                query = (args.get("_search") or args.get("q") or [None])[0]
            token = SEARCH.set(query.strip() if query and query.strip() else None)
            try:
                await app(scope, receive, send)
            finally:
                SEARCH.reset(token)

        return with_search

    return wrap


async def _css(request):
    return Response(CSS, content_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"})


@hookimpl
def extra_css_urls():
    return ["/-/report-inbox.css"]


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Ids of reports, facts, sentences… link to their rows, labelled (a fact shows its report's
    title and its sentence), on table pages, row pages and in query results alike."""
    query = SEARCH.get()
    if query and column in MARKED_COLUMNS and isinstance(value, str) and highlight_spans(value, query):
        return marked(excerpt(value, query) if len(value) > EXCERPT_OVER else value, query)
    target = LINKED_COLUMNS.get(column)
    if isinstance(value, dict) and target in VIEWS:
        value = value.get("value")  # labelled by Datasette after sentence_spans, which has no text
    if target is None or value is None or table == target or isinstance(value, dict):
        return None  # a dict is a value Datasette has already labelled (table pages)

    async def link():
        label_column = LABEL_COLUMNS[target]
        rows = await datasette.get_database(database).execute(
            f"select [{label_column}] from [{target}] where [{PRIMARY_KEYS.get(target, 'id')}] = ?", [value]
        )
        label = rows.first()[0] if rows.first() else None
        text = f"{label[:LABEL_LENGTH]}…" if label and len(label) > LABEL_LENGTH else (label or f"#{value}")
        if target in VIEWS:
            path = datasette.urls.table(database, target) + f"?id={int(value)}"
        else:
            path = datasette.urls.row(database, target, str(value))
        shown = str(value)[:SHORT_ID]
        return Markup(f'<a href="{escape(path)}">{escape(text)}</a> <em title="{escape(str(value))}">{escape(shown)}</em>')

    return link
