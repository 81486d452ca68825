"""Fixtures for syndication tests: a temporary media folder and an article with a real image."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests import factories as f


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def akhbar_settings(settings):
    """A copy of settings.AKHBAR that a test may change freely."""
    settings.AKHBAR = {**getattr(settings, "AKHBAR", {})}
    return settings.AKHBAR


@pytest.fixture
def illustrated(db):
    """A signed, tagged article with a featured image and an Arabic slug."""
    writer = f.author("سارة المحمد")
    section = f.category("اقتصاد")
    a = f.article(
        title="ارتفاع أسعار النفط & تراجع الدولار",
        slug="ارتفاع-أسعار-النفط",
        author=writer,
        category=section,
        tags=[f.tag("طاقة"), f.tag("أسواق")],
        image_caption="ناقلة نفط في الخليج",
    )
    a.featured_image.save("tanker.png", ContentFile(png_bytes()), save=True)
    return a
