"""report-inbox: watch a folder of work reports, extract records into SQLite, publish with Datasette."""

__version__ = "0.1.0"
