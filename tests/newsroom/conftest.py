"""Newsroom fixtures: one user per role (real groups from the data migration), real images."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from PIL import Image

from akhbar.newsroom import roles
from akhbar.newsroom.models import Author


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(role: str | None, name: str | None = None):
    name = name or f"user-{role}"
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "كلمة-سر-طويلة-123")
    if role:
        if not Group.objects.filter(name=roles.group_name(role)).exists():
            roles.sync_roles()  # a transactional (browser) test flushed the migration's groups
        roles.assign_role(user, role)
        Author.objects.create(user=user, display_name=f"كاتب {name}", slug=f"a-{name}")
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def users(db):
    return {role: make_user(role) for role in roles.ROLES}


def jpeg_bytes(width: int = 1800, height: int = 1200, exif: bool = False) -> bytes:
    img = Image.new("RGB", (width, height), (200, 30, 40))
    for x in range(0, width, 50):  # some detail so encoders produce real data
        img.paste((20, 90, 160), (x, 0, x + 10, height))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        gps = {1: "N", 2: (33.0, 18.0, 0.0), 3: "E", 4: (44.0, 22.0, 0.0)}
        data[0x8825] = gps  # GPSInfo
        img.save(out, "JPEG", exif=data.tobytes())
    else:
        img.save(out, "JPEG")
    return out.getvalue()


def png_bytes(width: int = 400, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 128)).save(out, "PNG")
    return out.getvalue()
