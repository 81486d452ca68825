"""Every entry of a coverage in RSS and Atom (Django's syndication framework), newest first."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed

from akhbar.live import services
from akhbar.live.models import Coverage, Entry
from akhbar.newsroom.public import html_to_text

FEED_ITEMS = 50


class CoverageRss(Feed):
    def get_object(self, request: HttpRequest, pk: int) -> Coverage:
        coverage = Coverage.objects.select_related("article").filter(pk=pk).first()
        if coverage is None or not coverage.article.is_live:
            raise Http404("no such coverage")
        return coverage

    def title(self, obj: Coverage) -> str:
        return f"مباشر: {obj.article.title}"

    def link(self, obj: Coverage) -> str:
        return obj.article.get_absolute_url()

    def description(self, obj: Coverage) -> str:
        return obj.article.excerpt or obj.article.title

    def items(self, obj: Coverage) -> list[Entry]:
        return list(services.visible_entries(obj).order_by("-id")[:FEED_ITEMS])

    def item_title(self, item: Entry) -> str:
        return item.title or html_to_text(item.body)[:90] or "تحديث"

    def item_description(self, item: Entry) -> str:
        return item.body

    def item_link(self, item: Entry) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Entry) -> str:
        return f"akhbar-live-entry-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry) -> Any:
        return item.created_at

    def item_updateddate(self, item: Entry) -> Any:
        return item.edited_at or item.created_at

    def item_author_name(self, item: Entry) -> str:
        return item.author_name


class CoverageAtom(CoverageRss):
    feed_type = Atom1Feed
    subtitle = CoverageRss.description
