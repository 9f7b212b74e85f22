"""Pages a researcher reads, on top of Datasette's tables: a report, a place, an indicator,
downloads of the data, and forms and cells that read well. Registered as a Datasette plugin
(its templates folder overrides Datasette's table and query pages)."""

from watcher.site.hooks import (  # noqa: F401
    extra_css_urls, extra_template_vars, register_facet_classes, register_routes, render_cell,
)
