"""Subscribing without an account: the form under the page cache, double opt-in, signed
links, RFC 8058 one-click unsubscribe, export/erase, consent, abuse limits."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time

import pytest
from django.test import Client

from akhbar.newsletters import services
from akhbar.newsletters.models import Consent, NewsletterList, Subscriber, Suppression
from tests import factories as f
from tests.newsletters.conftest import links

pytestmark = pytest.mark.django_db


def subscribe(client: Client, email: str, lists=("daily",), *, ip: str = "203.0.113.5"):
    state = client.get("/newsletters/state/", HTTP_ACCEPT="application/json").json()
    return client.post(
        "/newsletters/subscribe/",
        {
            "email": email,
            "lists": list(lists),
            "csrfmiddlewaretoken": state["csrf"],
            "source": "/news/x/",
        },
        HTTP_ACCEPT="application/json",
        REMOTE_ADDR=ip,
    )


def confirm_link(smtp, email: str) -> str:
    smtp.wait_for(1)
    mail = smtp.to(email)[-1]
    found = [u for u in links(mail.part("plain")) if "/confirm/" in u]
    assert found, mail.part("plain")
    return found[0].replace("https://news.example.org", "")


def test_form_on_a_cached_article_page_gets_its_token_from_state(client):
    article = f.article()
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert second["X-Cache"] == "HIT"  # the page (with the form) is cached whole
    html = second.content.decode()
    assert "data-nl-form" in html and 'name="email"' in html
    token_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)" data-csrf', html)
    assert token_field and token_field.group(1) == ""  # no per-reader token in the cache
    assert first.content == second.content
    state = client.get("/newsletters/state/")
    assert state["Cache-Control"].startswith("max-age=0") or "no-cache" in state["Cache-Control"]
    assert state.json()["csrf"]


def test_without_javascript_the_form_comes_back_with_the_address_kept():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/newsletters/subscribe/", {"email": "nadia@example.org", "lists": ["breaking"]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "اضغط «اشترك» مرة أخرى" in html
    assert 'value="nadia@example.org"' in html
    assert re.search(r'value="breaking" checked', html)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    again = client.post(
        "/newsletters/subscribe/",
        {"email": "nadia@example.org", "lists": ["breaking"], "csrfmiddlewaretoken": token},
    )
    assert again.status_code == 200
    assert "ستصلك خلال دقائق رسالة لتأكيد" in again.content.decode()
    assert again["Cache-Control"] == "private, no-store"


def test_double_opt_in_round_trip(smtp, client):
    response = subscribe(client, "Reader@Example.org", ["daily", "breaking"])
    assert response.status_code == 200, response.content
    assert response.json()["message"] == services.SAME_ANSWER
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.status == "pending"
    assert not subscriber.subs.exists()  # nothing before the reader confirms

    link = confirm_link(smtp, "reader@example.org")
    mail = smtp.to("reader@example.org")[0]
    assert mail.dkim_ok is True
    assert "أكّد اشتراكك" in mail.part("html")
    # A link scanner's GET confirms nothing; the page has a button.
    page = client.get(link)
    assert page.status_code == 200 and "أكّد اشتراكي" in page.content.decode()
    assert Subscriber.objects.get().status == "pending"
    done = client.post(link)
    assert done.status_code == 200
    assert "تم تأكيد اشتراكك" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert services.active_slugs(subscriber) == {"daily", "breaking"}
    consents = list(subscriber.consents.order_by("at", "id"))
    assert [c.action for c in consents] == ["requested", "confirmed"]
    assert consents[0].source == "/news/x/"
    assert consents[0].lists == ["daily", "breaking"]
    assert consents[0].wording == services.CONSENT_WORDING
    assert client.post(link).status_code == 200  # confirming twice is harmless


def test_expired_and_forged_confirmation_links(smtp, client, settings):
    subscribe(client, "late@example.org")
    link = confirm_link(smtp, "late@example.org")
    forged = link[:-6] + "AAAAA/"
    assert client.get(forged).status_code == 400
    assert "غير صالح" in client.post(forged).content.decode()
    settings.AKHBAR = {**settings.AKHBAR, "NEWSLETTER_CONFIRM_HOURS": 0}
    time.sleep(1.1)
    page = client.get(link)
    assert page.status_code == 400
    assert "انتهت صلاحية رابط التأكيد" in page.content.decode()
    assert "انتهت صلاحية" in client.post(link).content.decode()
    assert Subscriber.objects.get().status == "pending"


def confirmed(email: str, slugs=("daily",)) -> Subscriber:
    s = Subscriber.objects.create(email=email, status="confirmed")
    for slug in slugs:
        s.subs.create(newsletter=NewsletterList.objects.get(slug=slug))
    return s


def test_one_click_unsubscribe_rfc8058_without_cookie_or_csrf():
    s = confirmed("one@example.org", ["daily", "breaking"])
    daily = NewsletterList.objects.get(slug="daily")
    token = services.unsubscribe_token(s, daily.pk)
    client = Client(enforce_csrf_checks=True)  # a mail provider: no cookie, no token
    url = f"/newsletters/u/{token}/"
    first = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert first.status_code == 200
    assert services.active_slugs(s) == {"breaking"}
    again = client.post(url, {"List-Unsubscribe": "One-Click"})  # idempotent
    assert again.status_code == 200
    assert services.active_slugs(s) == {"breaking"}
    assert Consent.objects.filter(subscriber=s, action="unsubscribed").count() == 1
    # GET (a scanner following the link) changes nothing and shows the button.
    other = services.unsubscribe_token(s, NewsletterList.objects.get(slug="breaking").pk)
    page = client.get(f"/newsletters/u/{other}/")
    assert "ألغِ اشتراكي" in page.content.decode()
    assert services.active_slugs(s) == {"breaking"}
    # A forged token is refused.
    assert client.post(url[:-3] + "0f/", {"List-Unsubscribe": "One-Click"}).status_code == 404


def test_preferences_export_and_erase():
    s = confirmed("prefs@example.org", ["daily"])
    token = services.preferences_token(s)
    client = Client()
    page = client.get(f"/newsletters/p/{token}/")
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert "prefs@example.org" in page.content.decode()
    client.post(f"/newsletters/p/{token}/", {"lists": ["breaking"]})
    assert services.active_slugs(s) == {"breaking"}
    data = json.loads(client.get(f"/newsletters/p/{token}/export/").content)
    assert data["email"] == "prefs@example.org"
    assert {x["slug"]: x["active"] for x in data["subscriptions"]} == {
        "daily": False,
        "breaking": True,
    }
    assert data["consents"][-1]["action"] == "changed"
    assert client.get("/newsletters/p/1-0-0123456789abcdef0123/").status_code == 404
    response = client.post(f"/newsletters/p/{token}/erase/")
    assert "حذفنا عنوانك" in response.content.decode()
    assert not Subscriber.objects.exists() and not Consent.objects.exists()
    # The old link no longer opens anything.
    assert client.get(f"/newsletters/p/{token}/").status_code == 404


def test_same_answer_whether_or_not_already_subscribed(smtp, client):
    confirmed("known@example.org", ["daily"])
    Suppression.objects.create(email="blocked@example.org", reason="bounce")
    answers = {
        email: subscribe(client, email, ip=f"198.51.100.{i}").json()
        for i, email in enumerate(["known@example.org", "new@example.org", "blocked@example.org"])
    }
    assert len({json.dumps(a, sort_keys=True) for a in answers.values()}) == 1
    smtp.wait_for(2)
    assert "أنت مشترك بالفعل" in smtp.to("known@example.org")[0].part("plain")
    assert "أكّد اشتراكك" in smtp.to("new@example.org")[0].part("plain")
    assert smtp.to("blocked@example.org") == []  # never mail a bounced address


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("reader@mailinator.com", "المؤقتة"),
        ("reader@sub.yopmail.com", "المؤقتة"),
        ("قارئ@example.org", "أحرف عربية"),
        ("reader@example.invalid", "لا يستقبل البريد"),
        ("no-at-sign.example.org", "صحيحاً"),
        ("two@@example.org", "صحيحاً"),
        ("a b@example.org", "رموز غير مسموح"),
        ("<script>@example.org", "رموز غير مسموح"),
        ("x@-bad-.com", "النطاق"),
        ("x@localhost", "النطاق"),
        ("x" * 300 + "@example.org", "طويل"),
    ],
)
def test_bad_addresses_are_refused_in_arabic(client, email, message):
    response = subscribe(client, email)
    assert response.status_code == 400
    body = response.json()
    assert message in body["message"]
    assert body["errors"]["email"]
    assert not Subscriber.objects.exists()


def test_idn_domain_is_stored_in_ascii_and_shown_in_arabic(smtp, client):
    assert subscribe(client, "reader@مثال.مصر").status_code == 200
    s = Subscriber.objects.get()
    assert s.email == "reader@xn--mgbh0fb.xn--wgbh1c"
    smtp.wait_for(1)
    assert smtp.received[0].rcpt == "reader@xn--mgbh0fb.xn--wgbh1c"
    from akhbar.newsletters.addresses import display

    assert display(s.email) == "reader@مثال.مصر"


def test_invisible_characters_from_copy_paste_are_dropped(client):
    assert subscribe(client, "\u200freader@example.org\u200b ").status_code == 200
    assert Subscriber.objects.get().email == "reader@example.org"


def test_ten_thousand_attempts_from_one_address(smtp, settings):
    """One reader address hammering the form: 10 requests pass, 9,990 get an Arabic 429,
    no rows or emails pile up."""
    results = {"ok": 0, "limited": 0}
    for i in range(10_000):
        try:
            services.request_subscription(f"r{i}@example.org", ["daily"], ip="192.0.2.66")
            results["ok"] += 1
        except services.SubscribeError as exc:
            assert exc.status == 429 and "انتظر" in str(exc)
            results["limited"] += 1
    assert results == {"ok": 10, "limited": 9_990}
    assert Subscriber.objects.count() == 10
    smtp.wait_for(10)
    assert len(smtp.received) == 10
    client = Client()
    response = subscribe(client, "late@example.org", ip="192.0.2.66")
    assert response.status_code == 429
    assert "انتظر بضع دقائق" in response.json()["message"]


def test_one_email_from_many_addresses_gets_three_messages_a_day(smtp, client):
    answers = set()
    for i in range(12):
        response = subscribe(client, "target@example.org", ip=f"198.51.100.{i}")
        answers.add(response.json()["message"])
    assert answers == {services.SAME_ANSWER}
    smtp.wait_for(3)
    time.sleep(0.2)
    assert len(smtp.to("target@example.org")) == 3


def test_honeypot_answers_the_same_and_does_nothing(client):
    state = client.get("/newsletters/state/").json()
    response = client.post(
        "/newsletters/subscribe/",
        {
            "email": "bot@example.org",
            "lists": ["daily"],
            "website": "http://spam",
            "csrfmiddlewaretoken": state["csrf"],
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["message"] == services.SAME_ANSWER
    assert not Subscriber.objects.exists()


def test_no_list_chosen(client):
    response = subscribe(client, "reader@example.org", [])
    assert response.status_code == 400
    assert response.json()["errors"]["lists"] == "اختر نشرة واحدة على الأقل."


def test_subscribe_page_lists_every_list(client):
    response = client.get("/newsletters/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "النشرة اليومية" in html and "أخبار عاجلة" in html
    # No inline style but the reader pages' inlined sheets, each allowed by its CSP hash.
    csp = response["Content-Security-Policy"]
    for css in re.findall(r"<style>(.*?)</style>", html, re.S):
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    rest = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    assert "<style" not in rest and "style=" not in rest.replace("data-style", "")
