"""Datasette hooks of the site: routes for the pages and downloads, formatted cells, form choices."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from datasette.utils import tilde_encode as quote

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from schema.metadata import site
from watcher.site import routes
from watcher.site.facets import ColumnsFacet
from watcher.site.numbers import MONEY_UNITS, format_value, plain

PLACE_COLUMNS = ("district", "city", "province")
ROW_VALUE_TABLES = {"facts"}


STYLE = (Path(__file__).parent / "style.css").read_text(encoding="utf-8")


@hookimpl
def register_routes():
    return [*routes.ROUTES, (r"^/-/report-inbox-site\.css$", _style)]


async def _style(request):
    return Response(STYLE, content_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"})


@hookimpl
def extra_css_urls():
    return ["/-/report-inbox-site.css"]


@lru_cache(maxsize=1)
def indicator_units() -> dict[str, str]:
    """Unit of each indicator by key and by Chinese label: the columns of the indicator matrix."""
    from schema.vocabulary import Vocabulary

    units = {}
    for indicator in Vocabulary.load().indicators:
        if indicator.unit:
            units[indicator.key] = units[indicator.label_zh or indicator.key] = indicator.unit
    return units


def _searched(text: str) -> Markup:
    """The text with the hits of the search the page answers marked (none without a search)."""
    from watcher.datasette_plugin import SEARCH
    from watcher.search_page import marked

    query = SEARCH.get()
    return marked(text, query) if query else escape(text)


def _column(row, name: str):
    try:
        return row[name]
    except (IndexError, KeyError):
        return None


def _unit(row) -> str | None:
    return _column(row, "unit")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Counts without '.0', rates with %, money in 万元/亿元; places, indicators and reports
    link to their pages."""
    if value is None or isinstance(value, dict):
        return None
    if column == "value" and isinstance(value, (int, float)):
        unit = _unit(row)
        return format_value(value, unit) if unit in MONEY_UNITS or unit == "%" else plain(value)
    if isinstance(value, (int, float)) and indicator_units().get(column) in (*MONEY_UNITS, "%"):
        return format_value(value, indicator_units()[column])
    if isinstance(value, float) and value.is_integer():
        return plain(value)
    if column == "evidence" and isinstance(value, str):
        raw, at = _column(row, "raw"), _column(row, "evidence_offset")
        if raw and isinstance(at, int) and value[at:at + len(raw)] == raw:
            before, after = value[:at], value[at + len(raw):]
            return Markup(f"{escape(before)}<mark>{escape(raw)}</mark>{escape(after)}")
    if column in PLACE_COLUMNS and isinstance(value, str) and value:
        return Markup(f'<a href="/-/place/{quote(value)}">{escape(value)}</a>')
    if column == "indicator" and isinstance(value, str) and table != "indicators":
        return Markup(f'<a href="/-/indicator/{quote(value)}">{escape(value)}</a>')
    if table == "indicators" and column == "key":
        return Markup(f'<a href="/-/indicator/{quote(value)}">{escape(value)}</a>')
    if table == "reports" and column == "title" and isinstance(value, str):
        try:
            return Markup(f'<a href="/-/report/{quote(str(row["id"]))}">{_searched(value)}</a>')
        except (IndexError, KeyError):
            return None
    if table == "documents" and column == "id" and isinstance(value, str) and len(value) > 12:
        return Markup(f'<span title="{escape(value)}">{escape(value[:12])}</span>')
    return None


@hookimpl
def extra_template_vars(template, database, view_name, request, datasette):
    """Query forms: a sentence saying what to type, and a list of choices where one is known."""
    if template != "query.html" or request is None:
        return {}
    name = request.url_vars.get("table") if request.url_vars else None
    form = site().get("query_forms", {}).get(name)
    if not form:
        return {}

    async def variables():
        choices = {}
        for parameter, spec in form.get("parameters", {}).items():
            if "choices_sql" in spec:
                rows = await datasette.get_database(database).execute(spec["choices_sql"])
                choices[parameter] = [(row[0], row[1]) for row in rows]
        return {"form_hint": form.get("hint"), "parameter_choices": choices,
                "parameter_help": {k: v.get("help") for k, v in form.get("parameters", {}).items()}}

    return variables


@hookimpl
def register_facet_classes():
    return [ColumnsFacet]
