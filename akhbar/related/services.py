"""Related articles, near-duplicate detection and tag suggestions: the functions callers use.

* ``related_for(article, k)`` — what the article page shows, from the stored rows, in at most
  two queries;
* ``refresh(article_id)`` — what the refresh job runs after an article event: fingerprint,
  duplicates, related;
* ``find_near_duplicates(article_or_text)`` — for the admin warning and the feed importer;
* ``FingerprintBatch`` — fingerprints and duplicates of a whole wire delivery at once;
* ``rebuild(...)`` — everything at once, for ``manage.py related --rebuild``;
* ``suspended()`` / ``catch_up(ids)`` — the switch bulk imports hold, and what they run after;
* ``suggest_tags(title, body)`` — the article form's tag suggestions.

Each job lives in its own module — fingerprints (:mod:`.fingerprints`, :mod:`.batch`), the
process's in-memory index (:mod:`.index_cache`), ranking (:mod:`.ranking`), near-duplicates
(:mod:`.duplicates`), the rebuild (:mod:`.rebuild`), following the newsroom
(:mod:`.refresh`) and suggestions (:mod:`.suggestions`); this module names what other apps
may use, so they need not know where each one lives.

Ranking and suggestions read the terms from an index each process keeps in memory and
brings up to date on every use from the fingerprints changed since (see
:mod:`.index_cache`); article pages never touch it.
"""

from __future__ import annotations

from akhbar.related.batch import FingerprintBatch
from akhbar.related.duplicates import (
    DUPLICATE_THRESHOLD,
    find_near_duplicates,
    near_duplicate_warnings,
    record_near_duplicates,
    warn_near_duplicates,
)
from akhbar.related.fingerprints import article_features, store_fingerprint
from akhbar.related.index_cache import SYNC_MARGIN, get_index, reset_index
from akhbar.related.ranking import (
    WEIGHTS,
    compute_related,
    rank_candidates,
    related_count,
    related_for,
    store_related,
    stored_count,
)
from akhbar.related.rebuild import rebuild
from akhbar.related.refresh import Suspension, articles_changed, catch_up, refresh, suspended
from akhbar.related.suggestions import TAG_NAMES_VERSION_KEY, suggest_tags, tag_renamed

__all__ = [
    "DUPLICATE_THRESHOLD", "SYNC_MARGIN", "TAG_NAMES_VERSION_KEY", "WEIGHTS",
    "FingerprintBatch", "Suspension", "article_features", "articles_changed", "catch_up",
    "compute_related", "find_near_duplicates", "get_index", "near_duplicate_warnings",
    "rank_candidates", "rebuild", "record_near_duplicates", "refresh", "related_count",
    "related_for", "reset_index", "store_fingerprint", "store_related", "stored_count",
    "suggest_tags", "suspended", "tag_renamed", "warn_near_duplicates",
]  # fmt: skip
