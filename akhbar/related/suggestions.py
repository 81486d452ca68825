"""Tag suggestions for the article form: :func:`akhbar.related.suggest.suggest` with the
site's tags and the index's IDF."""

from __future__ import annotations

from akhbar.related import features
from akhbar.related.index_cache import get_index
from akhbar.related.suggest import Suggestion, suggest

#: Bumped in the shared cache when a tag is renamed, so every process reloads tag names.
TAG_NAMES_VERSION_KEY = "akhbar:related:tag-names"
#: (stamp, names) of this process; replaced whole, so threads never see half an update.
_tag_names_cache: tuple[tuple[object, ...], list[str]] | None = None


def _tag_names() -> list[str]:
    """All tag names, kept in this process until a tag is added, renamed or removed.

    Additions and removals show in the tags' count and highest id (one aggregate query); a
    rename changes neither, so :func:`tag_renamed` (subscribed to ``TaxonomyRenamed``) bumps a
    version in the shared cache that every process compares too.
    """
    global _tag_names_cache
    from django.core.cache import cache
    from django.db.models import Count, Max

    from akhbar.newsroom.models import Tag

    counts = Tag.objects.aggregate(n=Count("id"), last=Max("id"))
    stamp = (counts["n"], counts["last"], cache.get(TAG_NAMES_VERSION_KEY))
    cached = _tag_names_cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    names = list(Tag.objects.values_list("name", flat=True)[:50_000])
    _tag_names_cache = (stamp, names)
    return names


def tag_renamed() -> None:
    """A tag's name changed: every process reloads the names on its next suggestion."""
    import time

    from django.core.cache import cache

    cache.set(TAG_NAMES_VERSION_KEY, time.time_ns(), None)


def suggest_tags(title: str, body: str, k: int = 8) -> list[Suggestion]:
    """Suggestions for the article form (see :func:`akhbar.related.suggest.suggest`).

    Existing tags come first, key phrases are weighted by IDF over the site's articles.
    ``body`` may be HTML.
    """
    title = title if isinstance(title, str) else ""
    body = features.plain_text(body) if isinstance(body, str) else ""
    index = get_index()
    return suggest(title, body, k, tags=_tag_names(), idf=index.idf)
