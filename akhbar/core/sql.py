"""Multi-row writes for bulk work (imports, batch saves), shared by every app that needs them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models.options import Options

__all__ = ["insert_rows"]

# Field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = frozenset(
    {
        "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
        "ForeignKey", "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
        "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
    }
)  # fmt: skip


def _column_field(opts: Options[Any], name: str) -> models.Field[Any, Any]:
    """The field ``name`` of a model, which must be a column of its table.

    ``get_field`` also answers reverse relations and generic foreign keys, which have no
    column to write: naming one is a programming error, said here rather than as SQL.
    """
    field = opts.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{opts.label}.{name} is not a column")
    return field


def insert_rows(
    model: type[models.Model],
    objs: Sequence[models.Model],
    fields: Sequence[str],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
) -> int:
    """INSERT ``objs`` with one ``executemany`` (``ON CONFLICT … DO UPDATE`` if asked).

    For write-only rows (revisions, tag links, bookkeeping, old URLs), whose ids nobody reads
    back: ``bulk_create`` compiles a multi-row statement value by value, which cost more than
    the database's own work. No ``pre_save`` runs here, so callers set ``auto_now`` /
    ``auto_now_add`` / default values themselves. The upsert spelling is the same in SQLite
    and PostgreSQL; rows are applied in order, so a key given twice ends with the last row's
    values.
    """
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    opts = model._meta
    columns = [_column_field(opts, name) for name in fields]
    # Names come from the model's own metadata; every value is a parameter.
    names = ", ".join(qn(f.column) for f in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {qn(opts.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    if conflict:
        target = ", ".join(qn(_column_field(opts, name).column) for name in conflict)
        sets = ", ".join(
            f"{qn(col)} = EXCLUDED.{qn(col)}"
            for col in (_column_field(opts, n).column for n in update)
        )
        sql += f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
    prepare = [(f.attname, None if f.get_internal_type() in _PLAIN_TYPES else f) for f in columns]
    params = [
        [
            getattr(obj, attname)
            if field is None
            else field.get_db_prep_save(getattr(obj, attname), connection)
            for attname, field in prepare
        ]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)
