"""The reader's comment form, with an Arabic message for every way it can go wrong."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.core import signing
from django.core.validators import URLValidator

from akhbar.arabic import strip_invisible
from akhbar.comments import reserved
from akhbar.core.text import count_phrase

MAX_BODY = 10_000
MAX_NAME = 100
TIMESTAMP_SALT = "akhbar.comments.form-rendered"
# Bidi overrides/isolates can make a comment display differently from what it says
# ("Trojan Source"); a reader never needs them in a comment.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sign_timestamp(now: datetime) -> str:
    return signing.TimestampSigner(salt=TIMESTAMP_SALT).sign(str(int(now.timestamp())))


def read_timestamp(value: str, max_age_seconds: int = 2 * 24 * 3600) -> datetime | None:
    """When the form was shown, or None if the value is missing, forged or too old."""
    try:
        raw = signing.TimestampSigner(salt=TIMESTAMP_SALT).unsign(value, max_age=max_age_seconds)
        return datetime.fromtimestamp(int(raw), tz=UTC)
    except (signing.BadSignature, ValueError, OverflowError):
        return None


def clean_text(value: str) -> str:
    return _CONTROL_RE.sub("", _BIDI_RE.sub("", value or "")).strip()


class CleanCharField(forms.CharField):
    """Strips NUL/control characters and bidi overrides before validation, so a stray NUL
    pasted from another app is removed instead of rejecting the whole comment."""

    def to_python(self, value: Any) -> str | None:
        return super().to_python(clean_text(value) if isinstance(value, str) else value)


class CommentForm(forms.Form):
    body = CleanCharField(
        label="التعليق",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY}),
        strip=False,
        error_messages={"required": "اكتب تعليقك قبل الإرسال."},
    )
    author_name = CleanCharField(
        label="الاسم",
        error_messages={"required": "الاسم مطلوب."},
    )
    author_email = forms.EmailField(
        label="البريد الإلكتروني",
        max_length=254,
        error_messages={
            "required": "البريد الإلكتروني مطلوب (لن يُنشر).",
            "invalid": "أدخل عنوان بريد إلكتروني صحيحاً، مثل name@example.com.",
            "max_length": "عنوان البريد الإلكتروني طويل جداً.",
        },
    )
    author_url = CleanCharField(label="الموقع الإلكتروني", required=False)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    remember = forms.BooleanField(label="احفظ اسمي وبريدي في هذا المتصفح", required=False)
    ts = forms.CharField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it.
    fax = forms.CharField(required=False, label="اترك هذا الحقل فارغاً")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_body(self) -> str:
        body = clean_text(self.cleaned_data.get("body", ""))
        if not body:
            raise forms.ValidationError("اكتب تعليقك قبل الإرسال.")
        if len(body) > MAX_BODY:
            raise forms.ValidationError(
                f"التعليق طويل جداً ({count_phrase(len(body), 'character')})؛ "
                f"الحد الأقصى {count_phrase(MAX_BODY, 'character')}."
            )
        return body

    def clean_author_name(self) -> str:
        name = strip_invisible(clean_text(self.cleaned_data.get("author_name", ""))).strip()
        name = re.sub(r"\s+", " ", name)
        if not name:
            raise forms.ValidationError("الاسم مطلوب، ولا يكفي أن يتكوّن من رموز غير مرئية.")
        if len(name) > MAX_NAME:
            raise forms.ValidationError(
                f"الاسم طويل جداً؛ الحد الأقصى {count_phrase(MAX_NAME, 'character')}."
            )
        if "<" in name or ">" in name:
            raise forms.ValidationError("لا يمكن أن يحتوي الاسم على الرمزين < و >.")
        staff = self.user is not None and self.user.is_authenticated and self.user.is_staff
        if not staff and reserved.is_reserved(name):
            raise forms.ValidationError(reserved.MESSAGE)
        return name

    def clean_author_email(self) -> str:
        return clean_text(self.cleaned_data.get("author_email", "")).lower()

    def clean_author_url(self) -> str:
        url = clean_text(self.cleaned_data.get("author_url", ""))
        if not url:
            return ""
        if "://" not in url:
            url = "https://" + url
        if len(url) > 300:
            raise forms.ValidationError(
                f"رابط الموقع طويل جداً؛ الحد الأقصى {count_phrase(300, 'character')}."
            )
        try:
            URLValidator(schemes=["http", "https"])(url)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                "أدخل رابط موقع صحيحاً يبدأ بـ http:// أو https://، أو اترك الحقل فارغاً."
            ) from exc
        return url

    def rendered_at(self) -> datetime | None:
        return read_timestamp(self.cleaned_data.get("ts") or "")
