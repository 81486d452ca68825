"""Staff sign-in: lockout per account and per address (Arabic page), password reset by email
with an expiring link, TOTP two-factor with recovery codes, required when configured."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from akhbar.accounts import twofactor
from akhbar.audit.models import AuditEntry
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "كلمة-سر-طويلة-123"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client: Client, username: str, password: str, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def test_wrong_passwords_lock_the_account_then_even_the_right_one_fails():
    make_user("editor", "target")
    c = Client()
    statuses = [login(c, "target", f"خطأ-{i}").status_code for i in range(5)]
    assert statuses[:4] == [200] * 4
    r = login(c, "target", PASSWORD)
    assert r.status_code == 429
    assert "الدخول موقوف مؤقتاً" in r.content.decode()
    # From another address too: the account itself is locked.
    r = login(Client(REMOTE_ADDR="198.51.100.7"), "target", PASSWORD)
    assert r.status_code == 429
    assert AuditEntry.objects.filter(action="login_failed").count() >= 5
    assert AuditEntry.objects.filter(action="lockout").exists()


def test_an_address_trying_many_accounts_is_locked():
    for i in range(6):
        make_user("author", f"victim{i}")
    c = Client(REMOTE_ADDR="203.0.113.50")
    for i in range(5):
        login(c, f"victim{i}", "خطأ")
    r = login(c, "victim5", PASSWORD)
    assert r.status_code == 429
    # The same account from elsewhere is fine.
    r = login(Client(REMOTE_ADDR="203.0.113.51"), "victim5", PASSWORD)
    assert r.status_code == 302


def test_lockout_expires(settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    make_user("editor", "patient")
    c = Client()
    for _ in range(5):
        login(c, "patient", "خطأ")
    assert login(c, "patient", PASSWORD).status_code == 302


def test_the_address_is_the_readers_behind_the_proxy(settings):
    settings.AKHBAR_TRUSTED_PROXIES = ["127.0.0.1/32"]
    for i in range(6):
        make_user("author", f"proxied{i}")
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.66")
    for i in range(5):
        login(attacker, f"proxied{i}", "خطأ")
    assert login(attacker, "proxied5", PASSWORD).status_code == 429
    # Another reader behind the same nginx is not locked out with the attacker.
    other = Client(HTTP_X_FORWARDED_FOR="198.51.100.67")
    assert login(other, "proxied5", PASSWORD).status_code == 302


def test_password_reset_by_email_in_arabic_with_a_one_use_link(settings):
    user = make_user("editor", "forgetful")
    c = Client()
    page = c.get("/admin/login/").content.decode()
    assert "/admin/password_reset/" in page
    r = c.post("/admin/password_reset/", {"email": user.email})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "إعادة تعيين كلمة المرور" in message.subject
    assert "لاختيار كلمة مرور جديدة" in message.body
    link = re.search(r"https?://\S+/admin/reset/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[1]
    r = c.get(path, follow=True)
    assert "اكتب كلمة المرور الجديدة" in r.content.decode()
    form_url = r.redirect_chain[-1][0]
    new = "كلمة-جديدة-طويلة-٧٨٩"
    r = c.post(form_url, {"new_password1": new, "new_password2": new})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    r = Client().get(path, follow=True)  # used once: no more
    assert "غير صالح" in r.content.decode()


def test_reset_link_expires(settings):
    user = make_user("editor", "slow")
    c = Client()
    c.post("/admin/password_reset/", {"email": user.email})
    path = re.search(r"/admin/reset/\S+/", mail.outbox[0].body).group(0)
    settings.PASSWORD_RESET_TIMEOUT = -1
    r = c.get(path, follow=True)
    assert "غير صالح" in r.content.decode()


def test_reset_requests_are_limited_and_never_reveal_an_address():
    user = make_user("editor", "flooded")
    c = Client()
    for _ in range(12):
        assert c.post("/admin/password_reset/", {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 5
    assert c.post("/admin/password_reset/", {"email": "nobody@example.org"}).status_code == 302


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _signed_in(username: str) -> Client:
    c = Client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def test_two_factor_setup_verify_and_recovery_codes():
    make_user("editor", "careful")
    c = _signed_in("careful")
    page = c.get("/admin/2fa/setup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "المفتاح" in html
    device = TOTPDevice.objects.get(user__username="careful", confirmed=False)
    r = c.post("/admin/2fa/setup/", {"token": "000000" if _code(device) != "000000" else "1"})
    assert "الرمز غير صحيح" in r.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    r = c.post("/admin/2fa/setup/", {"token": _code(device)})
    codes = re.findall(r"<code>(\d{8})</code>", r.content.decode())
    assert len(codes) == 10
    assert c.get("/admin/").status_code == 200  # verified in this session

    # A new session: password alone is not enough.
    c2 = _signed_in("careful")
    r = c2.get("/admin/newsroom/article/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/2fa/verify/")
    assert c2.get("/admin/related/tag-suggestions/?title=x").status_code == 302
    r = c2.post("/admin/2fa/verify/", {"token": "12345678", "next": "/admin/"})
    assert "الرمز غير صحيح" in r.content.decode()
    time.sleep(1.1)  # django-otp throttles: one second after a wrong code, doubling after
    r = c2.post("/admin/2fa/verify/", {"token": codes[0], "next": "/admin/newsroom/article/"})
    assert r.status_code == 302 and r["Location"] == "/admin/newsroom/article/"
    assert c2.get("/admin/newsroom/article/").status_code == 200
    # Each recovery code works once.
    c3 = _signed_in("careful")
    r = c3.post("/admin/2fa/verify/", {"token": codes[0]})
    assert r.status_code == 200 and "الرمز غير صحيح" in r.content.decode()
    assert StaticToken.objects.filter(device__user__username="careful").count() == 9
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"two_factor_enabled", "recovery_code_used", "two_factor_failed", "login"} <= actions


def test_totp_code_signs_in():
    user = make_user("author", "phone")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    c = _signed_in("phone")
    assert c.get("/admin/").status_code == 302
    r = c.post("/admin/2fa/verify/", {"token": _code(device), "next": "/admin/"})
    assert r.status_code == 302
    assert c.get("/admin/").status_code == 200


def test_open_redirect_after_verification_is_refused():
    user = make_user("author", "redirected")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    c = _signed_in("redirected")
    r = c.post("/admin/2fa/verify/", {"token": _code(device), "next": "https://evil.example/"})
    assert r["Location"] == "/admin/"


@pytest.mark.parametrize(
    "role,required", [("contributor", False), ("author", False), ("editor", True),
                      ("administrator", True)],
)  # fmt: skip
def test_required_for_editors_and_administrators(settings, role, required):
    settings.AKHBAR_REQUIRE_2FA = True
    make_user(role, f"req-{role}")
    c = _signed_in(f"req-{role}")
    r = c.get("/admin/")
    if required:
        assert r.status_code == 302 and r["Location"].startswith("/admin/2fa/setup/")
        assert "يتطلب هذا الموقع التحقق بخطوتين" in c.get(r["Location"]).content.decode()
    else:
        assert r.status_code == 200


def test_not_required_by_default():
    user = make_user("editor", "relaxed")
    assert not twofactor.required_for(user)
    assert _signed_in("relaxed").get("/admin/").status_code == 200
