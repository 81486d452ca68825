"""Which surrogate keys each domain event purges (the key scheme is akhbar.core.surrogate).

The rule: purge every page that *shows* what changed, and nothing else. An article's own
page and every page linking to it carry ``a<id>``, so an edit purges exactly those. A
publication (or unpublication, or deletion) also changes the listings it belongs to: the home
page, its section (and parent section: the parent's pages carry the child's key), tag and
author pages, their feeds, the site feed, search pages and sitemaps. A comment is shown only on
its article's page and comments feed (``p<id>``); listings' comment counts follow s-maxage.
"""

from __future__ import annotations

from akhbar.core import events, surrogate

#: ArticleUpdated fields that move an article between listings or change their order.
LISTING_FIELDS = frozenset(
    {
        "category",
        "category_id",
        "tags",
        "author",
        "author_id",
        "authors",
        "published_at",
        "slug",
        "status",
        "is_featured",
        "featured",
        "is_breaking",
        "breaking",
    }
)


def _listings(event: events._ArticleEvent) -> set[str]:
    keys = {surrogate.HOME, surrogate.SEARCH, surrogate.SITEMAP}
    keys |= _feeds(event)
    keys.update(surrogate.section(pk) for pk in event.category_ids)
    keys.update(surrogate.tag(pk) for pk in event.tag_ids)
    keys.update(surrogate.author(pk) for pk in event.author_ids)
    return keys


def _feeds(event: events._ArticleEvent) -> set[str]:
    keys = {surrogate.FEED}
    keys.update(surrogate.section_feed(pk) for pk in event.category_ids)
    keys.update(surrogate.tag_feed(pk) for pk in event.tag_ids)
    keys.update(surrogate.author_feed(pk) for pk in event.author_ids)
    return keys


def for_event(event: events.Event) -> set[str]:
    """The keys to purge after ``event`` (empty: nothing a cached page shows changed)."""
    if isinstance(event, events.ArticleUpdated):
        keys = {surrogate.article(event.article_id), surrogate.article_page(event.article_id)}
        # An unknown change (no fields named) is treated as one that may move listings.
        if not event.fields or event.fields & LISTING_FIELDS:
            return keys | _listings(event)
        return keys | _feeds(event)
    if isinstance(
        event, events.ArticlePublished | events.ArticleUnpublished | events.ArticleDeleted
    ):
        keys = {surrogate.article(event.article_id), surrogate.article_page(event.article_id)}
        return keys | _listings(event)
    if isinstance(event, events.CommentApproved | events.CommentRemoved):
        return {surrogate.article_page(event.article_id)}
    if isinstance(event, events.LiveCoverageChanged):
        # The coverage's own page and its poll endpoint (akhbar.live) carry these; listings
        # that show the article as a teaser do not change with an entry.
        return {surrogate.article_page(event.article_id), f"live{event.coverage_id}"}
    if isinstance(event, events.TaxonomyChanged):  # renames included (a subclass)
        if event.kind == "tag":
            return {
                surrogate.tag(event.object_id),
                surrogate.tag_feed(event.object_id),
                surrogate.tag_name(event.object_id),
            }
        if isinstance(event, events.TaxonomyRenamed) or event.created or event.deleted:
            # Section names are in every page's menu and on every teaser: everything.
            return {surrogate.ALL}
        return {surrogate.section(event.object_id), surrogate.section_feed(event.object_id)}
    if isinstance(event, events.PeopleChanged):
        return {
            surrogate.author(event.author_id),
            surrogate.author_feed(event.author_id),
            surrogate.author_name(event.author_id),
        }
    if isinstance(event, events.PageChanged | events.SiteSettingsChanged):
        # Static pages are linked from every page's footer; settings are on every page.
        return {surrogate.ALL}
    return set()  # ArticleSaved: nothing readers see
