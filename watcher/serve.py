"""The service: the inbox watcher and Datasette on the live database, started and stopped together."""

from __future__ import annotations

import logging
import signal

from schema.metadata import DATASETTE_SETTINGS, datasette_metadata
from watcher.config import Settings
from watcher.lean import without
from watcher.startup import check_port

log = logging.getLogger("report_inbox")


def make_datasette(settings: Settings):
    """Datasette on the live file (not immutable), no caching, so a new report shows at once."""
    from datasette.app import Datasette

    from watcher.site_write import allow_corrections

    datasette = Datasette(
        [str(settings.db)],
        metadata=datasette_metadata(settings.db.stem),
        settings={**DATASETTE_SETTINGS, "default_cache_ttl": 0},
    )
    allow_corrections(datasette, settings.correction_token)
    return datasette


def serve(settings: Settings) -> None:
    """Watcher and Datasette until Ctrl-C or SIGTERM (uvicorn turns both into a clean exit)."""
    without(["sqlite_utils", "datasette.app"])  # before anything else imports them
    import uvicorn

    from watcher.watch import watching

    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to whatever
    # handler was there before; with these in place the process then exits with status 0.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: None)
    with watching(settings):
        check_port(settings.host, settings.port)
        server = uvicorn.Server(
            uvicorn.Config(make_datasette(settings).app(), host=settings.host, port=settings.port, log_level="warning")
        )
        log.info("Datasette on http://%s:%s/", settings.host, settings.port)
        server.run()
