"""Reserved names follow the newsroom: a new or renamed author, or a new site name, is refused
to readers at once rather than after the cached list expires (akhbar.comments.reserved)."""

from __future__ import annotations

from akhbar.comments import reserved
from akhbar.core import events


def on_names_changed(event: events.Event) -> None:
    reserved.forget()


def connect() -> None:
    events.subscribe(events.PeopleChanged, on_names_changed, name="comments")
    events.subscribe(events.SiteSettingsChanged, on_names_changed, name="comments")
