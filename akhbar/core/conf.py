"""Akhbar's own settings: optional keys of ``settings.AKHBAR`` with their defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def setting(name: str, default: Any) -> Any:
    """A key of ``settings.AKHBAR`` with its default, so optional keys need no settings entry."""
    return getattr(settings, "AKHBAR", {}).get(name, default)
