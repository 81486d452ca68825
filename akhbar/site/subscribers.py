"""Start a new content generation whenever something readers see changes.

Every cached page, feed and sitemap is keyed on the generation (akhbar.site.cache), so this is
the one place that decides what "changed" means: every pipeline event that readers could see
(an article published, edited, withdrawn or deleted; a comment approved or removed; a section,
tag, author or page edited; site settings), plus a saved *scheduled* article (pages must expire
when it goes live). Draft saves and spam submissions never empty the caches. One bump per
delivered batch (an import batch of 250 articles costs one cache write, not 250), as one
subscriber to every event, so a batch mixing several kinds still costs one.
"""

from __future__ import annotations

from akhbar.core import events
from akhbar.site.cache import bump_content_version

_READER_VISIBLE = (
    events.ArticlePublished,
    events.ArticleUpdated,
    events.ArticleUnpublished,
    events.ArticleDeleted,
    events.CommentApproved,
    events.CommentRemoved,
    events.TaxonomyChanged,
    events.PeopleChanged,
    events.PageChanged,
    events.SiteSettingsChanged,
)


def on_events(batch: tuple[events.Event, ...]) -> None:
    """One bump for a whole delivered batch, whatever the mix of event types in it (a wire
    delivery brings new articles, updates and new authors together)."""
    if any(
        isinstance(event, _READER_VISIBLE)
        or (isinstance(event, events.ArticleSaved) and event.scheduled_at is not None)
        for event in batch
    ):
        # A scheduled article limits how long pages may be cached (cache_seconds): recompute.
        bump_content_version()


def connect() -> None:
    events.subscribe(events.Event, on_events, name="site", batch=True)
