"""The search app's public interface: the engine, the query parser and the bulk switch.

Other apps import this module and ``akhbar.search.models``, never the app's other modules
(docs/architecture.md, "Apps" and "Bulk work"; import-linter checks it). The Content API
searches with ``get_backend()`` and ``parse_query``; a bulk writer holds indexing back with
``suspended()`` and catches up with ``catch_up(ids)``.
"""

from __future__ import annotations

from akhbar.search.backends import SearchFilters, get_backend
from akhbar.search.indexing import catch_up, suspended
from akhbar.search.query import parse_query

__all__ = ["SearchFilters", "catch_up", "get_backend", "parse_query", "suspended"]
