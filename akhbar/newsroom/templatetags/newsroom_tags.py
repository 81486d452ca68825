"""Template helpers for article images and Arabic reading time."""

from __future__ import annotations

from django import template
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from akhbar.newsroom import images
from akhbar.newsroom.models import Article, Author
from akhbar.newsroom.services import arabic_minutes

register = template.Library()

# ``sizes`` say how wide each layout shows a picture, so the browser downloads the smallest
# rendition that is still sharp (natural width >= shown width x device pixel ratio; asserted in
# tests/site/test_image_sizes.py). They follow akhbar.css: keep the two in step.
ARTICLE_SIZES = "(min-width: 48rem) 46rem, 100vw"
TEASER_SIZES = "(min-width: 64rem) 22rem, (min-width: 40rem) 50vw, 100vw"
SIZES = {
    "article": ARTICLE_SIZES,
    "lead": "(min-width: 64rem) 46rem, 100vw",  # the front page's lead story
    "card": "(min-width: 64rem) 36rem, (min-width: 40rem) 50vw, 100vw",  # section blocks
    "row": "(min-width: 64rem) 11rem, (min-width: 40rem) 10rem, 8rem",  # thumbnails in lists
    "thumb": "5rem",  # sidebar and related lists
    "teaser": TEASER_SIZES,
}


def _srcset(pairs: list) -> str:
    return ", ".join(f"{default_storage.url(name)} {w}w" for w, name in pairs)


@register.simple_tag
def article_picture(
    article: Article,
    lead: bool = False,
    sizes: str | None = None,
    alt: str | None = None,
    variant: str | None = None,
) -> SafeString:
    """<picture> with WebP + JPEG srcsets, intrinsic size, and lazy loading except for the lead.

    Articles whose renditions are missing (an import, a failed conversion) or not made yet
    (the background job runs after the save) get a plain <img> of the original, with its
    intrinsic size when known so the page does not jump and nothing shows broken.
    """
    if not article.featured_image:
        return SafeString("")
    alt_text = article.image_alt if alt is None else alt
    if sizes is None:
        sizes = SIZES.get(variant or ("article" if lead else "teaser"), TEASER_SIZES)
    data = article.image_renditions or {}
    loading = 'fetchpriority="high"' if lead else 'loading="lazy" decoding="async"'
    if not data.get("jpeg"):
        width, height = data.get("width"), data.get("height")
        if width and height and images.is_incoming(article.featured_image.name):
            # Not cleaned yet (metadata still in the file): a neutral box of the right size.
            return format_html(
                '<img src="{}" width="{}" height="{}" alt="{}" class="image-pending" {}>',
                static("akhbar/img/image-pending.svg"),
                width,
                height,
                alt_text,
                SafeString(loading),
            )
        if width and height:
            return format_html(
                '<img src="{}" width="{}" height="{}" alt="{}" {}>',
                article.featured_image.url,
                width,
                height,
                alt_text,
                SafeString(loading),
            )
        return format_html(
            '<img src="{}" alt="{}" {}>',
            article.featured_image.url,
            alt_text,
            SafeString(loading),
        )
    jpeg, webp = data["jpeg"], data.get("webp", [])
    default = next((name for w, name in jpeg if w >= 1024), jpeg[-1][1])
    width, height = data["width"], data["height"]
    largest = jpeg[-1][0]
    if width > largest:  # the <img> box is the largest rendition's size
        height, width = round(height * largest / width), largest
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}>'
        "</picture>",
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', _srcset(webp), sizes)
        if webp
        else "",
        default_storage.url(default),
        _srcset(jpeg),
        sizes,
        width,
        height,
        alt_text,
        SafeString(loading),
    )


@register.filter
def reading_time(minutes: int | None) -> str:
    return arabic_minutes(int(minutes or 1))


@register.simple_tag
def author_photo(author: Author | None, size: int = 64, css: str = "author-photo") -> SafeString:
    """A columnist's photo at ``size`` CSS px (decorative next to the name, so alt="")."""
    if not author or not author.photo:
        return SafeString("")
    return format_html(
        '<img class="{}" src="{}" alt="" width="{}" height="{}" loading="lazy" decoding="async">',
        css,
        author.photo.url,
        size,
        size,
    )
