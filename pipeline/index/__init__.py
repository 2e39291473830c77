"""Search: a folder of converted JSON documents becomes a SQLite full-text index.

`build` writes and updates the database (sqlite-utils), `search` queries it, `datasette` writes
the metadata.json that lets Datasette show it. See docs/search.md.
"""
