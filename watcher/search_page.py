"""The site-wide search page (``/-/search?q=``): titles and excerpts with the hits marked, for
reports, sentences and facts, each with the number of hits and a link to all of them."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from watcher.search import contains, excerpt, fts_query, highlight_spans, score

PER_TABLE = 5
# Reports are ranked by score among this many best by the index's own bm25, so that a query
# found in every report costs no more than one found in fifty.
CANDIDATES = 200
# Sentences and facts are looked for in the best of them.
WITHIN_CANDIDATES = 50

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
        best = (await database.execute(
            "select r.id, r.title, r.text, r.organ, r.year from reports r join ("
            "  select rowid, bm25(reports_fts, 10.0, 1.0) as rank from reports_fts where reports_fts match ?"
            "  order by rank limit ?) hit on hit.rowid = r.id order by hit.rank",
            [match, CANDIDATES],
        )).rows
        count = await _count(database, "reports_fts", match)
        sections = [_reports(datasette, database, q, best, count),
                    await _sentences(datasette, database, q, best, count > WITHIN_CANDIDATES),
                    await _facts(datasette, database, q, best, count > WITHIN_CANDIDATES)]
    template = datasette.jinja_env.from_string(TEMPLATE)
    html = await datasette.render_template(
        template, {"q": q, "sections": sections, "candidates": WITHIN_CANDIDATES}, request=request
    )
    return Response.html(html)


def _more(datasette, database, table, q):
    return datasette.urls.table(database.name, table) + "?" + urlencode({"_search": q})


async def _count(database, index, match) -> int:
    return (await database.execute(f"select count(*) from {index} where {index} match ?", [match])).first()[0]


def _reports(datasette, database, q, best, count):
    ranked = sorted(best, key=lambda r: (-score(r["title"], r["text"], q), r["id"]))[:PER_TABLE]
    return {
        "table": "reports", "title": "Reports · 报告", "count": count, "bounded": False,
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


async def _spans(database, sql, best) -> list[sqlite3.Row]:
    """Rows of ``sql`` (which selects by ``report_id in (…)``) for the best reports, in their
    order: run on the connection itself, since thousands of rows are only filtered here."""
    best = best[:WITHIN_CANDIDATES]
    order = {r["id"]: i for i, r in enumerate(best)}

    def run(conn):
        cursor = conn.execute(sql.format(marks=",".join("?" * len(order))), list(order))
        cursor.row_factory = sqlite3.Row
        return cursor.fetchall()

    rows = await database.execute_fn(run) if order else []
    return sorted(rows, key=lambda r: (order[r["report_id"]], r["start"]))


async def _sentences(datasette, database, q, best, bounded):
    """Sentences of the best reports holding every word: cut from the report texts in hand."""
    texts = {r["id"]: (r["title"], r["text"]) for r in best}
    spans = await _spans(
        database, 'select id, report_id, start, "end" from sentence_spans where report_id in ({marks})', best
    )
    found = []
    for span in spans:
        title, text = texts[span["report_id"]]
        sentence = text[span["start"]:span["end"]]
        if contains(sentence, q):
            found.append((span["report_id"], title, sentence))
    rows = [
        {
            "url": datasette.urls.row(database.name, "reports", str(report_id)),
            "title": title or "(untitled)", "detail": None, "excerpt": marked(excerpt(sentence, q), q),
        }
        for report_id, title, sentence in found[:PER_TABLE]
    ]
    return {
        "table": "sentences", "title": "Sentences · 句子", "count": len(found), "bounded": bounded,
        "more": _more(datasette, database, "sentences", q), "rows": rows,
    }


async def _facts(datasette, database, q, best, bounded):
    """Facts of the best reports whose subject or sentence holds every word."""
    texts = {r["id"]: r["text"] for r in best}
    facts = await _spans(
        database,
        'select f.id, f.report_id, f.subject, f.raw, f.start, s.start as s_start, s."end" as s_end from facts f '
        "left join sentence_spans s on s.id = f.sentence_id where f.report_id in ({marks})",
        best,
    )
    found = []
    for f in facts:
        sentence = texts[f["report_id"]][f["s_start"]:f["s_end"]] if f["s_start"] is not None else ""
        if contains(f"{f['subject'] or ''} {sentence}", q):
            found.append((f, sentence))
    rows = [
        {
            "url": datasette.urls.row(database.name, "facts", str(f["id"])),
            "title": marked(f"{f['subject'] or ''} {f['raw']}".strip(), q), "detail": None,
            "excerpt": marked(excerpt(sentence, q), q),
        }
        for f, sentence in found[:PER_TABLE]
    ]
    return {
        "table": "facts", "title": "Facts · 数据", "count": len(found), "bounded": bounded,
        "more": _more(datasette, database, "facts", q), "rows": rows,
    }
