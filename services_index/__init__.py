"""The Federal Services Index: the SQLite store, seed content, search and revisions."""
