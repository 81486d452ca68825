"""Sitemaps for crawlers (django.contrib.sitemaps), sized for archives of millions of stories.

Rows are read as tuples with ``values_list`` and streamed with ``.iterator()``: a 50,000-URL
page is one query and never builds 50,000 model instances. Article URLs are built by string
substitution from one ``reverse()`` instead of 50,000 of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, cast

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.site.models import Page
from akhbar.syndication import services as s

URLS_PER_FILE = 50_000  # the sitemaps.org limit per file
_SLUG = "__slug__"


def _url_template(name: str) -> tuple[str, str]:
    head, _, tail = reverse(name, kwargs={"slug": _SLUG}).partition(_SLUG)
    return head, tail


def _live() -> Q:
    return Q(articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now())


class FastSitemap(Sitemap):
    """A sitemap whose items are ``values_list`` tuples streamed from the database.

    Subclasses give ``url_name`` (a route taking ``slug``) and the column order
    ``(slug, lastmod, …)``; extra columns are handed to ``extra_fields()``.
    """

    url_name = ""
    limit = URLS_PER_FILE

    def __init__(self) -> None:
        self.limit = akhbar_settings.sitemap_limit

    def items(self) -> QuerySet | list[tuple[Any, ...]]:
        raise NotImplementedError

    def extra_fields(self, row: tuple, protocol: str, domain: str) -> dict[str, Any]:
        return {}

    def get_urls(self, page: Any = 1, site: Any = None, protocol: str | None = None) -> list:
        protocol = self.get_protocol(protocol)
        domain = self.get_domain(site)
        head, tail = _url_template(self.url_name)
        prefix = f"{protocol}://{domain}{head}"
        latest: datetime | None = None
        urls = []
        rows = self.paginator.page(page).object_list  # raises EmptyPage/PageNotAnInteger → 404
        if hasattr(rows, "iterator"):
            rows = rows.iterator(chunk_size=5000)
        for row in rows:
            lastmod = row[1]
            if lastmod is not None and (latest is None or lastmod > latest):
                latest = lastmod
            url = {
                "location": f"{prefix}{s.quote_path_segment(row[0])}{tail}",
                "lastmod": lastmod.replace(microsecond=0) if lastmod else None,
            }
            url.update(self.extra_fields(row, protocol, domain))
            urls.append(url)
        self.latest_lastmod = latest
        return urls

    def get_latest_lastmod(self) -> datetime | None:
        """One aggregate query (Django's default would load every item)."""
        return None


class ArticleSitemap(FastSitemap):
    url_name = "site:article"

    def items(self) -> QuerySet:
        return (
            Article.objects.published()
            .annotate(last=Greatest("updated_at", "published_at"))
            .order_by("id")
            .values_list("slug", "last", "featured_image")
        )

    def extra_fields(self, row: tuple, protocol: str, domain: str) -> dict[str, Any]:
        if not row[2]:
            return {}
        image = s.media_url(row[2])
        if image.startswith("/"):
            image = f"{protocol}://{domain}{image}"
        return {"image": image}

    def get_latest_lastmod(self) -> datetime | None:
        found = Article.objects.published().aggregate(u=Max("updated_at"), p=Max("published_at"))
        values = [v for v in found.values() if v is not None]
        return max(values).replace(microsecond=0) if values else None


class _ArchiveSitemap(FastSitemap):
    """Categories, tags or authors that have at least one live article, newest story first."""

    model: type[Category | Tag | Author] = Category

    def _annotated(self) -> QuerySet:
        live = _live()
        return self.model.objects.annotate(last=Max("articles__updated_at", filter=live)).filter(
            last__isnull=False
        )

    def items(self) -> QuerySet:
        return self._annotated().order_by("pk").values_list("slug", "last")

    def get_latest_lastmod(self) -> datetime | None:
        found = self._annotated().aggregate(m=Max("last"))["m"]
        return found.replace(microsecond=0) if found else None


class CategorySitemap(FastSitemap):
    """Sections with at least one live story, their own or a sub-section's.

    A section's page lists its sub-sections' stories too, so a parent whose stories are all
    filed under children still belongs here. Sections are few; one grouped query gives the
    newest story per section and the roll-up to parents happens in Python.
    """

    url_name = "site:category"

    def items(self) -> list[tuple[str, datetime]]:
        if not hasattr(self, "_rows"):
            newest = dict(
                Article.objects.published()
                .order_by()
                .values_list("category_id")
                .annotate(last=Max("updated_at"))
            )
            categories = list(
                Category.objects.order_by("pk").values_list("pk", "slug", "parent_id")
            )
            rolled = dict(newest)
            for pk, _slug, parent in categories:
                if parent and pk in newest:
                    rolled[parent] = max(filter(None, [rolled.get(parent), newest[pk]]))
            self._rows = [(slug, rolled[pk]) for pk, slug, _ in categories if pk in rolled]
        return self._rows

    def get_latest_lastmod(self) -> datetime | None:
        found = max((last for _slug, last in self.items()), default=None)
        return found.replace(microsecond=0) if found else None


class TagSitemap(_ArchiveSitemap):
    model = Tag
    url_name = "site:tag"


class AuthorSitemap(_ArchiveSitemap):
    model = Author
    url_name = "site:author"


class PageSitemap(FastSitemap):
    """The home page and the published static pages."""

    url_name = "site:page"

    def items(self) -> QuerySet:
        return (
            Page.objects.filter(is_published=True).order_by("pk").values_list("slug", "updated_at")
        )

    def get_urls(self, page: Any = 1, site: Any = None, protocol: str | None = None) -> list:
        urls = super().get_urls(page, site, protocol)
        if str(page) == "1":
            home = f"{self.get_protocol(protocol)}://{self.get_domain(site)}{reverse('site:home')}"
            urls.insert(0, {"location": home, "lastmod": None})
        self.latest_lastmod = None
        return urls


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}


#: Other apps may keep older stories in the Google News sitemap while they are still news (a
#: live coverage that started days ago): each returns article ids (see register_news_source).
_NEWS_SOURCES: list[Callable[[], Iterable[int]]] = []


def register_news_source(source: Callable[[], Iterable[int]]) -> None:
    if source not in _NEWS_SOURCES:
        _NEWS_SOURCES.append(source)


def news_items(now: datetime | None = None) -> list[tuple[str, str, datetime]]:
    """``(slug, title, published_at)`` of the stories for the Google News sitemap: published
    in the last 48 hours (Google's rule), plus what registered sources still call news (live
    coverages while live), newest first, at most 1,000 (Google's limit)."""
    from datetime import timedelta

    now = now or timezone.now()
    recent = Q(published_at__gte=now - timedelta(hours=48))
    extra = [pk for source in _NEWS_SOURCES for pk in source()]
    if extra:
        recent |= Q(pk__in=extra)
    rows = list(
        Article.objects.published(now)
        .filter(recent)
        .order_by("-published_at", "-id")
        .values_list("slug", "title", "published_at")[:1000]
    )
    return cast("list[tuple[str, str, datetime]]", rows)  # published: published_at is set
