"""Atomic counters: exact under concurrency on every configuration.

Why not the cache's ``incr()``: Django's file and local-memory caches implement it as
read-then-write, which loses or repeats counts between processes (an audit saw 6 comments
accepted with a limit of 5 from 30 concurrent posts, and read counts inflated x1.4-1.8 by
concurrent beacons). With Redis (``REDIS_URL``) the counters use Redis' own atomic INCRBY and
GETDEL; otherwise one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement in the site's
database (SQLite >= 3.35 or PostgreSQL), which the database serialises.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

__all__ = ["incr", "take", "take_prefix"]

TABLE = "core_counter"


def _redis() -> Any:
    """The raw Redis client when the default cache is django-redis, else None."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    return client.get_client(write=True)


def incr(key: str, delta: int = 1, *, ttl: int | None = None) -> int:
    """Add ``delta`` and return the new value. With ``ttl`` the counter lives that many
    seconds from its first increment, then starts again from zero (a fixed window)."""
    redis = _redis()
    if redis is not None:
        name = cache.make_key(f"counter:{key}")
        value = int(redis.incrby(name, delta))
        if ttl and value == delta:
            redis.expire(name, ttl)
        return value
    now = int(time.time())
    expires = now + ttl if ttl else None
    sql = (
        f"INSERT INTO {TABLE} (key, value, expires_at) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (key) DO UPDATE SET "
        f"value = CASE WHEN {TABLE}.expires_at IS NOT NULL AND {TABLE}.expires_at <= %s "
        f"THEN excluded.value ELSE {TABLE}.value + excluded.value END, "
        f"expires_at = CASE WHEN {TABLE}.expires_at IS NOT NULL AND {TABLE}.expires_at <= %s "
        f"THEN excluded.expires_at ELSE {TABLE}.expires_at END "
        f"RETURNING value"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key[:200], delta, expires, now, now])
        value = int(cursor.fetchone()[0])
        if ttl and random.random() < 0.001:  # now and then, forget finished windows
            cursor.execute(f"DELETE FROM {TABLE} WHERE expires_at <= %s", [now])  # noqa: S608
    return value


def take(key: str) -> int:
    """Read and reset one counter in one atomic step (0 if absent)."""
    redis = _redis()
    if redis is not None:
        value = redis.getdel(cache.make_key(f"counter:{key}"))
        return int(value or 0)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE key = %s RETURNING value", [key])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def take_prefix(prefix: str) -> dict[str, int]:
    """Read and reset every counter whose key starts with ``prefix``."""
    redis = _redis()
    if redis is not None:
        found: dict[str, int] = {}
        pattern = cache.make_key(f"counter:{prefix}") + "*"
        head = len(cache.make_key("counter:"))
        for name in redis.scan_iter(match=pattern):
            name = name.decode() if isinstance(name, bytes) else name
            value = redis.getdel(name)
            if value:
                found[name[head:]] = int(value)
        return found
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE key LIKE %s ESCAPE '\\' RETURNING key, value",  # noqa: S608
            [like],
        )
        return {k: int(v) for k, v in cursor.fetchall()}
