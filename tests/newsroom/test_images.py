"""Uploaded images: metadata stripped, WebP/JPEG renditions made once, served responsively."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from akhbar.newsroom import images
from akhbar.newsroom.models import Article
from tests import factories as f
from tests.newsroom.conftest import jpeg_bytes, make_user
from tests.newsroom.test_admin_input import form_data

pytestmark = pytest.mark.django_db


def test_clean_upload_strips_exif_and_gps():
    raw = jpeg_bytes(800, 600, exif=True)
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get(0x8825)  # GPS present before
    cleaned = images.clean_upload(SimpleUploadedFile("phone.jpeg", raw), "phone.jpeg")
    with Image.open(io.BytesIO(cleaned.read())) as img:
        assert img.format == "JPEG"
        assert not img.getexif()
        assert "exif" not in img.info
    assert cleaned.name == "phone.jpg"


def test_admin_upload_makes_renditions_once_and_page_uses_them(client):
    editor = make_user("editor", name="ed")
    client.force_login(editor)
    upload = SimpleUploadedFile("lead.jpg", jpeg_bytes(1800, 1200, exif=True), "image/jpeg")
    data = form_data(
        f.category(),
        status="published",
        published_at_0="2024-01-01",
        published_at_1="10:00",
        image_alt="جسر فوق النهر",
        image_caption="الجسر الجديد",
        image_credit="تصوير: سارة",
    )
    assert (
        client.post("/admin/newsroom/article/add/", {**data, "featured_image": upload}).status_code
        == 302
    )
    a = Article.objects.get()
    r = a.image_renditions
    assert (r["width"], r["height"]) == (1800, 1200)
    assert [w for w, _ in r["jpeg"]] == [320, 640, 1024, 1600]
    assert [w for w, _ in r["webp"]] == [320, 640, 1024, 1600]
    for _, name in r["jpeg"] + r["webp"]:
        assert default_storage.exists(name)
    with default_storage.open(a.featured_image.name) as fh, Image.open(fh) as img:
        assert not img.getexif()  # the stored original has no GPS either
    with default_storage.open(r["webp"][0][1]) as fh, Image.open(fh) as img:
        assert img.format == "WEBP" and img.size == (320, 213)

    # Saving again without a new image does not regenerate anything.
    before = {name: default_storage.get_modified_time(name) for _, name in r["jpeg"]}
    a.title = "عنوان جديد"
    a.save()
    assert {n: default_storage.get_modified_time(n) for n in before} == before

    html = client.get(a.get_absolute_url()).content.decode()
    lead = re.search(r'<figure class="article__image">(.*?)</figure>', html, re.S).group(1)
    assert '<source type="image/webp" srcset="' in lead and " 1600w" in lead
    assert 'sizes="' in lead and 'width="1600" height="1067"' in lead
    assert 'alt="جسر فوق النهر"' in lead
    assert 'loading="lazy"' not in lead  # the lead image loads at once
    assert "الجسر الجديد" in lead and "تصوير: سارة" in lead


def test_teasers_lazy_load_small_renditions(client):
    a = f.article(title="خبر بصورة")
    a.featured_image.save("t.jpg", SimpleUploadedFile("t.jpg", jpeg_bytes(700, 400)))
    a.refresh_from_db()
    assert [w for w, _ in a.image_renditions["jpeg"]] == [320, 640, 700]
    f.article(category=a.category)  # a sibling whose related block shows nothing special
    html = client.get(a.category.get_absolute_url()).content.decode()
    teaser = re.search(r'<a class="teaser__image".*?</a>', html, re.S).group(0)
    assert 'loading="lazy"' in teaser and "320w" in teaser and 'alt=""' in teaser


def test_missing_renditions_fall_back_to_plain_img(client):
    a = f.article()
    Article.objects.filter(pk=a.pk).update(featured_image="articles/old.jpg", image_renditions={})
    html = client.get(a.get_absolute_url()).content.decode()
    assert 'src="/media/articles/old.jpg"' in html


def test_broken_stored_image_does_not_break_the_save():
    a = f.article()
    default_storage.save("articles/broken.jpg", io.BytesIO(b"not an image"))
    a.featured_image = "articles/broken.jpg"
    a.save()
    a.refresh_from_db()  # renditions are a background job (immediate in the test suite)
    assert a.image_renditions == {"source": "articles/broken.jpg"}
