"""Signed links and addresses we mail: confirm, preferences, unsubscribe, VERP bounces.

Why not ``django.core.signing`` for all of them: unsubscribe tokens go into a ``mailto:`` local
part and bounce tokens into the envelope sender, where only ``[A-Za-z0-9.-]`` survives every
mail system, and 100,000 of them are made per digest. They are short HMACs over
``subscriber id + the subscriber's key``; rotating the key (erase) revokes every link mailed.

The confirmation link *does* use ``TimestampSigner`` because it must expire and carry the lists
the reader asked for.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.crypto import salted_hmac

from akhbar.core.conf import akhbar_settings

CONFIRM_SALT = "akhbar.newsletters.confirm"
_SIG_LEN = 20


def confirm_hours() -> int:
    return akhbar_settings.newsletter_confirm_hours


def _mac(purpose: str, message: str) -> str:
    return salted_hmac(f"akhbar.newsletters.{purpose}", message, algorithm="sha256").hexdigest()[
        :_SIG_LEN
    ]


@dataclass(frozen=True)
class ConfirmRequest:
    subscriber_id: int
    key: str
    lists: tuple[str, ...]


def confirm_token(subscriber_id: int, key: str, lists: list[str]) -> str:
    return signing.dumps(
        {"s": subscriber_id, "k": key, "l": list(lists)}, salt=CONFIRM_SALT, compress=True
    )


def read_confirm_token(token: str) -> ConfirmRequest | None:
    """None for a forged, malformed or expired token (the caller tells the reader which)."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(hours=confirm_hours()))
        return ConfirmRequest(int(data["s"]), str(data["k"]), tuple(map(str, data["l"])))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def confirm_token_expired(token: str) -> bool:
    """True when the signature is genuine but too old: the page offers to send a new link."""
    try:
        signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(hours=confirm_hours()))
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        return False
    return False


# --- Reader links: "<subscriber>-<list or 0>-<mac>" ------------------------------------------


def reader_token(purpose: str, subscriber_id: int, key: str, list_id: int = 0) -> str:
    return f"{subscriber_id}-{list_id}-{_mac(purpose, f'{subscriber_id}:{list_id}:{key}')}"


@dataclass(frozen=True)
class ReaderToken:
    subscriber_id: int
    list_id: int
    mac: str


def split_reader_token(token: str) -> ReaderToken | None:
    parts = (token or "").split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    if len(parts[0]) > 18 or len(parts[1]) > 18 or len(parts[2]) != _SIG_LEN:
        return None
    return ReaderToken(int(parts[0]), int(parts[1]), parts[2])


def reader_token_valid(purpose: str, token: ReaderToken, key: str) -> bool:
    expected = _mac(purpose, f"{token.subscriber_id}:{token.list_id}:{key}")
    return hmac.compare_digest(expected, token.mac)


# --- VERP: bounces+<delivery id>-<mac>@domain -------------------------------------------------


def verp_local(delivery_id: int) -> str:
    return f"bounces+{delivery_id}-{_mac('verp', str(delivery_id))}"


def read_verp(local_part: str) -> int | None:
    """The delivery id a bounce came back for, or None if the address is not ours."""
    local = local_part.lower()
    if not local.startswith("bounces+"):
        return None
    rest = local[len("bounces+") :]
    ident, _, mac = rest.partition("-")
    if not ident.isdigit() or len(ident) > 18:
        return None
    if not hmac.compare_digest(_mac("verp", ident), mac):
        return None
    return int(ident)
