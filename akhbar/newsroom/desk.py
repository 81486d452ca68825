"""Small helpers for the newsroom desk: staff author profiles and the newsroom's "today".

Every staff account writes under an author profile, created and linked automatically.

Created the first time a staff member uses the newsroom admin (the dashboard or a new article),
not on every user save: imports and role scripts that make their own profiles keep working.
Without it the article form opened with an empty "الكاتب" for anyone whose profile nobody had
made by hand (the admin user among them), and their stories went out unsigned.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from akhbar.newsroom.models import Author


def display_name_for(user: Any) -> str:
    full = (user.get_full_name() or "").strip()
    return full or user.get_username()


def profile_for(user: Any) -> Author | None:
    """The user's author profile, creating it for staff; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.pk:
        return None
    profile = Author.objects.filter(user_id=user.pk).first()
    if profile is None and user.is_staff:
        profile = Author.objects.create(user=user, display_name=display_name_for(user))
    return profile


def today_bounds(now: datetime | None = None) -> tuple[datetime, datetime, datetime]:
    """``now`` and the start and end of the newsroom's day (TIME_ZONE), for "today" lists."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    return now, start, start + timedelta(days=1)
