"""Article images: refuse what is not a real raster image, strip metadata, make renditions.

Uploads are checked by content (Pillow), never by file name: a renamed text file, an SVG (which
can carry script) or a decompression bomb (a small file that expands to gigabytes of pixels)
is refused with an Arabic message before anything is stored. What is stored is re-encoded, so
EXIF data such as the GPS position of a reporter's phone never reaches readers.

Renditions (WebP and JPEG at a few widths) are made once, when the image changes, and their
names are kept on the article, so rendering a page never touches the image files.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import warnings
from typing import IO, TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

from akhbar.core.conf import akhbar_settings

if TYPE_CHECKING:
    from akhbar.newsroom.models import Article

log = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
RENDITION_WIDTHS = (320, 640, 1024, 1600)


def max_bytes() -> int:
    return akhbar_settings.max_image_bytes


def max_pixels() -> int:
    return akhbar_settings.max_image_pixels


def _looks_like_svg(head: bytes) -> bool:
    sample = head[:2048].lstrip().lower()
    return sample.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in sample


def validate_image_upload(upload: IO[bytes], *, quick: bool = False) -> str:
    """Check an uploaded file; return its Pillow format name or raise an Arabic ValidationError.

    ``quick`` (the admin request): a JPEG's pixel data is decoded at 1/8 scale (DCT scaling,
    every scan still read, so truncated data is still caught) — about a quarter of the cost
    of a full decode of a 12-megapixel photo. The background job then decodes it in full.
    """
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            f"حجم الصورة ({size / 1048576:.1f} ميغابايت) أكبر من الحد المسموح "
            f"({limit / 1048576:.0f} ميغابايت).",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if _looks_like_svg(head):
        raise ValidationError(
            "صور SVG غير مقبولة لأنها قد تحوي شيفرة برمجية؛ استخدم JPEG أو PNG أو WebP.",
            code="svg",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                fmt = probe.format
                width, height = probe.size
                if width * height > max_pixels():
                    raise ValidationError(
                        f"أبعاد الصورة ({width}×{height}) أكبر من المسموح؛ صغّرها قبل الرفع.",
                        code="too_many_pixels",
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as full:
                if quick and full.format == "JPEG":
                    full.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                full.load()  # verify() misses truncated pixel data
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "أبعاد الصورة أكبر من المسموح (قد تكون ملفاً مصمّماً لإرهاق الخادم).",
            code="bomb",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "الملف ليس صورة صالحة (المقبول: JPEG أو PNG أو WebP أو GIF).", code="not_image"
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            f"صيغة الصورة {fmt} غير مقبولة (المقبول: JPEG أو PNG أو WebP أو GIF).",
            code="format",
        )
    return fmt


def _flatten(img: Image.Image) -> Image.Image:
    """An RGB copy (JPEG has no alpha: transparent areas become white)."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        return background
    return img.convert("RGB")


def clean_upload(upload: IO[bytes], name: str | None) -> ContentFile:
    """Re-encode a validated upload without EXIF/XMP/GPS, upright as the camera held it."""
    fmt = validate_image_upload(upload)
    with Image.open(upload) as opened:
        img = ImageOps.exif_transpose(opened)
        out = io.BytesIO()
        if fmt == "JPEG":
            _flatten(img).save(out, "JPEG", quality=90, optimize=True)
        elif fmt == "WEBP":
            img.save(out, "WEBP", quality=90)
        elif fmt == "GIF":
            img.save(out, "GIF")
        else:
            if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                img = img.convert("RGBA")
            img.save(out, "PNG", optimize=True)
    stem = posixpath.splitext(posixpath.basename(name or "image"))[0][:80] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{ALLOWED_FORMATS[fmt]}")


#: Prefix of an accepted upload's stored name until the background job has cleaned it.
INCOMING = "incoming-"


def accept_upload(upload: IO[bytes], name: str | None) -> ContentFile:
    """What the admin request does with a new photo: check it quickly, store it as it came.

    Re-encoding a 4000x3000 photo without its metadata takes most of a second, so the request
    only validates it (:func:`validate_image_upload` ``quick``) and stores the bytes under an
    unguessable ``incoming-…`` name that no public page ever shows (pages show a placeholder
    of the right size); the renditions job (akhbar.newsroom.tasks) then re-encodes it
    (:func:`finish_upload`: EXIF/GPS stripped, upright), deletes the raw file and makes the
    renditions.
    """
    import secrets

    fmt = validate_image_upload(upload, quick=True)
    upload.seek(0)
    stem = posixpath.splitext(posixpath.basename(name or "image"))[0][:60] or "image"
    token = secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
    return ContentFile(upload.read(), name=f"{INCOMING}{token}--{stem}.{ALLOWED_FORMATS[fmt]}")


def is_incoming(source_name: str) -> bool:
    return posixpath.basename(source_name or "").startswith(INCOMING)


def finish_upload(source_name: str) -> str:
    """Clean an accepted upload (full checks, re-encode without metadata) beside it under its
    own name; delete the raw bytes; return the clean file's name. Raises ValidationError."""
    folder, base = posixpath.split(source_name)
    stem = base[len(INCOMING) :].split("--", 1)[-1]
    with default_storage.open(source_name, "rb") as fh:
        cleaned = clean_upload(fh, stem)
    assert cleaned.name is not None  # clean_upload always names the file it makes
    final = default_storage.save(posixpath.join(folder, cleaned.name), cleaned)
    default_storage.delete(source_name)
    return final


def make_renditions(source_name: str, prefix: str) -> dict:
    """WebP + JPEG at each width up to the original's; returns what the template needs."""
    with default_storage.open(source_name, "rb") as fh, Image.open(fh) as opened:
        img = ImageOps.exif_transpose(opened)
        img.load()
        width, height = img.size
        rgb = _flatten(img)
    widths = [w for w in RENDITION_WIDTHS if w < width] + [min(width, RENDITION_WIDTHS[-1])]
    result: dict = {"source": source_name, "width": width, "height": height, "jpeg": [], "webp": []}
    stem = posixpath.splitext(posixpath.basename(source_name))[0][:60]
    for w in sorted(set(widths)):
        h = max(1, round(height * w / width))
        resized = rgb if w == width else rgb.resize((w, h), Image.Resampling.LANCZOS)
        for fmt, ext, opts in (
            ("jpeg", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
            ("webp", "webp", {"quality": 80, "method": 4}),
        ):
            buf = io.BytesIO()
            resized.save(buf, fmt.upper(), **opts)
            target = f"{prefix}/{stem}-{w}.{ext}"
            if default_storage.exists(target):
                default_storage.delete(target)
            saved = default_storage.save(target, ContentFile(buf.getvalue()))
            result[fmt].append([w, saved])
    return result


def dimensions(source_name: str) -> dict:
    """``{"width": w, "height": h}`` of a stored image as readers see it (EXIF rotation
    applied), read from the header only: cheap enough for the request that saved it."""
    try:
        with default_storage.open(source_name, "rb") as fh, Image.open(fh) as img:
            width, height = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (OSError, ValueError, Image.DecompressionBombError):
        return {}
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return {"width": width, "height": height}


def srcset(article: Article, fmt: str) -> str:
    return ", ".join(
        f"{default_storage.url(name)} {w}w" for w, name in article.image_renditions.get(fmt, [])
    )


# --- Pictures inside an article's text ----------------------------------------------------
# The allow-list keeps <img src width height alt> only (no srcset: editors' HTML must not
# choose what readers download), so pictures saved by save_inline_image carry their largest
# width in the file name ("…-w1600.jpg") and responsive_body_images() adds srcset, sizes and
# lazy loading when the page is rendered, from that name alone (no storage look-up).
_INLINE_RE = re.compile(r"^(?P<stem>.+)-w(?P<width>\d{2,4})\.jpg$")
BODY_SIZES = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"


def save_inline_image(jpeg: bytes, prefix: str) -> tuple[str, int, int]:
    """Store a picture for an article's text at each rendition width; return (src, w, h)."""
    with Image.open(io.BytesIO(jpeg)) as img:
        rgb = _flatten(ImageOps.exif_transpose(img))
    width, height = rgb.size
    widths = sorted({w for w in RENDITION_WIDTHS if w < width} | {min(width, RENDITION_WIDTHS[-1])})
    src = ""
    for w in widths:
        resized = (
            rgb
            if w == width
            else rgb.resize((w, round(height * w / width)), Image.Resampling.LANCZOS)
        )
        buf = io.BytesIO()
        resized.save(buf, "JPEG", quality=80, optimize=True, progressive=True)
        target = f"{prefix}-w{w}.jpg"
        if default_storage.exists(target):
            default_storage.delete(target)
        src = default_storage.url(default_storage.save(target, ContentFile(buf.getvalue())))
    top = widths[-1]
    return src, top, round(height * top / width)


def inline_srcset(src: str) -> str:
    """The srcset for a picture stored by save_inline_image (empty for any other src)."""
    match = _INLINE_RE.match(src)
    if not match:
        return ""
    top = int(match["width"])
    widths = sorted({w for w in RENDITION_WIDTHS if w < top} | {top})
    return ", ".join(f"{match['stem']}-w{w}.jpg {w}w" for w in widths)


# --- Fields for every other image upload (author photos, the site logo...) -----------------


class CleanImageFormField(forms.ImageField):
    """A form field that checks an upload by content with the Arabic messages above and
    re-encodes it without metadata (see :func:`clean_upload`)."""

    def to_python(self, data: Any) -> Any:
        f = forms.FileField.to_python(self, data)
        if f is None:
            return None
        return clean_upload(f, f.name)


class SafeImageField(models.ImageField):
    """An ``ImageField`` whose forms (the admin's, and any other ModelForm) go through
    :class:`CleanImageFormField`: type by content, size and pixel limits, re-encoded,
    metadata stripped. Same database column as ``ImageField``."""

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Whatever form class is asked for, the upload goes through CleanImageFormField.
        return super().formfield(
            form_class=CleanImageFormField, choices_form_class=choices_form_class, **kwargs
        )
