"""Staff who have two-factor authentication (or must have it) reach the admin only after it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from akhbar.accounts import twofactor

# Pages a signed-in but not yet verified user may still open.
OPEN_NAMES = (
    "admin:login", "admin:logout", "accounts:2fa-verify", "accounts:2fa-setup",
    "admin_password_reset", "password_reset_done", "admin:jsi18n",
)  # fmt: skip


class TwoFactorMiddleware:
    """After django-otp's ``OTPMiddleware``. Guards ``/admin/`` (and the staff-only JSON
    endpoints under it): a staff member with a confirmed device must enter a code once per
    session; with ``AKHBAR_REQUIRE_2FA`` editors and administrators without one must set one
    up first. Readers' pages are never touched (and never load the session here)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = tuple(reverse(name) for name in OPEN_NAMES)
        return self._open

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/") and not request.path.startswith(self._open_paths()):
            user = request.user
            # django_otp's OTPMiddleware (before this one) gives the user is_verified().
            if user.is_authenticated and user.is_staff and not user.is_verified():  # type: ignore[attr-defined]
                if twofactor.has_device(user):
                    return self._to("accounts:2fa-verify", request)
                if twofactor.required_for(user):
                    return self._to("accounts:2fa-setup", request)
        return self.get_response(request)

    @staticmethod
    def _to(name: str, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(
            f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        )
