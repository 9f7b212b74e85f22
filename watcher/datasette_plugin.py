"""Datasette plugin: Chinese words found by the stock search box, the JSON API and search-all.

Datasette searches with ``MATCH escape_fts(:search)``; redefining ``escape_fts`` on every
connection turns a query into bigram phrases (see ``watcher.search``). ``trylast`` makes this
run after Datasette's own definition of the function, so this one wins.
"""

from datasette import hookimpl

from watcher.search import fts_query


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
