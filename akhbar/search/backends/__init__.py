"""Search engines behind one interface, chosen by the database in use (as Wagtail does).

SQLite gets FTS5, PostgreSQL gets tsvector + GIN; both index the same analysed terms (see
``akhbar.search.models``), so both find the same articles for the same query.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

from akhbar.search.backends.base import SearchBackend, SearchFilters, SearchHit, SearchResults

__all__ = ["SearchBackend", "SearchFilters", "SearchHit", "SearchResults", "get_backend"]


def get_backend(using: str = DEFAULT_DB_ALIAS) -> SearchBackend:
    """The engine for database ``using``, picked by its ``connection.vendor``."""
    vendor = connections[using].vendor
    if vendor == "sqlite":
        from akhbar.search.backends.sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend(using)
    if vendor == "postgresql":
        from akhbar.search.backends.postgres import PostgresSearchBackend

        return PostgresSearchBackend(using)
    raise ImproperlyConfigured(f"No search engine for database vendor {vendor!r}")
