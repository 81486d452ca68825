"""Two-factor authentication for staff: TOTP devices (any authenticator app) and one-time
recovery codes, both from django-otp; this module holds the newsroom's rules around them."""

from __future__ import annotations

import base64
import io
import secrets
from typing import Any

from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from akhbar.core.conf import akhbar_settings

RECOVERY_CODES = 10
RECOVERY_DEVICE = "رموز الاسترداد"


def required_for(user: Any) -> bool:
    """With ``AKHBAR_REQUIRE_2FA`` on: editors, administrators and superusers must use it."""
    if not akhbar_settings.require_2fa or not user.is_staff:
        return False
    return bool(
        user.is_superuser
        or user.has_perm("newsroom.edit_others_article")
        or user.has_perm("auth.change_user")
    )


def has_device(user: Any) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_totp(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret each time setup starts)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="تطبيق المصادقة", confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI (allowed by the CSP's img-src)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with fresh ones; each works once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify(user: Any, token: str) -> tuple[Any, str] | None:
    """The device that accepts ``token`` and its kind ("totp" or "recovery"), else None."""
    token = "".join(token.split())
    if not token.isascii() or not token.isdigit() or len(token) > 12:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device, "totp"
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):  # deletes the used code
            return device, "recovery"
    return None
