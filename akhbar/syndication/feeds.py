"""RSS 2.0 and Atom feeds, built on Django's syndication framework.

One base class serves the whole site, a category (with its sub-categories, like the archive
page), a tag and an author; a second one serves an article's approved comments. A feed object
is created per request (see ``views.feed_view``), so keeping the request on ``self`` is safe.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, linebreaks

from akhbar.comments.models import Comment
from akhbar.core import surrogate
from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.site.models import SiteSettings
from akhbar.syndication import services as s

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


class RssFeed(Rss201rev2Feed):
    """RSS 2.0 plus ``content:encoded`` for the full text (``description`` stays the excerpt,
    which is what readers show in their lists)."""

    def rss_attributes(self) -> dict[str, str]:
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = CONTENT_NS
        return attrs

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(Atom1Feed):
    """Atom 1.0 plus ``<content type="html">`` for the full text."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ArticleFeed(Feed):
    """The latest published articles of the whole site; subclasses narrow ``filter_articles``."""

    feed_type: type = RssFeed
    item_guid_is_permalink = False
    request: HttpRequest

    # --- what the feed is about -----------------------------------------------------------

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        self.settings = SiteSettings.current()
        self.language = self.settings.language or "ar"  # Django reads it as an attribute
        return None

    def filter_articles(self, qs: QuerySet[Article], obj: Any) -> QuerySet[Article]:
        return qs

    def subject(self, obj: Any) -> str:
        """What this feed covers, appended to the site name in its title."""
        return ""

    def title(self, obj: Any) -> str:
        name = self.settings.site_name
        subject = self.subject(obj)
        return s.xml_text(f"{name} — {subject}" if subject else name)

    def link(self, obj: Any) -> str:
        return obj.get_absolute_url() if obj is not None else reverse("site:home")

    def description(self, obj: Any) -> str:
        subject = self.subject(obj)
        if subject:
            return s.xml_text(f"آخر الأخبار في {subject} من {self.settings.site_name}")
        return s.xml_text(self.settings.tagline or f"آخر الأخبار من {self.settings.site_name}")

    def author_name(self, obj: Any) -> str:
        # Atom needs an author for every entry; the site stands in for unsigned stories.
        return s.xml_text(self.settings.site_name)

    def feed_copyright(self, obj: Any) -> str:
        return s.xml_text(f"© {timezone.localdate().year} {self.settings.copyright_holder}")

    def feed_guid(self, obj: Any) -> str:
        return s.absolute(self.request, self.link(obj))

    # --- entries --------------------------------------------------------------------------

    def items(self, obj: Any) -> list[Article]:
        qs = (
            Article.objects.published()
            .select_related("author", "category")
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name", "slug")))
            .order_by("-published_at", "-id")
        )
        if not akhbar_settings.feed_full_text:
            qs = qs.defer("body")
        return list(self.filter_articles(qs, obj)[: akhbar_settings.feed_items])

    def item_title(self, item: Article) -> str:
        return s.xml_text(item.title)

    def item_description(self, item: Article) -> str:
        # The excerpt is plain text but feed descriptions are HTML: escape it.
        return escape(s.xml_text(item.excerpt))

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return s.tag_uri(self.request.get_host(), item.created_at, "article", item.pk)

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        if item.published_at and item.updated_at:
            return max(item.published_at, item.updated_at)
        return item.updated_at or item.published_at

    def item_author_name(self, item: Article) -> str | None:
        return s.xml_text(item.author.display_name) if item.author else None

    def item_author_link(self, item: Article) -> str | None:
        return s.absolute(self.request, item.author.get_absolute_url()) if item.author else None

    def item_categories(self, item: Article) -> list[str]:
        names = [item.category.name, *(t.name for t in item.tags.all())]
        return [s.xml_text(n) for n in names]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        if not item.featured_image:
            return []
        name = item.featured_image.name
        try:
            length = item.featured_image.size
        except (OSError, ValueError):
            length = 0  # RSS requires the attribute; 0 means "unknown" to every reader
        mime = mimetypes.guess_type(name)[0] or "image/jpeg"
        url = s.absolute(self.request, s.media_url(name))
        return [Enclosure(url=url, length=str(length), mime_type=mime)]

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        if not akhbar_settings.feed_full_text:
            return {}
        base = s.absolute(self.request, item.get_absolute_url())
        return {"content_html": s.xml_text(s.absolutize_html(item.body, base))}


class CategoryFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:
        super().get_object(request)
        item = get_object_or_404(Category, slug=slug)
        children = item.children.values_list("pk", flat=True)
        surrogate.note(*(surrogate.section_feed(pk) for pk in [item.pk, *children]))
        return item

    def filter_articles(self, qs: QuerySet[Article], obj: Category) -> QuerySet[Article]:
        return qs.filter(Q(category=obj) | Q(category__parent=obj))

    def subject(self, obj: Category) -> str:
        return obj.name


class TagFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        super().get_object(request)
        item = get_object_or_404(Tag, slug=slug)
        surrogate.note(surrogate.tag_feed(item.pk))
        return item

    def filter_articles(self, qs: QuerySet[Article], obj: Tag) -> QuerySet[Article]:
        return qs.filter(tags=obj)

    def subject(self, obj: Tag) -> str:
        return f"وسم {obj.name}"


class AuthorFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Author:
        super().get_object(request)
        item = get_object_or_404(Author, slug=slug)
        surrogate.note(surrogate.author_feed(item.pk))
        return item

    def filter_articles(self, qs: QuerySet[Article], obj: Author) -> QuerySet[Article]:
        return qs.filter(author=obj)

    def subject(self, obj: Author) -> str:
        return obj.display_name


class CommentsFeed(Feed):
    """An article's approved comments, newest first."""

    feed_type: type = RssFeed
    item_guid_is_permalink = False
    request: HttpRequest

    def get_object(self, request: HttpRequest, slug: str) -> Article:
        self.request = request
        self.settings = SiteSettings.current()
        self.language = self.settings.language or "ar"  # Django reads it as an attribute
        try:
            item = Article.objects.published().only("title", "slug", "created_at").get(slug=slug)
        except Article.DoesNotExist as exc:
            raise Http404("المقال غير موجود") from exc
        surrogate.note(surrogate.article_page(item.pk))
        return item

    def title(self, obj: Article) -> str:
        return s.xml_text(f"تعليقات على: {obj.title} — {self.settings.site_name}")

    def link(self, obj: Article) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Article) -> str:
        return s.xml_text(f"تعليقات القرّاء المنشورة على «{obj.title}»")

    def author_name(self, obj: Article) -> str:
        return s.xml_text(self.settings.site_name)

    def feed_guid(self, obj: Article) -> str:
        return s.tag_uri(self.request.get_host(), obj.created_at, "comments", obj.pk)

    def items(self, obj: Article) -> list[Comment]:
        self.article = obj
        return list(
            Comment.objects.filter(article=obj, status=Comment.Status.APPROVED)
            .only("id", "author_name", "body", "created_at")
            .order_by("-created_at", "-id")[: akhbar_settings.feed_items]
        )

    def item_title(self, item: Comment) -> str:
        return s.xml_text(f"تعليق من {item.author_name}")

    def item_description(self, item: Comment) -> str:
        return linebreaks(s.xml_text(item.body), autoescape=True)

    def item_link(self, item: Comment) -> str:
        return f"{self.article.get_absolute_url()}#comment-{item.pk}"

    def item_guid(self, item: Comment) -> str:
        return s.tag_uri(self.request.get_host(), item.created_at, "comment", item.pk)

    def item_pubdate(self, item: Comment) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> datetime:
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return s.xml_text(item.author_name)


def atom(feed_class: type[Feed]) -> type[Feed]:
    """The Atom twin of an RSS feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": AtomFeed})


class CorrectionsFeed(Feed):
    """Every correction and update shown to readers: the corrections page as RSS."""

    feed_type: type = RssFeed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        self.settings = SiteSettings.current()
        self.language = self.settings.language or "ar"
        return None

    def title(self, obj: Any) -> str:
        return s.xml_text(f"{self.settings.site_name} — التصحيحات والتحديثات")

    def link(self, obj: Any) -> str:
        return reverse("site:corrections")

    def description(self, obj: Any) -> str:
        return s.xml_text(f"التصحيحات والتحديثات على مقالات {self.settings.site_name}")

    def items(self, obj: Any) -> list[Any]:
        from akhbar.site.public import corrections_listing

        return list(corrections_listing()[:50])

    def item_title(self, item: Any) -> str:
        return s.xml_text(f"{item.get_kind_display()}: {item.article.title}")

    def item_description(self, item: Any) -> str:
        return escape(s.xml_text(item.text))

    def item_link(self, item: Any) -> str:
        return item.article.get_absolute_url()

    def item_guid(self, item: Any) -> str:
        return f"{s.absolute(self.request, item.article.get_absolute_url())}#note-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Any) -> datetime:
        return item.created_at
