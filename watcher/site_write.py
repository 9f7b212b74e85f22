"""Datasette plugin: correcting a fact from the site, for whoever holds the owner's token.

The site is read-only unless the owner sets ``REPORT_INBOX_CORRECTION_TOKEN`` (Settings
``correction_token``); then ``POST /-/correct`` with ``Authorization: Bearer TOKEN`` (or the
form on ``/-/correct?fact_id=N``) records a correction, exactly as ``report-inbox correct`` does
(``fact_id`` and the change), or as ``correct-report`` does (``report_id``, ``field``, ``field_value``).
Anything else is refused with 403 and writes nothing.
"""

from __future__ import annotations

import hmac
import json

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import escape

from watcher import corrections

PATH = "/-/correct"
_TOKEN_ATTRIBUTE = "report_inbox_correction_token"


def allow_corrections(datasette, token) -> None:
    """Let this Datasette accept corrections from holders of ``token`` (a SecretStr; None: read-only)."""
    setattr(datasette, _TOKEN_ATTRIBUTE, token.get_secret_value() if token else None)


def _authorised(datasette, request, fields: dict) -> bool:
    expected = getattr(datasette, _TOKEN_ATTRIBUTE, None)
    if not expected:
        return False
    header = request.headers.get("authorization", "")
    given = header[len("Bearer "):] if header.startswith("Bearer ") else fields.get("token") or ""
    return hmac.compare_digest(given.encode(), expected.encode())


def _number(text):
    return float(text) if text not in (None, "") else None


def _flag(value) -> bool:
    return value in (True, 1, "1", "on", "true", "yes")


async def _fields(request) -> dict:
    if "json" in request.headers.get("content-type", ""):
        return json.loads((await request.post_body()) or b"{}")
    return dict(await request.post_vars())


FORM = """<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>Correct a fact</title>
<link rel="stylesheet" href="/-/static/app.css"></head><body><section class="content">
<h1>Correct fact {fact_id}</h1>
<p>The correction is kept apart from extraction and applied again after every reprocess.</p>
<form method="post" action="{path}">
<input type="hidden" name="fact_id" value="{fact_id}">
<p><label>Token <input type="password" name="token" required></label></p>
<p><label>Indicator key <input name="indicator"></label>
<label><input type="checkbox" name="clear_indicator" value="1"> no indicator</label></p>
<p><label>Value <input name="value" inputmode="decimal"></label> <label>Unit <input name="unit"></label></p>
<p><label><input type="checkbox" name="not_a_fact" value="1"> not a fact</label></p>
<p><label>Your name <input name="author" required></label></p>
<p><label>Why <input name="reason" size="60"></label></p>
<p><input type="submit" value="Save correction"></p>
</form></section></body></html>"""


async def correct(request, datasette):
    if request.method == "GET":
        if not getattr(datasette, _TOKEN_ATTRIBUTE, None):
            return Response.text("This site is read-only: corrections are not enabled.", status=403)
        fact_id = escape(request.args.get("fact_id", ""))
        return Response.html(FORM.format(fact_id=fact_id, path=PATH))
    try:
        fields = await _fields(request)
    except ValueError:
        return Response.json({"ok": False, "error": "the body is not valid JSON"}, status=400)
    if not _authorised(datasette, request, fields):
        return Response.json({"ok": False, "error": "corrections need the owner's token"}, status=403)
    database = datasette.get_database()
    if fields.get("report_id") not in (None, ""):
        try:
            report_id = int(fields["report_id"])
        except ValueError:
            return Response.json({"ok": False, "error": "report_id must be a number"}, status=400)
        return await _write(database, lambda conn: corrections.record_field(
            conn, report_id, str(fields.get("field") or ""), fields.get("field_value"),
            author=str(fields.get("author") or ""), reason=fields.get("reason") or None,
        ), report_id=report_id)
    try:
        fact_id = int(fields.get("fact_id"))
        kwargs = {
            "author": str(fields.get("author") or ""), "reason": fields.get("reason") or None,
            "indicator": fields.get("indicator") or None, "clear_indicator": _flag(fields.get("clear_indicator")),
            "value": _number(fields.get("value")), "unit": fields.get("unit") or None,
            "not_a_fact": _flag(fields.get("not_a_fact")),
        }
    except (TypeError, ValueError):
        return Response.json({"ok": False, "error": "fact_id and value must be numbers"}, status=400)
    return await _write(database, lambda conn: corrections.record(conn, fact_id, **kwargs), fact_id=fact_id)


async def _write(database, fn, **target):
    try:
        correction_id = await database.execute_write_fn(fn)
    except corrections.CorrectionError as error:
        return Response.json({"ok": False, "error": str(error)}, status=400)
    return Response.json({"ok": True, "correction_id": correction_id, **target}, status=201)


@hookimpl
def register_routes():
    return [(r"^/-/correct$", correct)]


@hookimpl
def skip_csrf(scope):
    """The route is authorised by its token, not by a cookie, so a CSRF token adds nothing."""
    return scope["path"] == PATH
