"""Bad input in the admin article form: each refused or cleaned with an Arabic message, no 500,
and no stored XSS (checked by rendering the public page)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from akhbar.newsroom.models import Article
from tests import factories as f
from tests.newsroom.conftest import jpeg_bytes, make_user, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor", name="ed"))
    return client


def form_data(category, **overrides) -> dict:
    data = {
        "title": "افتتاح مكتبة جديدة في الموصل",
        "slug": "",
        "excerpt": "",
        "body": "<p>افتتحت اليوم مكتبة عامة جديدة.</p>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "author": "",
        "category": str(category.pk),
        "comments_open": "on",
        "correction_note": "",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        "source_name": "",
        "source_url": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post("/admin/newsroom/article/add/", data)


def errors_of(response) -> str:
    assert response.status_code == 200, response.status_code  # form shown again, not a 500
    html = response.content.decode()
    assert "errorlist" in html
    return html


def test_valid_arabic_article_is_saved_with_arabic_slug(editor_client):
    c = f.category()
    r = post(editor_client, form_data(c))
    assert r.status_code == 302, r.content.decode()[:3000]
    a = Article.objects.get()
    assert a.slug == "افتتاح-مكتبة-جديدة-في-الموصل"
    assert a.excerpt == "افتتحت اليوم مكتبة عامة جديدة."
    assert a.created_by.username == "ed"
    assert a.events.get().action == "created"


def test_non_image_renamed_jpg(editor_client):
    upload = SimpleUploadedFile("photo.jpg", b"this is not an image at all" * 50, "image/jpeg")
    html = errors_of(post(editor_client, {**form_data(f.category()), "featured_image": upload}))
    assert "الملف ليس صورة صالحة" in html
    assert not Article.objects.exists()


def test_sixty_megabyte_upload(editor_client):
    big = SimpleUploadedFile("big.jpg", jpeg_bytes(64, 64) + b"\0" * (60 * 1024 * 1024))
    html = errors_of(post(editor_client, {**form_data(f.category()), "featured_image": big}))
    assert "أكبر من الحد المسموح" in html


def test_decompression_bomb(editor_client):
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")  # tiny file, 400 megapixels
    assert len(out.getvalue()) < 200_000
    bomb = SimpleUploadedFile("bomb.png", out.getvalue(), "image/png")
    html = errors_of(post(editor_client, {**form_data(f.category()), "featured_image": bomb}))
    assert "أبعاد الصورة" in html


def test_svg_with_script(editor_client):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    upload = SimpleUploadedFile("logo.svg", svg, "image/svg+xml")
    html = errors_of(post(editor_client, {**form_data(f.category()), "featured_image": upload}))
    assert "SVG" in html and "غير مقبولة" in html
    # Also when renamed to .png.
    upload = SimpleUploadedFile("logo.png", svg, "image/png")
    html = errors_of(post(editor_client, {**form_data(f.category()), "featured_image": upload}))
    assert "SVG" in html


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("أخبار/محلية", "الشرطة المائلة"),
        ("..", "«..»"),
        ("خبر..قديم", "«..»"),
        ("!!!؟؟", "حرف أو رقم"),
        ("---", "حرف أو رقم"),
        ("خبر عاجل", "دون مسافات"),
    ],
)
def test_bad_slugs(editor_client, slug, message):
    html = errors_of(post(editor_client, form_data(f.category(), slug=slug)))
    assert message in html
    assert not Article.objects.exists()


def test_duplicate_slug_is_refused_in_arabic(editor_client):
    existing = f.article()
    html = errors_of(post(editor_client, form_data(f.category(), slug=existing.slug)))
    assert "موجود" in html  # Django's Arabic "already exists"


def test_year_10000_and_year_1_are_refused(editor_client):
    c = f.category()
    html = errors_of(
        post(editor_client, form_data(c, published_at_0="10000-01-01", published_at_1="10:00"))
    )
    assert "تاريخ" in html
    html = errors_of(
        post(editor_client, form_data(c, published_at_0="0001-01-01", published_at_1="10:00"))
    )
    assert "بين عامي" in html


def test_script_and_event_handlers_are_cleaned_and_never_reach_readers(editor_client, client):
    body = (
        '<p onclick="steal()">نص <script>alert("x")</script>'
        '<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">رابط</a>'
        '<a href="https://example.org/" onmouseover="x()">آمن</a></p>'
        '<iframe src="https://evil.example/"></iframe><style>body{}</style>'
    )
    data = form_data(f.category(), body=body, status="published", title="اختبار <b>عنوان</b>")
    data.update(published_at_0="2024-01-01", published_at_1="10:00:00")
    r = post(editor_client, data)
    assert r.status_code == 302
    a = Article.objects.get()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "onmouseover"):
        assert bad not in a.body.lower()
    html = client.get(a.get_absolute_url()).content.decode()
    for bad in ("alert(", "onerror=", "javascript:", "evil.example"):
        assert bad not in html
    assert "اختبار &lt;b&gt;عنوان&lt;/b&gt;" in html  # title escaped, not rendered as HTML
    assert 'href="https://example.org/"' in html


def test_alt_text_is_required_to_publish_with_an_image(editor_client):
    c = f.category()
    upload = SimpleUploadedFile("p.png", png_bytes(), "image/png")
    data = form_data(c, status="published", published_at_0="2024-01-01", published_at_1="10:00")
    html = errors_of(post(editor_client, {**data, "featured_image": upload}))
    assert "النص البديل للصورة مطلوب قبل النشر" in html
    upload = SimpleUploadedFile("p.png", png_bytes(), "image/png")
    r = post(editor_client, {**data, "featured_image": upload, "image_alt": "مبنى المكتبة"})
    assert r.status_code == 302
    # A draft with an image but no alt text is fine: only publishing needs it.
    upload = SimpleUploadedFile("q.png", png_bytes(), "image/png")
    r = post(editor_client, {**form_data(c, title="مسودة بصورة"), "featured_image": upload})
    assert r.status_code == 302


def test_contributor_cannot_publish_by_crafted_post(client):
    client.force_login(make_user("contributor", name="c"))
    data = form_data(f.category(), status="published")
    html = errors_of(post(client, data))
    assert "published" in html or "اختيار صالح" in html or "صلاحية" in html
    assert not Article.objects.exists()
