"""Plain multi-row INSERTs for the related app's write-only rows (band keys, computed lists).

Model instances cost about 0.1 ms a row, more than the database's own work, and a rebuild
writes millions of such rows; these statements carry only the values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection

from akhbar.related.models import SignatureBand


def insert_values(
    table: str, columns: Sequence[str], values: Sequence[tuple[Any, ...]], size: int = 500
) -> None:
    """Insert ``values`` (tuples in ``columns`` order) into the quoted ``table``, ``size``
    rows a statement (datetimes adapted for the database as the ORM would)."""
    if not values:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            part = values[start : start + size]
            params = [
                connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v
                for row in part
                for v in row
            ]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))}",  # noqa: S608
                params,
            )


def insert_bands(rows: Sequence[tuple[int, int]]) -> None:
    """(key, article id) rows: 20 write-only rows per article, as plain multi-row INSERTs
    (20 model instances per article cost more than the database's own work)."""
    insert_values(
        connection.ops.quote_name(SignatureBand._meta.db_table), ("key", "article_id"), rows
    )
