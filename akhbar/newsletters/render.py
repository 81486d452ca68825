"""Email HTML that renders right in Arabic, rendered and CSS-inlined once per edition.

Right-to-left is not left to the mail client: ``dir="rtl"`` and ``align="right"`` on ``<html>``,
``<body>`` and every table cell (Outlook and Gmail drop inherited direction in places; Ghost and
MJML emails break exactly there). CSS is written once in a ``<style>`` block for people to read
and inlined into ``style=""`` attributes by ``css-inline`` (Gmail's app strips ``<style>`` for
non-Google accounts); the ``@media`` rules for narrow screens and dark mode stay in the head for
the clients that honour them. Images carry ``alt``, ``width`` and ``height`` so a client that
blocks images still lays the message out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import css_inline
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from akhbar.core.links import absolute, site_url
from akhbar.newsletters.messages import PREFS, UNSUB
from akhbar.newsletters.models import Edition, NewsletterList
from akhbar.newsroom.models import Article

MAX_BYTES = 100 * 1024
IMAGE_WIDTH = 552
_inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Story:
    title: str
    url: str
    excerpt: str = ""
    category: str = ""
    pick: bool = False
    image_url: str = ""
    image_alt: str = ""
    image_width: int = 0
    image_height: int = 0


def _image(article: Article) -> tuple[str, int, int]:
    if not article.featured_image:
        return "", 0, 0
    data = article.image_renditions or {}
    jpeg = data.get("jpeg") or []
    if jpeg and data.get("width") and data.get("height"):
        width, name = next(((w, n) for w, n in jpeg if w >= IMAGE_WIDTH), tuple(jpeg[-1]))
        shown = min(IMAGE_WIDTH, int(width))
        height = round(int(data["height"]) * shown / int(data["width"]))
        return absolute(default_storage.url(name)), shown, height
    # Renditions not made yet (they are a background job): the original, sized from its file.
    try:
        width, height = article.featured_image.width, article.featured_image.height
        url = article.featured_image.url
    except (OSError, ValueError):
        return "", 0, 0  # unreadable: leave the picture out rather than break the layout
    if not width or not height:
        return "", 0, 0
    shown = min(IMAGE_WIDTH, int(width))
    return absolute(url), shown, round(int(height) * shown / int(width))


def story(article: Article, *, pick: bool = False) -> Story:
    url, width, height = _image(article)
    excerpt = (article.excerpt or "").strip()
    if len(excerpt) > 320:
        excerpt = excerpt[:320].rsplit(" ", 1)[0] + "…"
    return Story(
        title=article.title,
        url=absolute(article.get_absolute_url()),
        excerpt=excerpt,
        category=article.category.name if article.category_id else "",
        pick=pick,
        image_url=url,
        image_alt=(article.image_alt or article.title) if url else "",
        image_width=width,
        image_height=height,
    )


def stories_for(edition: Edition) -> list[Story]:
    ids = [int(i) for i in edition.article_ids]
    found = {
        a.pk: a
        for a in Article.objects.published()
        .filter(pk__in=ids)
        .select_related("category")
        .defer("body")
    }
    return [story(found[i], pick=found[i].is_featured) for i in ids if i in found]


def _brand() -> dict[str, Any]:
    from akhbar.site.models import SiteSettings

    site = SiteSettings.current()
    logo_url, w, h = "", 0, 0
    if site.logo:
        try:
            w, h = site.logo.width, site.logo.height
            logo_url = absolute(site.logo.url)
        except (OSError, ValueError):  # a missing or unreadable file: fall back to the name
            logo_url = ""
        if logo_url and h:
            w, h = round(w * 40 / h), 40
    brand = getattr(site, "brand_color", "") or "#b3121b"
    return {
        "site_name": site.site_name,
        "copyright": site.copyright_holder,
        "logo_url": logo_url,
        "logo_width": w,
        "logo_height": h,
        "brand": brand,
        "site_url": site_url(),
        "year": timezone.localdate().year,
    }


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def inline(html: str) -> str:
    return _inliner.inline(html)


def render_edition(edition: Edition) -> Rendered:
    """The edition for every reader, with @@…@@ placeholders for the reader's own links."""
    newsletter: NewsletterList = edition.newsletter
    stories = stories_for(edition)
    context = {
        **_brand(),
        "subject": edition.subject,
        "heading": edition.subject,
        "intro": edition.intro,
        "kicker": newsletter.name,
        "stories": stories,
        "preheader": stories[0].title if stories else edition.subject,
        "web_url": absolute(edition.get_absolute_url()),
        "footer_reason": f"وصلتك هذه الرسالة لأنك اشتركت في «{newsletter.name}».",
        "prefs_url": PREFS,
        "unsub_url": UNSUB,
    }
    template = "breaking" if edition.kind == Edition.Kind.BREAKING else "digest"
    html = inline(render_to_string(f"newsletters/email/{template}.html", context))
    text = render_to_string("newsletters/email/digest.txt", context)
    return Rendered(edition.subject, html, _tidy_text(text))


def render_confirmation(*, action_url: str, lists: list[str], already: bool) -> Rendered:
    if already:
        heading = "أنت مشترك بالفعل"
        intro = (
            "طلب أحدهم (ربما أنت) الاشتراك بهذا العنوان، وهو مشترك بالفعل. "
            "لإضافة النشرات التي اختيرت الآن أو تعديل اشتراكاتك استخدم الزر أدناه."
        )
        label = "أضف هذه النشرات"
    else:
        heading = "أكّد اشتراكك"
        intro = "شكراً لاشتراكك. اضغط الزر لتأكيد عنوان بريدك وبدء النشرة."
        label = "تأكيد الاشتراك"
    from akhbar.newsletters.tokens import confirm_hours

    context = {
        **_brand(),
        "subject": heading,
        "heading": heading,
        "intro": intro,
        "lists": lists,
        "action_url": action_url,
        "action_label": label,
        "preheader": intro,
        "note": f"ينتهي هذا الرابط بعد {confirm_hours()} ساعة. إن لم تطلب الاشتراك فتجاهل "
        "هذه الرسالة ولن تصلك منا رسائل أخرى.",
        "footer_reason": "وصلتك هذه الرسالة لأن عنوانك أُدخل في نموذج الاشتراك على موقعنا.",
    }
    html = inline(render_to_string("newsletters/email/confirm.html", context))
    text = render_to_string("newsletters/email/confirm.txt", context)
    return Rendered(heading, html, _tidy_text(text))


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
