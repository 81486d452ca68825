"""Editors' control over related articles: a page per article to pin and exclude items, and
the near-duplicate warning on the article form.

Registered on a proxy of Article so newsroom/admin.py stays untouched; the article change
form can link to it (``admin:related_articlerelations_change``). The warning is this app's
mixin, added to the newsroom's registered article admin at the end of this module: the
newsroom app depends on no other Akhbar app (import-linter contract in pyproject.toml), so the
app that owns near-duplicates adds its own behaviour.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from akhbar.newsroom.models import Article
from akhbar.related import services
from akhbar.related.models import ArticleRelations, NearDuplicate, RelatedArticle


class NearDuplicateWarningMixin:
    """For an article ``ModelAdmin``: after a save, one warning per stored story the article
    nearly repeats (e.g. already taken from a partner feed). Warns, never blocks."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        services.warn_near_duplicates(request, obj)


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    extra = 1
    fields = ["related", "score", "pinned", "excluded"]
    readonly_fields = ["score"]
    raw_id_fields = ["related"]
    ordering = ["-pinned", "excluded", "-score"]
    verbose_name = "مقال ذو صلة"
    verbose_name_plural = "المقالات ذات الصلة (المثبّتة أولاً، والمستبعدة لا تظهر)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RelatedArticle]:
        return super().get_queryset(request).select_related("related")


@admin.register(ArticleRelations)
class ArticleRelationsAdmin(admin.ModelAdmin):
    """One page per article: its computed related items, with pin/exclude checkboxes."""

    list_display = ["title", "status", "published_at", "category"]
    list_select_related = ["category"]
    list_filter = ["status"]
    search_fields = ["title"]
    # Every field is read-only: the article is edited on its own page, only the inline here.
    fields = readonly_fields = ("title", "status", "published_at", "duplicates")
    inlines = [RelatedArticleInline]
    actions = ["recompute"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("related.change_relatedarticle")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("related.view_relatedarticle") or self.has_change_permission(
            request, obj
        )

    @admin.display(description="مقالات شبه مكررة")
    def duplicates(self, obj: ArticleRelations) -> str:
        rows = NearDuplicate.objects.filter(article=obj).select_related("duplicate_of")
        if not rows:
            return "لا يوجد"
        return format_html_join(
            "",
            "<div>{} ({}٪)</div>",
            ((r.duplicate_of.title, round(r.similarity * 100)) for r in rows),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The article itself is read-only here: only the inline rows are saved."""

    @admin.action(description="إعادة حساب المقالات ذات الصلة")
    def recompute(self, request: HttpRequest, queryset: QuerySet[ArticleRelations]) -> None:
        for article in queryset[:200]:
            services.store_fingerprint(article)
            services.compute_related(article, cascade=False)
        messages.success(request, format_html("أُعيد الحساب لـ {} مقالاً.", min(len(queryset), 200)))


@admin.register(NearDuplicate)
class NearDuplicateAdmin(admin.ModelAdmin):
    list_display = ["article", "duplicate_of", "similarity", "detected_at"]
    list_select_related = ["article", "duplicate_of"]
    raw_id_fields = ["article", "duplicate_of"]
    search_fields = ["article__title", "duplicate_of__title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


def _add_near_duplicate_warning(site: admin.AdminSite = admin.site) -> None:
    """Give the registered article admin (newsroom's, imported before this module: newsroom
    comes first in INSTALLED_APPS) the near-duplicate warning."""
    current = site.get_model_admin(Article)
    if isinstance(current, NearDuplicateWarningMixin):
        return
    site.unregister(Article)
    base = type(current)
    site.register(Article, type(base.__name__, (NearDuplicateWarningMixin, base), {}))


_add_near_duplicate_warning()
