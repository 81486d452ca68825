"""Newsletter admin: lists with subscriber counts and growth chart, editions with their
sent/bounced/complained/unsubscribed counts, review-then-send, test sends to staff, the
breaking alert with its reach, and the suppression list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from akhbar.newsletters import addresses, editions, services, tasks
from akhbar.newsletters.models import (
    Consent,
    Delivery,
    Edition,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
)
from akhbar.newsroom.models import Article

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

D = Delivery.Status


class _ListCounts(TypedDict):
    """What NewsletterListAdmin.get_queryset annotates on each list."""

    n_subscribers: int


class _EditionCounts(TypedDict):
    """What EditionAdmin.get_queryset annotates on each edition."""

    c_sent: int
    c_bounced: int
    c_complained: int
    c_unsub: int


def growth_chart(series: services.Series, *, width: int = 640, height: int = 160) -> dict:
    """Points for a small SVG line chart drawn by the template (no third-party script)."""
    totals = series.totals or [0]
    top = max(max(totals), 1)
    step = width / max(len(totals) - 1, 1)
    points = " ".join(
        f"{round(i * step, 1)},{round(height - 8 - (v / top) * (height - 24), 1)}"
        for i, v in enumerate(totals)
    )
    return {
        "points": points,
        "width": width,
        "height": height,
        "top": top,
        "first": series.days[0] if series.days else "",
        "last": series.days[-1] if series.days else "",
        "now": totals[-1],
    }


@admin.register(NewsletterList)
class NewsletterListAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "subscriber_count",
        "send_time",
        "time_zone",
        "auto_send",
        "is_active",
    ]
    list_editable = ["auto_send", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    change_list_template = "admin/newsletters/newsletterlist/change_list.html"
    actions = ["build_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_subscribers=Count(
                    "subs",
                    filter=Q(
                        subs__active=True, subs__subscriber__status=Subscriber.Status.CONFIRMED
                    ),
                )
            )
        )

    @admin.display(description="المشتركون", ordering="n_subscribers")
    def subscriber_count(self, obj: WithAnnotations[NewsletterList, _ListCounts]) -> int:
        return obj.n_subscribers

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = extra_context or {}
        extra_context["chart"] = growth_chart(services.growth(30))
        extra_context["suppressed"] = Suppression.objects.count()
        extra_context["pending"] = Subscriber.objects.filter(
            status=Subscriber.Status.PENDING
        ).count()
        return super().changelist_view(request, extra_context)

    @admin.action(description="اجمع عدد اليوم الآن")
    def build_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        made = 0
        for newsletter in queryset.exclude(kind=NewsletterList.Kind.BREAKING):
            local = timezone.now().astimezone(editions.zone(newsletter)).date()
            edition = editions.build_digest(newsletter, local, user=request.user)
            if edition is not None:
                made += 1
                if edition.status == Edition.Status.QUEUED:
                    tasks.send_edition.enqueue(edition.pk)
        if made:
            self.message_user(request, f"جُمعت {made} من الأعداد.", messages.SUCCESS)
        else:
            self.message_user(
                request, "لم يُجمع أي عدد: عدد اليوم موجود، أو لا أخبار جديدة.", messages.WARNING
            )


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["newsletter", "active", "created_at", "unsubscribed_at"]
    readonly_fields = ["created_at", "unsubscribed_at"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "source", "lists", "method", "wording")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email_display", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "subs__newsletter"]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "confirmed_at", "unsubscribed_at"]
    fields = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    inlines = [SubscriptionInline, ConsentInline]
    date_hierarchy = "created_at"

    @admin.display(description="البريد الإلكتروني", ordering="email")
    def email_display(self, obj: Subscriber) -> str:
        return addresses.display(obj.email)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # readers subscribe themselves (double opt-in), never an editor for them


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "newsletter",
        "kind",
        "status",
        "n_sent",
        "n_bounced",
        "n_complained",
        "n_unsubscribed",
        "created_at",
        "links",
    ]
    list_filter = ["status", "kind", "newsletter"]
    readonly_fields = [
        "status",
        "kind",
        "edition_date",
        "created_at",
        "queued_at",
        "sent_at",
        "article",
        "counts",
    ]
    fields = ["newsletter", "subject", "intro", "article_ids", *readonly_fields]
    list_select_related = ["newsletter"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                c_sent=Count(
                    "deliveries", filter=Q(deliveries__status__in=[D.SENT, D.BOUNCED, D.COMPLAINED])
                ),
                c_bounced=Count(
                    "deliveries", filter=Q(deliveries__status__in=[D.BOUNCED, D.FAILED])
                ),
                c_complained=Count("deliveries", filter=Q(deliveries__status=D.COMPLAINED)),
                c_unsub=Count("deliveries", filter=Q(deliveries__unsubscribed=True)),
            )
        )

    @admin.display(description="أُرسلت", ordering="c_sent")
    def n_sent(self, obj: WithAnnotations[Edition, _EditionCounts]) -> int:
        return obj.c_sent

    @admin.display(description="ارتدّت", ordering="c_bounced")
    def n_bounced(self, obj: WithAnnotations[Edition, _EditionCounts]) -> int:
        return obj.c_bounced

    @admin.display(description="شكاوى", ordering="c_complained")
    def n_complained(self, obj: WithAnnotations[Edition, _EditionCounts]) -> int:
        return obj.c_complained

    @admin.display(description="ألغوا الاشتراك", ordering="c_unsub")
    def n_unsubscribed(self, obj: WithAnnotations[Edition, _EditionCounts]) -> int:
        return obj.c_unsub

    @admin.display(description="")
    def links(self, obj: Edition) -> str:
        parts = [format_html('<a href="{}">النسخة على الموقع</a>', obj.get_absolute_url())]
        if obj.status == Edition.Status.HELD:
            url = reverse("admin:newsletters_edition_send", args=[obj.pk])
            parts.append(format_html('<a href="{}">مراجعة وإرسال</a>', url))
        parts.append(
            format_html(
                '<a href="{}">تجربة</a>', reverse("admin:newsletters_edition_test", args=[obj.pk])
            )
        )
        return format_html(" · ".join(["{}"] * len(parts)), *parts)

    @admin.display(description="الأرقام")
    def counts(self, obj: Edition) -> str:
        from akhbar.newsletters.sending import edition_counts

        c = edition_counts([obj.pk]).get(obj.pk, {})
        return (
            f"المجموع {c.get('total', 0)} · أُرسلت {c.get('sent', 0)} · ارتدّت "
            f"{c.get('bounced', 0)} · شكاوى {c.get('complained', 0)} · ألغوا "
            f"{c.get('unsubscribed', 0)} · بالانتظار {c.get('pending', 0)} · غير مؤكدة "
            f"{c.get('uncertain', 0)}"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # editions are assembled (digest) or made from an article (alert)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/send/",
                self.admin_site.admin_view(self.send_view),
                name="newsletters_edition_send",
            ),
            path(
                "<int:pk>/test/",
                self.admin_site.admin_view(self.test_view),
                name="newsletters_edition_test",
            ),
            path(
                "alert/<int:article_id>/",
                self.admin_site.admin_view(self.alert_view),
                name="newsletters_edition_alert",
            ),
        ]
        return own + super().get_urls()

    def _check(self, request: HttpRequest) -> None:
        if not request.user.has_perm("newsletters.change_edition"):
            raise PermissionDenied

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check(request)
        edition = get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)
        if request.method == "POST":
            if editions.queue(edition):
                self.message_user(request, "أُرسل العدد إلى طابور الإرسال.", messages.SUCCESS)
            else:
                self.message_user(request, "هذا العدد ليس بانتظار المراجعة.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:newsletters_edition_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"إرسال: {edition.subject}",
            "edition": edition,
            "reach": services.reach([edition.newsletter_id]),
            "push_reach": 0,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsletters/confirm_send.html", context)

    def test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check(request)
        edition = get_object_or_404(Edition, pk=pk)
        staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
        if request.method == "POST":
            ids = [int(x) for x in request.POST.getlist("users") if x.isdigit()]
            if not ids:
                self.message_user(request, "اختر مستلماً واحداً على الأقل.", messages.ERROR)
            else:
                tasks.send_test.enqueue(edition.pk, ids)
                self.message_user(request, "أُرسلت نسخة تجريبية.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:newsletters_edition_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"إرسال تجريبي: {edition.subject}",
            "edition": edition,
            "staff": staff,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsletters/test_send.html", context)

    def alert_view(self, request: HttpRequest, article_id: int) -> HttpResponse:
        self._check(request)
        article = get_object_or_404(Article.objects.published(), pk=article_id)
        lists = editions.breaking_lists()
        if request.method == "POST":
            made = editions.send_alert(article, user=request.user)
            self.message_user(
                request,
                f"أُرسل التنبيه العاجل إلى طابور الإرسال ({len(made)} قائمة).",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:newsletters_edition_changelist"))
        from akhbar.push.models import PushSubscription

        already = (
            Edition.objects.filter(article=article, kind=Edition.Kind.BREAKING)
            .exclude(status=Edition.Status.HELD)
            .exists()
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"تنبيه عاجل: {article.title}",
            "article": article,
            "lists": lists,
            "reach": services.reach([n.pk for n in lists]),
            "push_reach": PushSubscription.objects.count(),
            "already": already,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsletters/confirm_alert.html", context)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["email_display", "reason", "at", "detail"]
    list_filter = ["reason"]
    search_fields = ["email"]
    date_hierarchy = "at"

    @admin.display(description="البريد الإلكتروني", ordering="email")
    def email_display(self, obj: Suppression) -> str:
        return addresses.display(obj.email)


@admin.action(description="إرسال تنبيه عاجل (بريد وإشعارات)")
def send_breaking_alert(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> Any:
    if queryset.count() != 1:
        modeladmin.message_user(request, "اختر خبراً واحداً لإرسال تنبيه عاجل.", messages.ERROR)
        return None
    return HttpResponseRedirect(
        reverse("admin:newsletters_edition_alert", args=[queryset.get().pk])
    )


def _offer_alert_on_articles() -> None:
    """Add the action to the article list through the admin's public API (get_model_admin),
    so the newsroom app needs no import of ours."""
    try:
        article_admin = admin.site.get_model_admin(Article)
    except NotRegistered:
        return
    actions = list(article_admin.actions or [])
    if send_breaking_alert not in actions:
        article_admin.actions = [*actions, send_breaking_alert]


_offer_alert_on_articles()
