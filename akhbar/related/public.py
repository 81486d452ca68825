"""The related app's public interface: related lists, near-duplicates and the bulk switch.

Other apps import this module and ``akhbar.related.models``, never the app's other modules
(docs/architecture.md, "Apps" and "Bulk work"; import-linter checks it). A bulk writer holds
the per-save work back with ``suspended()`` and asks for it once with ``articles_changed`` or
``catch_up``; partner feeds and wire ingest skip or flag near-duplicates with
``find_near_duplicates`` and store fingerprints together with a ``FingerprintBatch``.
"""

from __future__ import annotations

from akhbar.related.services import (
    FingerprintBatch,
    articles_changed,
    catch_up,
    find_near_duplicates,
    related_for,
    suspended,
)

__all__ = [
    "FingerprintBatch",
    "articles_changed",
    "catch_up",
    "find_near_duplicates",
    "related_for",
    "suspended",
]
