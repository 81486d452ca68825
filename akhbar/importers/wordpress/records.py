"""The record book: which Akhbar object each WordPress record of this site became.

Every job looks its records up and writes them down here (``ImportedItem`` rows), so they
agree on the key (site, kind, WordPress id or name) and on the one fallback: a post met
under a new id is found by its GUID among rows of *earlier* runs.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models

from akhbar.importers import legacy
from akhbar.importers.models import ImportedItem
from akhbar.importers.wordpress.common import Unbatchable, clip, legacy_keys
from akhbar.importers.wordpress.report import ImportReport
from akhbar.importers.wxr import WxrSite

M = TypeVar("M", bound=models.Model)


class RecordBook:
    """One run's view of the ``ImportedItem`` rows of the site being imported.

    It also holds what the ``<channel>`` header says about that site (its address, which
    keys the rows and prefixes old URLs) and how to read the export's local dates.
    """

    def __init__(self, report: ImportReport, *, started: datetime, time_zone: str) -> None:
        self.report = report
        self.started = started
        self.tz = zoneinfo.ZoneInfo(time_zone)
        self.source = "wordpress"
        self.base_path = ""
        self._earlier: bool | None = None
        self._content_types: dict[type[models.Model], ContentType] = {}

    def site(self, site: WxrSite) -> None:
        """Key every row by the site's address (two sites' post 12 are different posts)."""
        url = site.base_blog_url or site.link or site.base_site_url
        self.source = clip(url.rstrip("/") or "wordpress", 200)
        self.report.site = site.title or self.source
        self.base_path = urlsplit(url).path.rstrip("/")
        for warning in site.warnings:
            self.report.warn(warning)

    def content_type(self, model: type[models.Model]) -> ContentType:
        if model not in self._content_types:
            self._content_types[model] = ContentType.objects.get_for_model(model)
        return self._content_types[model]

    def find(self, kind: str, key: str, guid: str = "") -> ImportedItem | None:
        """The row of an earlier import of this record (this run's or an earlier run's)."""
        found = ImportedItem.objects.filter(source=self.source, kind=kind, key=key).first()
        if found is None and guid and self._has_earlier_rows():
            # The same post under a new id (the old site was itself migrated). Only rows from
            # earlier runs count: within one file, distinct ids are distinct posts even when
            # they share a GUID (the theme unit test data has such pairs).
            found = ImportedItem.objects.filter(
                source=self.source, kind=kind, guid=guid, imported_at__lt=self.started
            ).first()
        return found

    def find_many(self, kind: str, wanted: list[tuple[str, str]]) -> list[ImportedItem | None]:
        """:meth:`find` for many (key, guid) pairs in two queries, with the same answers.

        Raises :class:`Unbatchable` when two posts of the batch would claim the same row
        by GUID: one by one, the first would be re-keyed before the second looks.
        """
        keys = [key for key, _ in wanted]
        by_key = {
            r.key: r
            for r in ImportedItem.objects.filter(source=self.source, kind=kind, key__in=keys)
        }
        found: list[ImportedItem | None] = [by_key.get(key) for key in keys]
        guids = {guid for (_, guid), row in zip(wanted, found, strict=True) if row is None and guid}
        if not guids or not self._has_earlier_rows():
            return found
        by_guid: dict[str, list[ImportedItem]] = {}
        for earlier in ImportedItem.objects.filter(
            source=self.source, kind=kind, guid__in=guids, imported_at__lt=self.started
        ).order_by("pk"):
            by_guid.setdefault(earlier.guid, []).append(earlier)
        claimed = {row.pk for row in found if row is not None}
        for i, ((_, guid), row) in enumerate(zip(wanted, found, strict=True)):
            if row is None and by_guid.get(guid):
                # One post claims the row (it is re-keyed and re-stamped), the next one with
                # the same GUID gets the next older row, as one-by-one lookups would.
                match = by_guid[guid].pop(0)
                if match.pk in claimed:
                    raise Unbatchable(f"post {keys[i]}: GUID matches another post's row")
                claimed.add(match.pk)
                found[i] = match
        return found

    def _has_earlier_rows(self) -> bool:
        """Did an earlier run import this site? (Asked once: the GUID fallback needs it.)"""
        if self._earlier is None:
            self._earlier = ImportedItem.objects.filter(
                source=self.source, imported_at__lt=self.started
            ).exists()
        return self._earlier

    @staticmethod
    def target(item: ImportedItem | None, model: type[M]) -> M | None:
        """The object a row points at, or ``None`` when it was deleted since."""
        if item is None or item.object_id is None:
            return None
        return model._default_manager.filter(pk=item.object_id).first()

    def remember(
        self,
        item: ImportedItem | None,
        kind: str,
        key: str,
        obj: models.Model | None,
        *,
        wp_id: int | None = None,
        guid: str = "",
        permalink: str = "",
        data: dict[str, Any] | None = None,
        needs_linking: bool = False,
    ) -> ImportedItem:
        """Write (or rewrite) the row of one record: what it became, what it still needs."""
        item = item or ImportedItem(source=self.source, kind=kind)
        item.key = key
        item.wp_id = wp_id
        item.guid = clip(guid, 500)
        if obj is not None:
            item.content_type = self.content_type(type(obj))
            item.object_id = obj.pk
        item.old_permalink = clip(permalink, 1000)
        item.data = data or {}
        item.needs_linking = needs_linking
        item.save()
        return item

    def aware(self, local: datetime | None, gmt: datetime | None) -> datetime | None:
        """GMT when the export has it, else the local time read in the site's time zone."""
        if gmt is not None:
            return gmt
        if local is not None:
            return local.replace(tzinfo=self.tz).astimezone(UTC)
        return None

    @staticmethod
    def legacy(target: models.Model, *links: str, extra: Iterable[str] = ()) -> None:
        """Point the record's old URLs (permalinks, then ``extra`` keys) at ``target``."""
        legacy.register(legacy_keys(links, extra), target)
