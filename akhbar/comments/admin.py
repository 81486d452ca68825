"""Moderation in the Arabic admin: the queue, the reasons, bulk decisions, staff replies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from akhbar.comments import services
from akhbar.comments.models import Comment
from akhbar.core.text import count_phrase

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices
    from django.contrib.admin.options import _FieldGroups
    from django.contrib.admin.views.main import ChangeList


class StatusFilter(admin.SimpleListFilter):
    """The status filter with counts; the queue opens on what waits for a moderator.

    Without a choice the list shows pending comments (``?status__exact=all`` shows all), so
    moderators land on their work, not on every comment the site ever received.
    """

    title = "الحالة"
    parameter_name = "status__exact"
    default: str = Comment.Status.PENDING

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        counts = dict(
            Comment.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        return [
            *[
                (value, f"{label} ({counts.get(value, 0)})")
                for value, label in Comment.Status.choices
            ],
            ("all", f"الكل ({sum(counts.values())})"),
        ]

    def __init__(
        self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any
    ) -> None:
        super().__init__(request, params, model, model_admin)
        # Bulk actions posted to the bare URL act on what was selected, whatever its status.
        self.default = self.default if request.method == "GET" else "all"

    def value(self) -> str | None:
        return super().value() or self.default

    def choices(self, changelist: ChangeList) -> Iterator[_ListFilterChoices]:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        value = self.value()
        if value == "all":
            return queryset
        if value in Comment.Status.values:
            return queryset.filter(status=value)
        return queryset.none()


class StaffReplyForm(forms.ModelForm):
    author_url = forms.URLField(
        label="الموقع", required=False, max_length=300, assume_scheme="https"
    )
    reply = forms.CharField(
        label="ردّ باسم فريق التحرير",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="يُنشر الرد فوراً تحت هذا التعليق.",
    )

    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "author_url", "body", "status"]


ROW_ACTIONS = {
    # URL name part -> (status, message, button label, keyboard shortcut)
    "approve": (Comment.Status.APPROVED, "تمت الموافقة على التعليق.", "موافقة", "a"),
    "spam": (Comment.Status.SPAM, "صُنّف التعليق كمزعج.", "مزعج", "s"),
    "trash": (Comment.Status.TRASH, "نُقل التعليق إلى المحذوفات.", "حذف", "d"),
}
BULK_MESSAGES = {
    "approve": "تمت الموافقة: {n}.",
    "spam": "صُنّف كمزعج: {n}.",
    "trash": "نُقل إلى المحذوفات: {n}.",
    "pending": "أُعيد إلى المراجعة: {n}.",
}


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = StaffReplyForm
    list_display = ["comment_card", "spam_column", "state", "row_actions"]
    list_display_links = None
    list_filter = [StatusFilter, "created_at"]
    list_select_related = ["article"]
    search_fields = ["author_name", "body"]
    readonly_fields = ["article", "parent", "created_at", "reasons", "spam_probability"]
    actions = ["approve", "mark_spam", "mark_trash", "mark_pending"]
    list_per_page = 50
    ordering = ["-created_at", "-id"]

    class Media:
        js = ["backoffice/moderation.js"]

    # --- The queue ----------------------------------------------------------------------

    @admin.display(description="التعليق")
    def comment_card(self, obj: Comment) -> str:
        body = obj.body if len(obj.body) <= 600 else obj.body[:600] + "…"
        return format_html(
            '<p class="bo-comment__body" dir="auto">{}</p>'
            '<span class="bo-comment__meta"><a href="{}">{}</a> · على «{}» · '
            '<time datetime="{}">{}</time></span>',
            body,
            reverse("admin:comments_comment_change", args=[obj.pk]),
            obj.author_name,
            obj.article.title,
            obj.created_at.isoformat(),
            date_format(timezone.localtime(obj.created_at), "DATETIME_FORMAT"),
        )

    @admin.display(description="احتمال الإزعاج وأسبابه", ordering="spam_probability")
    def spam_column(self, obj: Comment) -> str:
        p = obj.spam_probability
        if p is None:
            prob = format_html('<span class="bo-prob">{}</span>', "غير محسوب")
        else:
            tone = "high" if p >= 0.9 else "mid" if p >= 0.5 else "low"
            prob = format_html('<span class="bo-prob bo-prob--{}">{}٪</span>', tone, round(p * 100))
        return format_html("{}{}", prob, self.reasons(obj) if obj.spam_reasons else "")

    @admin.display(description="الحالة", ordering="status")
    def state(self, obj: Comment) -> str:
        return format_html(
            '<span class="bo-chip bo-chip--{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="قرار")
    def row_actions(self, obj: Comment) -> str:
        buttons = format_html_join(
            "",
            '<button type="submit" class="bo-{}" formaction="{}" formmethod="post"'
            ' data-shortcut="{}" aria-label="{} — {}">{}</button>',
            (
                (
                    "delete" if key == "trash" else key,
                    reverse("admin:comments_comment_moderate", args=[obj.pk, key]),
                    shortcut,
                    label,
                    obj.author_name,
                    label,
                )
                for key, (status, _msg, label, shortcut) in ROW_ACTIONS.items()
                if obj.status != status
            ),
        )
        return format_html('<div class="bo-row-actions">{}</div>', buttons)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/moderate/<str:decision>/",
                self.admin_site.admin_view(require_POST(self.moderate_view)),
                name="comments_comment_moderate",
            ),
            path(
                "moderate-selected/<str:decision>/",
                self.admin_site.admin_view(require_POST(self.moderate_selected_view)),
                name="comments_comment_moderate_selected",
            ),
        ]
        return own + super().get_urls()

    def _back(self, request: HttpRequest) -> HttpResponseRedirect:
        """Back to the list the moderator was on (same filters and page)."""
        url = request.POST.get("next") or request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(url, {request.get_host()}):
            url = reverse("admin:comments_comment_changelist")
        return HttpResponseRedirect(url)

    def moderate_view(self, request: HttpRequest, pk: int, decision: str) -> HttpResponse:
        if decision not in ROW_ACTIONS or not self.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        status, message, _label, _key = ROW_ACTIONS[decision]
        services.moderate([comment], status)
        messages.success(request, message)
        return self._back(request)

    def moderate_selected_view(self, request: HttpRequest, decision: str) -> HttpResponse:
        if decision not in ROW_ACTIONS or not self.has_change_permission(request):
            raise PermissionDenied
        ids = [int(i) for i in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if i.isdigit()]
        if not ids:
            messages.warning(request, "اختر تعليقاً واحداً على الأقل.")
            return self._back(request)
        status = ROW_ACTIONS[decision][0]
        n = services.moderate(list(Comment.objects.filter(pk__in=ids)), status)
        messages.success(request, BULK_MESSAGES[decision].format(n=count_phrase(n, "comment")))
        return self._back(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        bulk = [
            (reverse("admin:comments_comment_moderate_selected", args=[key]), label, key)
            for key, (_s, _m, label, _k) in ROW_ACTIONS.items()
        ]
        return super().changelist_view(request, {"bulk_decisions": bulk, **(extra_context or {})})

    def get_fields(self, request: HttpRequest, obj: Comment | None = None) -> _FieldGroups:
        fields = ["article", "parent", "author_name", "author_url", "body", "status"]
        if request.user.is_staff:
            # Staff may need the email to reply privately; it is never shown to readers.
            fields.insert(3, "author_email")
        return [*fields, "reasons", "spam_probability", "created_at", "reply"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments come from readers or as staff replies below

    @admin.display(description="أسباب التصنيف")
    def reasons(self, obj: Comment) -> str:
        if not obj.spam_reasons:
            return "—"
        return format_html(
            '<ul class="bo-reasons">{}</ul>',
            format_html_join("", "<li>{}</li>", ((r.get("reason", ""),) for r in obj.spam_reasons)),
        )

    def save_model(
        self, request: HttpRequest, obj: Comment, form: forms.ModelForm, change: bool
    ) -> None:
        previous = Comment.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        new_status = obj.status
        if previous and previous != new_status:
            obj.status = previous
            super().save_model(request, obj, form, change)
            services.moderate([obj], new_status)
        else:
            super().save_model(request, obj, form, change)
        reply = (form.cleaned_data.get("reply") or "").strip()
        if reply:
            services.staff_reply(obj, request.user, reply)
            messages.success(request, "نُشر ردّك.")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        # One by one, so each removed approved comment emits CommentRemoved.
        for comment in queryset:
            comment.delete()

    def _moderate(
        self, request: HttpRequest, queryset: QuerySet[Comment], status: str, key: str
    ) -> None:
        n = services.moderate(list(queryset), status)
        messages.success(request, BULK_MESSAGES[key].format(n=count_phrase(n, "comment")))

    @admin.action(description="الموافقة على التعليقات المحددة", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, Comment.Status.APPROVED, "approve")

    @admin.action(description="تصنيف المحدد كرسائل مزعجة", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, Comment.Status.SPAM, "spam")

    @admin.action(description="نقل المحدد إلى المحذوفات", permissions=["change"])
    def mark_trash(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, Comment.Status.TRASH, "trash")

    @admin.action(description="إعادة المحدد إلى قائمة المراجعة", permissions=["change"])
    def mark_pending(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, Comment.Status.PENDING, "pending")
