"""Live coverage's public interface: start, pause and end a coverage, post and change entries,
and the readers' update payload.

No app calls these yet (editors use the live desk's own views, readers the ``live_tags``
template library the article page loads), but this is the interface another writer (the API,
a wire) uses. Other apps import this module, never the app's other modules or its models
directly (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

from akhbar.live.services import (
    LiveError,
    delete_entry,
    edit_entry,
    end_coverage,
    post_entry,
    set_pinned,
    set_state,
    set_summary,
    start_coverage,
    updates_payload,
)

__all__ = [
    "LiveError",
    "delete_entry",
    "edit_entry",
    "end_coverage",
    "post_entry",
    "set_pinned",
    "set_state",
    "set_summary",
    "start_coverage",
    "updates_payload",
]
