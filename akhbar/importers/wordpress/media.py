"""Attachments: kept as metadata (original URL, caption, alt), their files on request.

A post names its featured image by attachment id, and the attachment may come later in the
file, so the post only notes the id and the link pass attaches the image.
"""

from __future__ import annotations

import posixpath
import time
from typing import Any
from urllib.parse import urlsplit

from akhbar.importers.wordpress.common import ATTACHMENT
from akhbar.importers.wordpress.records import RecordBook
from akhbar.importers.wpcontent import convert_wp_content, excerpt_from_html
from akhbar.importers.wxr import WxrItem
from akhbar.newsroom.models import Article

MEDIA_TIMEOUT = 20.0
MAX_MEDIA_BYTES = 50 * 1024 * 1024


class Media:
    """Attachment records and, with ``fetch``, their files in media storage."""

    def __init__(self, book: RecordBook, *, fetch: bool = False, http_client: Any = None) -> None:
        self.book = book
        self.report = book.report
        self.fetch = fetch
        # An httpx-style client to download with (tests give one); else a guarded client each.
        self.http_client = http_client

    def import_attachment(self, wp: WxrItem) -> None:
        """Attachments are kept as metadata (original URL, caption, alt); files on request."""
        key = str(wp.post_id)
        record = self.book.find(ATTACHMENT, key, wp.guid)
        data = dict(record.data) if record else {}
        data.update(
            {
                "url": wp.attachment_url or wp.guid,
                "title": wp.title,
                "caption": excerpt_from_html(convert_wp_content(wp.excerpt), 60)
                if wp.excerpt
                else "",
                "alt": (wp.postmeta.get("_wp_attachment_image_alt") or [""])[0],
                "file": (wp.postmeta.get("_wp_attached_file") or [""])[0],
                "parent": wp.post_parent,
            }
        )
        if self.fetch and not data.get("local"):
            data["local"] = self.fetch_file(data["url"], data["file"])
        self.book.remember(
            record,
            ATTACHMENT,
            key,
            None,
            wp_id=wp.post_id,
            guid=wp.guid,
            permalink=wp.link,
            data=data,
        )
        self.report.count(ATTACHMENT, created=record is None)

    def fetch_file(self, url: str, file_name: str) -> str:
        """Download one attachment into media storage; '' (and a warning) when it fails.

        Through the SSRF guard (:mod:`akhbar.core.http`): an import file naming
        ``http://127.0.0.1/…`` or a private address is refused unless
        ``AKHBAR_ALLOW_PRIVATE_FETCH`` is on; size and time are capped."""
        import httpx
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from akhbar.core.http import guarded_client, read_limited

        if not url.lower().startswith(("http://", "https://")):
            return ""
        client = self.http_client or guarded_client(timeout=MEDIA_TIMEOUT)
        started = time.monotonic()
        try:
            with client.stream("GET", url) as response:
                response.raise_for_status()
                content = read_limited(
                    response, max_bytes=MAX_MEDIA_BYTES, deadline=started + 3 * MEDIA_TIMEOUT
                )
        except httpx.HTTPError as exc:
            self.report.warn(f"media {url}: {exc}")
            return ""
        finally:
            if self.http_client is None:
                client.close()
        name = posixpath.basename(file_name or urlsplit(url).path) or "file"
        folder = posixpath.dirname(file_name).strip("/") if file_name else ""
        path = posixpath.join("wordpress", folder, name) if folder else f"wordpress/{name}"
        return default_storage.save(path, ContentFile(content))

    def attach_image(self, article: Article, local: str) -> None:
        """Use a fetched file as the featured image, through the newsroom's image checks."""
        from django.core.exceptions import ValidationError
        from django.core.files.storage import default_storage

        from akhbar.newsroom import public as images

        try:
            with default_storage.open(local, "rb") as fh:
                cleaned = images.clean_upload(fh, posixpath.basename(local))
        except (ValidationError, OSError, ValueError) as exc:
            self.report.warn(f"featured image {local}: {exc}")
            return
        article.featured_image.save(cleaned.name, cleaned, save=False)
        article.save()
