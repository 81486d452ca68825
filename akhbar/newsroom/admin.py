"""The newsroom admin, with the role rules of akhbar.newsroom.roles enforced on every screen."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from akhbar.newsroom import revisions as revision_service
from akhbar.newsroom import roles, services
from akhbar.newsroom.desk import profile_for as staff_profile_for
from akhbar.newsroom.desk import today_bounds
from akhbar.newsroom.forms import ArticleAdminForm
from akhbar.newsroom.models import (
    Article,
    ArticleNote,
    Author,
    Category,
    Revision,
    Tag,
    WorkflowEvent,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "slug"]
    list_select_related = ["user"]
    search_fields = ["display_name", "slug"]
    prepopulated_fields = {"slug": ["display_name"]}


class WorkflowEventInline(admin.TabularInline):
    """The audit trail under the form: read-only, nobody edits history."""

    model = WorkflowEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "from_state", "to_state", "user", "note")
    fields = readonly_fields
    ordering = ["-at", "-id"]
    verbose_name_plural = "سجل سير العمل"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("newsroom.view_article")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user")

    @admin.display(description="من حالة")
    def from_state(self, obj: WorkflowEvent) -> str:
        return status_label(obj.from_status)

    @admin.display(description="إلى حالة")
    def to_state(self, obj: WorkflowEvent) -> str:
        return status_label(obj.to_status)


def status_label(value: str) -> str:
    """The Arabic name of a stored workflow state ("draft" -> "مسودة"); "—" for none."""
    if not value:
        return "—"
    return dict(Article.Status.choices).get(value, value)


class QuickFilter(admin.SimpleListFilter):
    """The four lists a newsroom opens all day, one click each above the article list."""

    title = "عرض سريع"
    parameter_name = "quick"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("mine", "مقالاتي"),
            ("pending", "بانتظار المراجعة"),
            ("scheduled", "مجدولة"),
            ("today", "نُشرت اليوم"),
            ("live", "منشورة الآن"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        now = timezone.now()
        if value == "mine":
            return queryset.filter(Q(created_by=request.user) | Q(author__user=request.user))
        if value == "pending":
            return queryset.filter(status=Article.Status.PENDING)
        if value == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        if value == "today":
            _, start, _ = today_bounds(now)
            return queryset.filter(
                status=Article.Status.PUBLISHED, published_at__gte=start, published_at__lte=now
            )
        if value == "live":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__lte=now)
        return queryset


class ArticleNoteInline(admin.TabularInline):
    """Corrections (تصحيح) and updates (تحديث) shown to readers with their time."""

    model = ArticleNote
    extra = 0
    fields = ["kind", "text", "created_at", "is_public"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title_link", "workflow_state", "author_name", "section", "when", "view_count"]
    list_display_links = ["title_link"]
    list_filter = [QuickFilter, "status", "is_breaking", "is_featured", "category"]
    list_per_page = 50
    list_select_related = ["category", "category__parent", "author"]
    search_fields = ["title", "excerpt"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags", "author", "category"]
    inlines = [ArticleNoteInline, WorkflowEventInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "body"]}),
        ("النشر", {"fields": ["status", "published_at", "author", "category", "tags"]}),
        (
            "العرض",
            {
                "fields": [
                    "is_breaking",
                    "is_featured",
                    "is_opinion",
                    "comments_open",
                    "correction_note",
                ]
            },
        ),
        ("الصورة", {"fields": ["featured_image", "image_alt", "image_caption", "image_credit"]}),
        ("المصدر", {"fields": ["source_name", "source_url"], "classes": ["collapse"]}),
        (
            "التواريخ",
            {
                "fields": ["created_at", "updated_at", "content_updated_at", "view_count"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        # Tag suggestions from the text (akhbar.related): click to add.
        js = ["related/tag_suggestions.js"]

    # --- The list ---------------------------------------------------------------------

    @admin.display(description="العنوان", ordering="title")
    def title_link(self, obj: Article) -> str:
        return obj.title

    @admin.display(description="الحالة", ordering="status")
    def workflow_state(self, obj: Article) -> str:
        if obj.is_scheduled:
            chips = [("scheduled", "مجدول")]
        else:
            chips = [(obj.status, obj.get_status_display())]
        if obj.is_breaking:
            chips.append(("breaking", "عاجل"))
        if obj.is_featured:
            chips.append(("featured", "مميّز"))
        return format_html_join(
            " ", '<span class="bo-chip bo-chip--{}">{}</span>', ((k, label) for k, label in chips)
        )

    @admin.display(description="الكاتب", ordering="author__display_name")
    def author_name(self, obj: Article) -> str:
        return obj.author.display_name if obj.author else "—"

    @admin.display(description="القسم", ordering="category__name")
    def section(self, obj: Article) -> str:
        return obj.category.name if obj.category else "—"

    @admin.display(description="الوقت", ordering="published_at")
    def when(self, obj: Article) -> str:
        moment = obj.published_at or obj.updated_at
        if moment is None:
            return "—"
        text = date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        return format_html('<time datetime="{}">{}</time>', moment.isoformat(), text)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        current = request.GET.get("quick", "")
        base = request.GET.copy()
        base.pop("p", None)
        links = []
        for value, label in [("", "الكل"), *QuickFilter(request, {}, Article, self).lookup_choices]:
            params = base.copy()
            if value:
                params["quick"] = value
            else:
                params.pop("quick", None)
            links.append((label, "?" + params.urlencode() if params else "?", value == current))
        return super().changelist_view(request, {"quick_links": links, **(extra_context or {})})

    def view_on_site(self, obj: Article) -> str:
        """A draft, pending or scheduled story has no public page yet: open its preview."""
        if obj.is_live:
            return obj.get_absolute_url()
        return reverse("site:preview", args=[obj.pk])

    # --- Role rules ----------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        qs = super().get_queryset(request)
        user = request.user
        if user.has_perm("newsroom.edit_others_article"):
            return qs
        return qs.filter(Q(created_by=user) | Q(author__user=user))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return roles.can_edit(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return roles.can_delete(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_view_permission(request)
        return roles.can_view(request.user, obj) or roles.can_edit(request.user, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["created_at", "updated_at", "content_updated_at", "view_count"]
        if not roles.can_publish(request.user, obj):
            # Contributors write; the publication time belongs to whoever publishes.
            fields += ["published_at", "is_breaking", "is_featured"]
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ArticleAdminForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        # Staff write under their own profile, made for them the first time if missing.
        profile = staff_profile_for(request.user)
        if profile:
            initial.setdefault("author", profile.pk)
        return initial

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        old_status = None
        if change and obj.pk:
            old_status = Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        # The form already checked the rules with Arabic messages; check again in the service
        # so a crafted POST cannot skip them. Tags go through the same save, so its one event
        # knows them (save_related's own tags.set() then finds nothing to change).
        tags = form.cleaned_data.get("tags") if "tags" in form.cleaned_data else None
        services.save_article(obj, request.user, old_status, tags=tags)
        # The related app adds its near-duplicate warning to this admin
        # (akhbar.related.admin.NearDuplicateWarningMixin): newsroom depends on no other app.

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        services.delete_article(obj, request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.delete_article(article, request.user)

    # --- Revisions and preview -----------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="newsroom_article_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:rev>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="newsroom_article_restore",
            ),
            path(
                "<int:pk>/preview-link/",
                self.admin_site.admin_view(self.preview_link_view),
                name="newsroom_article_preview_link",
            ),
        ]
        return own + super().get_urls()

    def _article_for(self, request: HttpRequest, pk: int, *, edit: bool) -> Article:
        article = get_object_or_404(Article, pk=pk)
        allowed = (
            roles.can_edit(request.user, article)
            if edit
            else roles.can_view(request.user, article) or roles.can_edit(request.user, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def revisions_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = self._article_for(request, pk, edit=False)
        revs = list(article.revisions.select_related("created_by"))
        by_id = {r.pk: r for r in revs}

        def pick(name: str, default: Revision | None) -> Revision | None:
            raw = request.GET.get(name, "")
            # isascii(): "²" and "١" are digits to str.isdigit() but not to int().
            if raw.isascii() and raw.isdigit() and len(raw) < 19 and int(raw) in by_id:
                return by_id[int(raw)]
            return default

        new = pick("b", revs[0] if revs else None)
        old = pick("a", revs[1] if len(revs) > 1 else new)
        diff = revision_service.compare(old, new) if old and new else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"نسخ المقال: {article.title}",
            "article": article,
            "revisions": revs,
            "old": old,
            "new": new,
            "diff": diff,
            "can_restore": roles.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/newsroom/article/revisions.html", context)

    def restore_view(self, request: HttpRequest, pk: int, rev: int) -> HttpResponse:
        article = self._article_for(request, pk, edit=True)
        revision = article.revisions.filter(pk=rev).first()
        if revision is None:
            raise Http404("النسخة غير موجودة")
        try:
            revision_service.restore(article, revision, request.user)
        except ValidationError as exc:  # pragma: no cover - restored text was valid once
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "استُعيدت النسخة، وحُفظت نسخةً جديدة.")
        return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[article.pk]))

    def preview_link_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = self._article_for(request, pk, edit=False)
        link = request.build_absolute_uri(
            reverse("site:preview_signed", args=[services.preview_token(article)])
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"رابط المعاينة: {article.title}",
            "article": article,
            "link": link,
            "hours": services.preview_hours(),
        }
        return TemplateResponse(request, "admin/newsroom/article/preview_link.html", context)
