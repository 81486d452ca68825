"""Author photos and the site logo go through the featured-image checks: type by content,
size limit, pixel limit (decompression bombs), re-encoded without metadata or trailing data."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.test import Client, RequestFactory
from PIL import Image

from akhbar.newsroom.images import CleanImageFormField
from akhbar.newsroom.models import Author
from akhbar.site.models import SiteSettings
from tests.newsroom.conftest import jpeg_bytes, make_user

pytestmark = pytest.mark.django_db


def png_bomb(width: int = 12_000, height: int = 12_000) -> bytes:
    """A few hundred bytes claiming 144 megapixels (what the audit uploaded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width + 1) * 16, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


HOSTILE = {
    "bomb": (png_bomb(), "أبعاد الصورة"),
    "huge": (b"\xff\xd8\xff\xe0" + b"\x00" * (60 * 1024 * 1024), "أكبر من الحد"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
    "text": (b"<?php system($_GET['c']); ?>", "ليس صورة"),
}

FORMS = {
    "author": (Author, ["display_name", "slug", "photo"], "photo"),
    "logo": (SiteSettings, ["site_name", "copyright_holder", "language", "logo"], "logo"),
}


def form_for(kind: str, upload: SimpleUploadedFile):
    model, fields, field = FORMS[kind]
    form_class = modelform_factory(model, fields=fields)
    data = {"display_name": "سلمى", "slug": "salma", "site_name": "أخبار",
            "copyright_holder": "أخبار", "language": "ar"}  # fmt: skip
    instance = SiteSettings.current() if model is SiteSettings else None
    return form_class(data, {field: upload}, instance=instance), field


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("kind", FORMS)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_uploads_are_refused_in_arabic(kind, name):
    content, message = HOSTILE[name]
    form, field = form_for(kind, SimpleUploadedFile(f"{name}.jpg", content))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.parametrize("kind", FORMS)
def test_gps_exif_and_appended_php_are_gone_after_upload(kind):
    content = jpeg_bytes(600, 400, exif=True) + b"<?php system($_GET['c']); ?>"
    form, field = form_for(kind, SimpleUploadedFile("phone.jpg", content))
    assert form.is_valid(), form.errors
    obj = form.save()
    stored = getattr(obj, field)
    data = stored.read()
    assert b"<?php" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        exif = img.getexif()
        assert 0x8825 not in exif and 0x010F not in exif  # no GPS block, no camera make


def test_the_admin_forms_use_the_checked_field():
    request = RequestFactory().get("/")
    request.user = make_user("administrator", "upload-admin")
    for model, field in ((Author, "photo"), (SiteSettings, "logo")):
        form_class = admin.site._registry[model].get_form(request)
        assert isinstance(form_class.base_fields[field], CleanImageFormField)


def test_author_photo_through_the_admin():
    user = make_user("administrator", "photo-admin")
    author = Author.objects.create(display_name="سلمى", slug="salma")
    c = Client()
    c.force_login(user)
    r = c.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        {"display_name": "سلمى", "slug": "salma", "bio": "",
         "photo": SimpleUploadedFile("bomb.png", png_bomb())},
    )  # fmt: skip
    assert r.status_code == 200 and "أبعاد الصورة" in r.content.decode()
    author.refresh_from_db()
    assert not author.photo
