"""Posts from X, YouTube and Telegram inside a live entry, as click-to-load facades."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

__all__ = ["Embed", "embed_info"]

# --- Embeds --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Embed:
    """A third-party post shown as a facade: nothing loads from ``frame_src`` until the
    reader clicks (readers' privacy: no request to X, YouTube or Telegram on page load)."""

    provider: str
    label: str
    url: str
    frame_src: str


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_DIGITS = re.compile(r"^\d{1,25}$")
_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")


def embed_info(url: str) -> Embed | None:
    """The facade for a post URL from X, YouTube or Telegram, or None for anything else."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if host in ("youtube.com", "youtu.be"):
        video = ""
        if host == "youtu.be" and segments:
            video = segments[0]
        elif segments[:1] == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("shorts", "live", "embed"):
            video = segments[1]
        if _YOUTUBE_ID.match(video):
            return Embed(
                provider="youtube",
                label="يوتيوب",
                url=f"https://www.youtube.com/watch?v={video}",
                frame_src=f"https://www.youtube-nocookie.com/embed/{video}",
            )
    elif host in ("x.com", "twitter.com"):
        is_post = len(segments) >= 3 and segments[1] == "status"
        if is_post and _DIGITS.match(segments[2]) and _NAME.match(segments[0]):
            return Embed(
                provider="x",
                label="إكس",
                url=f"https://x.com/{segments[0]}/status/{segments[2]}",
                frame_src=f"https://platform.twitter.com/embed/Tweet.html?id={segments[2]}&lang=ar",
            )
    elif host in ("t.me", "telegram.me"):
        is_post = len(segments) == 2 and bool(_NAME.match(segments[0]))
        if is_post and _DIGITS.match(segments[1]):
            return Embed(
                provider="telegram",
                label="تيليغرام",
                url=f"https://t.me/{segments[0]}/{segments[1]}",
                frame_src=f"https://t.me/{segments[0]}/{segments[1]}?embed=1",
            )
    return None
