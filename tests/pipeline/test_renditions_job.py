"""An admin save with a big new photo answers without making renditions (a background job);
until the job has run the page shows the original in a box of its real size, never a broken
image. (The speed itself is measured in bench/pipeline_admin_save.py, not timed here.)"""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.templatetags.static import static as static_url
from PIL import Image

from akhbar.newsroom.models import Article
from tests import factories as f
from tests.newsroom.conftest import jpeg_bytes, make_user
from tests.newsroom.test_admin_input import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    """Jobs wait in the database queue (as in production) instead of running at enqueue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def lead_figure(client, article: Article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'<figure class="article__image">(.*?)</figure>', html, re.S).group(1)


def test_renditions_follow_in_the_background_and_the_page_never_breaks(client, database_queue):
    from django_tasks_db.models import DBTaskResult

    editor = make_user("editor", name="ed")
    client.force_login(editor)
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(4000, 3000, exif=True), "image/jpeg")
    data = form_data(
        f.category(),
        status="published",
        published_at_0="2024-01-01",
        published_at_1="10:00",
        image_alt="ميناء المدينة",
    )
    response = client.post("/admin/newsroom/article/add/", {**data, "featured_image": upload})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.image_renditions["pending"] is True
    assert (article.image_renditions["width"], article.image_renditions["height"]) == (4000, 3000)
    job = DBTaskResult.objects.get(task_path="akhbar.newsroom.tasks.make_renditions")
    assert job.status == "READY" and job.args_kwargs["args"] == [
        article.pk,
        article.featured_image.name,
    ]

    raw = article.featured_image.name
    assert "incoming-" in raw  # stored as it came, under an unguessable name

    client.logout()
    lead = lead_figure(client, article)
    # A neutral placeholder of the photo's real size: no layout jump, nothing broken, and the
    # raw upload (still with its GPS metadata) is never shown to readers.
    assert 'src="/static/akhbar/img/image-pending.svg"' in lead
    assert 'width="4000" height="3000"' in lead and 'alt="ميناء المدينة"' in lead
    assert raw not in lead
    assert client.get(static_url("akhbar/img/image-pending.svg")).status_code == 200

    job.task.call(*job.args_kwargs["args"])  # what the worker does
    article.refresh_from_db()
    assert "incoming-" not in article.featured_image.name
    assert not default_storage.exists(raw)
    with default_storage.open(article.featured_image.name) as fh, Image.open(fh) as img:
        assert img.size == (4000, 3000) and not img.getexif()  # GPS gone
    assert [w for w, _ in article.image_renditions["jpeg"]] == [320, 640, 1024, 1600]
    lead = lead_figure(client, article)  # the job's event started a new cache generation
    assert '<source type="image/webp"' in lead and 'width="1600" height="1200"' in lead


def test_a_stale_job_never_overwrites_a_newer_image(database_queue):
    from akhbar.newsroom.tasks import make_renditions

    a = f.article()
    a.featured_image.save("one.jpg", SimpleUploadedFile("one.jpg", jpeg_bytes(900, 600)))
    first = a.featured_image.name
    a.featured_image.save("two.jpg", SimpleUploadedFile("two.jpg", jpeg_bytes(700, 700)))
    assert make_renditions.call(a.pk, first) == {"skipped": "image changed or article deleted"}
    a.refresh_from_db()
    assert a.image_renditions["source"] == a.featured_image.name
    assert a.image_renditions.get("pending") is True
