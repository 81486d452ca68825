"""Moderation in the Arabic admin: the queue, the reasons, bulk decisions, staff replies."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from akhbar.comments import services
from akhbar.comments.models import Comment


class StatusFilter(admin.SimpleListFilter):
    """The status filter with counts, so moderators see the size of each queue at a glance."""

    title = "الحالة"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        return [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in Comment.Status.choices
        ]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


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


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = StaffReplyForm
    list_display = ["author_name", "short_body", "article", "status", "reasons", "created_at"]
    list_filter = [StatusFilter, "created_at"]
    list_select_related = ["article"]
    search_fields = ["author_name", "body"]
    readonly_fields = ["article", "parent", "created_at", "reasons", "spam_probability"]
    actions = ["approve", "mark_spam", "mark_trash", "mark_pending"]
    list_per_page = 50

    def get_fields(self, request, obj=None):
        fields = ["article", "parent", "author_name", "author_url", "body", "status"]
        if request.user.is_staff:
            # Staff may need the email to reply privately; it is never shown to readers.
            fields.insert(3, "author_email")
        return [*fields, "reasons", "spam_probability", "created_at", "reply"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments come from readers or as staff replies below

    @admin.display(description="التعليق")
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80] + ("…" if len(obj.body) > 80 else "")

    @admin.display(description="أسباب التصنيف")
    def reasons(self, obj: Comment) -> str:
        if not obj.spam_reasons:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((r.get("reason", ""),) for r in obj.spam_reasons)),
        )

    def save_model(self, request, obj: Comment, form, change: bool) -> None:
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

    def _moderate(self, request, queryset: QuerySet[Comment], status: str, label: str) -> None:
        n = services.moderate(list(queryset), status)
        messages.success(request, f"{label}: {n} تعليق.")

    @admin.action(description="الموافقة على التعليقات المحددة", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED, "تمت الموافقة")

    @admin.action(description="تصنيف المحدد كرسائل مزعجة", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, "صُنّف كمزعج")

    @admin.action(description="نقل المحدد إلى المحذوفات", permissions=["change"])
    def mark_trash(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.TRASH, "نُقل إلى المحذوفات")

    @admin.action(description="إعادة المحدد إلى قائمة المراجعة", permissions=["change"])
    def mark_pending(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.PENDING, "أُعيد إلى المراجعة")
