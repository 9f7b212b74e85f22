"""The site-wide search page (``/-/search?q=``): titles and excerpts with the hits marked, for
reports, sentences and facts, each with the number of hits and a link to all of them."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from watcher.search import excerpt, fts_query, highlight_spans, score

PER_TABLE = 5
# Reports are ranked by score among this many best by the index's own bm25, so that a query
# found in every report costs no more than one found in fifty.
CANDIDATES = 200

TEMPLATE = """{% extends "base.html" %}
{% block title %}Search{% if q %}: {{ q }}{% endif %}{% endblock %}
{% block content %}
<h1>Search · 搜索</h1>
<form class="core" action="{{ urls.path('/-/search') }}" method="get">
  <p><input type="search" name="q" value="{{ q }}" id="search-all-q" placeholder="民生实事, 代表, 92.8%">
  <input type="submit" value="Search"></p>
</form>
{% if q %}{% for section in sections %}
<section class="search-results" data-table="{{ section.table }}">
  <h2>{{ section.title }}: {{ "{:,}".format(section.count) }}{% if section.bounded %} in the {{ candidates }} best reports{% endif %}</h2>
  {% if section.rows %}<ol class="search-hits">
  {% for row in section.rows %}<li><a href="{{ row.url }}">{{ row.title }}</a>{% if row.detail %} <span class="search-detail">{{ row.detail }}</span>{% endif %}
    <p class="search-excerpt">{{ row.excerpt }}</p></li>
  {% endfor %}</ol>
  {% if section.count > section.rows|length or section.bounded %}<p><a href="{{ section.more }}">All {% if not section.bounded %}{{ "{:,}".format(section.count) }} {% endif %}{{ section.table }} containing “{{ q }}”</a></p>{% endif %}
  {% else %}<p>None.</p>{% endif %}
</section>
{% endfor %}{% endif %}
{% endblock %}
"""


def marked(text: str, query: str) -> Markup:
    """``text`` with each hit of ``query`` in <mark>, everything else escaped."""
    out, at = [], 0
    for start, end in highlight_spans(text, query):
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


async def search_page(datasette, request):
    q = (request.args.get("q") or "").strip()
    database = datasette.get_database()
    sections = []
    if q:
        match = fts_query(q)
        sections = [await _reports(datasette, database, q, match), await _sentences(datasette, database, q, match),
                    await _facts(datasette, database, q, match)]
    template = datasette.jinja_env.from_string(TEMPLATE)
    html = await datasette.render_template(
        template, {"q": q, "sections": sections, "candidates": CANDIDATES}, request=request
    )
    return Response.html(html)


def _more(datasette, database, table, q):
    return datasette.urls.table(database.name, table) + "?" + urlencode({"_search": q})


async def _count(database, index, match) -> int:
    return (await database.execute(f"select count(*) from {index} where {index} match ?", [match])).first()[0]


async def _reports(datasette, database, q, match):
    rows = (await database.execute(
        "select r.id, r.title, r.text, r.organ, r.year from reports r join ("
        "  select rowid, bm25(reports_fts, 10.0, 1.0) as rank from reports_fts where reports_fts match ?"
        "  order by rank limit ?) hit on hit.rowid = r.id",
        [match, CANDIDATES],
    )).rows
    ranked = sorted(rows, key=lambda r: (-score(r["title"], r["text"], q), r["id"]))[:PER_TABLE]
    return {
        "table": "reports", "title": "Reports · 报告", "count": await _count(database, "reports_fts", match), "bounded": False,
        "more": _more(datasette, database, "reports", q),
        "rows": [
            {
                "url": datasette.urls.row(database.name, "reports", str(r["id"])),
                "title": marked(r["title"] or "(untitled)", q),
                "detail": " · ".join(str(x) for x in (r["organ"], r["year"], f"score {score(r['title'], r['text'], q)}") if x),
                "excerpt": marked(excerpt(r["text"], q), q),
            }
            for r in ranked
        ],
    }


# The best reports by the index's bm25, for the sections searched through reports.
BEST_REPORTS = (
    "select rowid, bm25(reports_fts, 10.0, 1.0) as rank from reports_fts where reports_fts match ? "
    "order by rank limit ?"
)


async def _within_reports(database, match, candidates, sql, q):
    """Rows of the ``candidates`` best reports that hold the words; whether more reports matched."""
    rows = (await database.execute(f"with hit as ({BEST_REPORTS}) {sql}", [match, candidates, q])).rows
    return rows, await _count(database, "reports_fts", match) > candidates


async def _sentences(datasette, database, q, match):
    rows, bounded = await _within_reports(
        database, match, CANDIDATES,
        "select s.id, s.text, r.title, r.id as report_id from hit join sentences s on s.report_id = hit.rowid "
        "join reports r on r.id = hit.rowid where search_contains(s.text, ?) order by hit.rank, s.seq",
        q,
    )
    return {
        "table": "sentences", "title": "Sentences · 句子", "count": len(rows), "bounded": bounded,
        "more": _more(datasette, database, "sentences", q),
        "rows": [
            {
                "url": datasette.urls.row(database.name, "reports", str(r["report_id"])),
                "title": r["title"] or "(untitled)", "detail": None, "excerpt": marked(excerpt(r["text"], q), q),
            }
            for r in rows[:PER_TABLE]
        ],
    }


async def _facts(datasette, database, q, match):
    rows, bounded = await _within_reports(
        database, match, CANDIDATES,
        "select f.id, f.subject, f.raw, s.text from hit join facts f on f.report_id = hit.rowid "
        "left join sentences s on s.id = f.sentence_id "
        "where search_contains(coalesce(f.subject, '') || ' ' || coalesce(s.text, ''), ?) "
        "order by hit.rank, f.start",
        q,
    )
    return {
        "table": "facts", "title": "Facts · 数据", "count": len(rows), "bounded": bounded,
        "more": _more(datasette, database, "facts", q),
        "rows": [
            {
                "url": datasette.urls.row(database.name, "facts", str(r["id"])),
                "title": marked(f"{r['subject'] or ''} {r['raw']}".strip(), q), "detail": None,
                "excerpt": marked(excerpt(r["text"] or "", q), q),
            }
            for r in rows[:PER_TABLE]
        ],
    }
