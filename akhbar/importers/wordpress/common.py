"""What every job of the WordPress import shares: record kinds, text clipping, dates.

Kept apart from the jobs so none of them imports another only for a helper.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from django.db import DatabaseError, connections, models, router
from django.utils.text import slugify

from akhbar.importers import legacy
from akhbar.importers.models import ImportedItem

# One logger for the whole import, named as before the import was split into modules.
log = logging.getLogger("akhbar.importers.wordpress")

Kind = ImportedItem.Kind
# The record kinds as plain strings (``str()`` of a TextChoices member is its value): what the
# report counts and the ``ImportedItem.kind`` column stores.
AUTHOR = str(Kind.AUTHOR)
CATEGORY = str(Kind.CATEGORY)
TAG = str(Kind.TAG)
POST = str(Kind.POST)
PAGE = str(Kind.PAGE)
ATTACHMENT = str(Kind.ATTACHMENT)
COMMENT = str(Kind.COMMENT)

#: What a bad record can raise without the run stopping: it is reported and skipped, and its
#: transaction (or its batch's) is rolled back.
RECORD_ERRORS = (DatabaseError, ValueError, TypeError, KeyError, OSError)

#: The columns of a bookkeeping row, as written by the batch statements.
RECORD_FIELDS = [
    "source", "kind", "key", "wp_id", "guid", "content_type", "object_id", "old_permalink",
    "data", "needs_linking", "imported_at",
]  # fmt: skip


class Unbatchable(Exception):
    """The batch holds a case whose outcome depends on item order: redo it one by one."""


def clip(value: str, length: int) -> str:
    """``value`` cut to a column's length (exports carry titles and names of any size)."""
    return (value or "")[:length]


def slug(text: str, length: int) -> str:
    """WordPress slugs arrive percent-encoded; keep Arabic, drop what URLs cannot carry."""
    return slugify(unquote(text or "", errors="replace"), allow_unicode=True)[:length].strip("-")


def to_int(value: str | None) -> int | None:
    """A post meta value as an id; ``None`` when it is not a number (hand-edited exports)."""
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def legacy_keys(links: Sequence[str], extra: Iterable[str] = ()) -> list[str]:
    """The old-URL keys of a record: its permalinks' keys after the ``extra`` ones."""
    keys: list[str] = list(extra)
    for link in links:
        keys.extend(legacy.keys_for_link(link))
    return keys


def set_created_at(objs: list[tuple[Any, datetime | None]], model: type[models.Model]) -> None:
    """Give new rows their original dates (``auto_now_add`` overrode them on insert).

    One ``executemany``: no ORM statement per row, which is what the batches are about.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    field = model._meta.get_field("created_at")
    assert isinstance(field, models.Field)  # a concrete column, not a relation
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column or "created_at")
    rows = []
    for obj, when in objs:
        obj.created_at = when or obj.created_at
        rows.append((field.get_db_prep_save(obj.created_at, connection), obj.pk))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", rows)  # noqa: S608
