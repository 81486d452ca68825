"""Old WordPress addresses: one normal form, so every spelling of a link finds its row.

WordPress writes Arabic slugs percent-encoded (in upper or lower case hex), readers' browsers
send them either way, and links circulate with and without the trailing slash. All of these
are reduced to the same key: the decoded path without trailing slash, or ``?p=N`` style query
keys for the numeric forms WordPress answers on any path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, unquote, urlsplit

from django.db import models
from django.utils import timezone

from akhbar.importers.bulk import insert_rows
from akhbar.importers.models import LegacyUrl

# Query parameters WordPress resolves whatever the path, in the order it checks them.
ID_PARAMS = ("p", "page_id", "cat", "tag", "author")
MAX_PATH = 500


def normalise_path(path: str) -> str:
    """Decoded path, without trailing slash or ``index.php``; ``/`` stays ``/``."""
    path = unquote(path or "/", errors="replace").strip()
    if not path.startswith("/"):
        path = "/" + path
    while "//" in path:
        path = path.replace("//", "/")
    if path.endswith("/index.php"):
        path = path[: -len("index.php")]
    path = path.rstrip("/") or "/"
    return path[:MAX_PATH]


def query_key(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str | None:
    """``?p=123``-style key for the WordPress id parameters present, else ``None``."""
    values = dict(params.items() if isinstance(params, Mapping) else params)
    for name in ID_PARAMS:
        value = (values.get(name) or "").strip()
        if value:
            value = unquote(value, errors="replace")
            if name in ("p", "page_id", "cat") and not value.isdigit():
                continue
            return f"?{name}={value}"[:MAX_PATH]
    return None


def keys_for_link(link: str) -> list[str]:
    """The lookup keys an absolute or relative WordPress link answers to."""
    if not link:
        return []
    parts = urlsplit(link.strip())
    keys: list[str] = []
    qkey = query_key(parse_qsl(parts.query))
    if qkey:
        keys.append(qkey)
    path = normalise_path(parts.path)
    if path != "/":
        keys.append(path)
    return keys


def register(keys: Iterable[str], target: models.Model) -> int:
    """Point every key at ``target`` (insert or repoint) in one statement; returns the count."""
    return register_many([(keys, target)])


def register_many(pairs: Iterable[tuple[Iterable[str], models.Model]]) -> int:
    """Several targets' keys in one statement (the importer's batches); returns the count.

    A key named twice ends up pointing at the last target that named it, exactly as calling
    :func:`register` for each pair in turn would leave it.
    """
    rows: dict[str, LegacyUrl] = {}
    now = timezone.now()
    for keys, target in pairs:
        field = type(target)._meta.model_name
        if field not in LegacyUrl.TARGETS:
            raise ValueError(f"LegacyUrl cannot point at {type(target).__name__}")
        for key in keys:
            if not key or key == "/":
                continue
            row = LegacyUrl(old_path=key[:MAX_PATH], created_at=now)
            setattr(row, field, target)
            rows.pop(row.old_path, None)  # re-insert: the last one named wins
            rows[row.old_path] = row
    if not rows:
        return 0
    return insert_rows(
        LegacyUrl,
        list(rows.values()),
        ["old_path", *LegacyUrl.TARGETS, "created_at"],
        conflict=["old_path"],
        update=LegacyUrl.TARGETS,
    )


def lookup(key: str) -> LegacyUrl | None:
    """The row for ``key`` with its target, in one indexed query."""
    if "\x00" in key:  # "?tag=%2500" decodes to a NUL, which PostgreSQL refuses in text
        return None
    return LegacyUrl.objects.select_related(*LegacyUrl.TARGETS).filter(old_path=key).first()
