"""An editor writes and schedules an Arabic article with an image in the real admin (Chromium);
readers see it only once its time has come."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.newsroom.models import Article
from tests import factories as f
from tests.conftest import screenshot
from tests.newsroom.conftest import jpeg_bytes, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "افتتاح جسر الحرية بعد ثلاث سنوات من العمل"
PASSWORD = "كلمة-سر-طويلة-123"


def test_editor_schedules_an_article_with_an_image(live_server, page_factory):
    make_user("editor", name="editor1")
    f.category("محليات")
    f.article(title="خبر سابق منشور")
    page = page_factory()
    page.goto(live_server.url + "/admin/login/?next=/admin/newsroom/article/add/")
    page.fill("#id_username", "editor1")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.wait_for_load_state("load")
    page.wait_for_selector("[data-editor] [contenteditable]:not([hidden])")
    assert page.evaluate("document.documentElement.dir") == "rtl"

    page.fill("#id_title", TITLE)
    area = page.locator(".akhbar-editor__area")
    assert area.is_visible() and not page.locator("textarea#id_body").is_visible()
    area.click()
    page.keyboard.type("افتتحت البلدية اليوم جسر الحرية الذي يربط ضفتي النهر.")
    page.keyboard.press("Enter")
    page.locator("[data-block=h2]").click()
    page.keyboard.type("حركة المرور")
    page.keyboard.press("Enter")
    page.keyboard.type("ويتوقع أن يخفف الجسر الازدحام في وسط المدينة.")

    # Category via the admin's autocomplete (select2), as an editor does it.
    page.click("[aria-labelledby=select2-id_category-container]")
    page.fill(".select2-container--open .select2-search__field", "محل")
    page.locator(".select2-results__option", has_text="محليات").click()

    when = timezone.localtime(timezone.now() + timedelta(seconds=8))
    page.select_option("#id_status", "published")
    page.fill("#id_published_at_0", when.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", when.strftime("%H:%M:%S"))
    page.set_input_files(
        "#id_featured_image",
        files=[{"name": "bridge.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1800, 1200)}],
    )
    page.fill("#id_image_alt", "جسر الحرية فوق النهر عند الغروب")
    page.fill("#id_image_caption", "جسر الحرية الجديد")
    page.fill("#id_image_credit", "تصوير: أخبار")
    screenshot(page, "admin-article-form-desktop")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "admin-article-form-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})
    invalid = page.evaluate(
        "[...document.querySelectorAll('form :invalid')].map(e => e.name + ':' + e.value)"
    )
    assert invalid == [], invalid
    with page.expect_navigation():
        page.click("input[name=_save]")
    errors = page.locator(".errorlist").all_inner_texts()
    assert errors == [], errors
    page.wait_for_selector(".messagelist .success")
    assert page.console_errors == []

    article = Article.objects.get(title=TITLE)
    assert article.is_scheduled
    assert "<h2>حركة المرور</h2>" in article.body
    assert article.image_renditions["webp"]
    url = live_server.url + article.get_absolute_url()

    reader = page_factory()
    response = reader.goto(url)
    assert response.status == 404
    reader.goto(live_server.url + "/")
    assert TITLE not in reader.content()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = reader.goto(url)
        if response.status == 200:
            break
        time.sleep(1)
    assert response.status == 200
    assert timezone.now() >= article.published_at
    reader.console_errors.clear()  # the 404s while it was still scheduled
    assert reader.locator("h1").inner_text() == TITLE
    img = reader.locator(".article__image img")
    img.wait_for()
    reader.wait_for_function("() => document.querySelector('.article__image img').complete")
    assert reader.evaluate("document.querySelector('.article__image img').naturalWidth") > 0
    assert img.get_attribute("alt") == "جسر الحرية فوق النهر عند الغروب"
    assert "دقيقة واحدة" in reader.locator(".reading-time").inner_text()
    screenshot(reader, "newsroom-article-desktop")
    # The whole-page cache (akhbar.site.cache) expires the home page at the scheduled time;
    # allow for its rounding to the second.
    for _ in range(5):
        reader.goto(live_server.url + "/")
        if TITLE in reader.content():
            break
        time.sleep(1)
    assert TITLE in reader.content()

    phone = page_factory(width=360, height=740, is_mobile=True, has_touch=True)
    phone.goto(url)
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(phone, "newsroom-article-mobile")
    # The beacon counted the reads (Chromium's user agent is not a bot's).
    from akhbar.newsroom.services import flush_hits

    phone.wait_for_timeout(300)
    flush_hits()
    article.refresh_from_db()
    assert article.view_count >= 1
    assert reader.console_errors == [] and phone.console_errors == []
