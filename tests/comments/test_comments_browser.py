"""A reader comments, a moderator approves, another reader sees it — in real Chromium."""

from __future__ import annotations

import pytest

from akhbar.antispam.models import AntispamSettings
from akhbar.comments.models import Comment
from tests import factories as f
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(page, name: str, email: str, body: str) -> None:
    page.fill("#id_body", body)
    page.fill("#id_author_name", name)
    page.fill("#id_author_email", email)


def test_comment_moderation_round_trip(live_server, page_factory, django_user_model):
    s = AntispamSettings.current()
    s.min_seconds_to_submit = 1
    s.save()
    django_user_model.objects.create_superuser("moderator", "m@example.org", "pw-Akhbar-2026")
    article = f.article(title="خبر يستحق النقاش", paragraphs=3)
    url = live_server.url + article.get_absolute_url()

    reader = page_factory()
    reader.goto(url)
    reader.wait_for_function("() => document.querySelector('[data-ts]').value !== ''")
    reader.wait_for_timeout(1200)  # people take a moment; the form rejects instant posts
    fill(reader, "نادية", "nadia@example.org", "تغطية ممتازة.\nأتمنى المزيد من التفاصيل.")
    reader.get_by_role("button", name="إرسال التعليق").click()
    mine = reader.locator(".comment--pending")
    mine.wait_for()
    assert "بانتظار المراجعة" in mine.inner_text()
    assert "تغطية ممتازة." in mine.inner_text()
    screenshot(reader, "comment-pending")
    reader.reload()
    reader.locator(".comment--pending").wait_for()  # still there for its author

    other = page_factory()
    other.goto(url)
    assert other.locator(".comment").count() == 0

    moderator = page_factory()
    moderator.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/")
    moderator.fill("#id_username", "moderator")
    moderator.fill("#id_password", "pw-Akhbar-2026")
    moderator.locator("input[type=submit]").click()
    moderator.wait_for_url("**/admin/comments/comment/")
    assert "أول تعليق من هذا البريد" in moderator.content()
    screenshot(moderator, "comment-moderation-queue")
    moderator.locator("input[name=_selected_action]").first.check()
    moderator.select_option("select[name=action]", "approve")
    moderator.locator("button[name=index]").click()
    moderator.wait_for_load_state()
    assert Comment.objects.get().status == "approved"

    other.reload()
    other.locator(".comment").first.wait_for()
    assert "تغطية ممتازة." in other.locator(".comment").first.inner_text()
    assert other.locator(".comment--pending").count() == 0

    # A reply nests under the approved comment.
    other.get_by_role("link", name="ردّ").first.click()
    other.wait_for_function("() => document.querySelector('[data-ts]').value !== ''")
    other.wait_for_timeout(1200)
    fill(other, "سامي", "sami@example.org", "أوافقك الرأي تماماً")
    other.get_by_role("button", name="إرسال التعليق").click()
    nested = other.locator(
        f"#comment-{Comment.objects.order_by('id').first().pk} .comment-children .comment"
    )
    nested.wait_for()
    assert "أوافقك الرأي" in nested.inner_text()
    screenshot(other, "comment-reply-nested")
    assert reader.console_errors == [] and other.console_errors == []


def test_bot_filling_the_honeypot_is_caught(live_server, page_factory):
    article = f.article()
    bot = page_factory()
    bot.goto(live_server.url + article.get_absolute_url())
    bot.wait_for_function("() => document.querySelector('[data-ts]').value !== ''")
    fill(bot, "Bot", "bot@example.org", "Great post, visit my site")
    bot.evaluate("document.querySelector('#id_fax').value = 'http://spam.example'")
    bot.get_by_role("button", name="إرسال التعليق").click()
    bot.wait_for_function(
        "() => document.querySelector('[data-form-status]').textContent"
        ".includes('بانتظار المراجعة')"
    )
    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert comment.spam_reasons[0]["check"] == "honeypot"
    # The bot is told nothing useful: it sees the same "awaiting moderation" as anyone held.
    assert "بانتظار المراجعة" in bot.locator("[data-form-status]").inner_text()


def test_form_works_without_javascript(live_server, page_factory):
    s = AntispamSettings.current()
    s.min_seconds_to_submit = 1
    s.save()
    article = f.article()
    page = page_factory(java_script_enabled=False)
    page.goto(live_server.url + article.get_absolute_url())
    fill(page, "ريم", "reem@example.org", "تعليق من متصفح بلا جافاسكربت")
    page.get_by_role("button", name="إرسال التعليق").click()
    # Confirmation page: text intact, fresh token.
    assert page.locator("#id_body").input_value() == "تعليق من متصفح بلا جافاسكربت"
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="إرسال التعليق").click()
    page.locator(".comment--pending").wait_for()
    assert Comment.objects.get().body == "تعليق من متصفح بلا جافاسكربت"
    screenshot(page, "comment-no-js")


def test_comment_survives_a_csrf_cookie_replaced_by_another_state_request(
    live_server, page_factory
):
    """On a first visit the newsletter box's and this form's state requests can each set a
    new CSRF cookie; the later one no longer matches the token the form holds. The form then
    fetches a fresh token and sends again: the reader presses once, and the text is kept."""
    s = AntispamSettings.current()
    s.min_seconds_to_submit = 1
    s.save()
    article = f.article(title="خبر للتعليق مرتين")
    page = page_factory(width=360)
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_function("() => document.querySelector('[data-ts]').value !== ''")
    page.context.clear_cookies()
    page.evaluate(  # another state request sets a new, different cookie
        "() => fetch(document.querySelector('[data-nl-form]').dataset.stateUrl,"
        " {credentials: 'same-origin'}).then(r => r.text())"
    )
    page.wait_for_timeout(1200)
    fill(page, "هالة", "hala@example.org", "تعليق يصل من المحاولة الأولى")
    with page.expect_response(lambda r: r.request.method == "POST") as first:
        page.get_by_role("button", name="إرسال التعليق").click()
    assert first.value.status == 403  # the stale token, refused: the form sends again
    page.locator(".comment--pending").wait_for()
    assert Comment.objects.get().body == "تعليق يصل من المحاولة الأولى"
