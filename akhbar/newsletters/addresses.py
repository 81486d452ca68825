"""Reader email addresses: normalised, checked, and refused with an Arabic reason.

Decisions (issue #16, bad input):

* **IDN domains are accepted** and stored as their ASCII form (``xn--…``, IDNA 2008 through the
  ``idna`` library), which every SMTP server can route; pages show the Unicode form.
* **Non-ASCII local parts (Arabic before the @) are refused** with an explanation: they need
  SMTPUTF8 on every hop, and most providers still reject or mangle them, so accepting one would
  mean a subscription that silently never arrives.
* Invisible characters (zero-width, bidi controls) are removed before checking, since they
  arrive by copy-paste from messaging apps; anything else odd is refused, never "fixed".
* Reserved test domains (``.invalid``, ``.localhost``, ``.test``, ``.example``) and throwaway
  providers (``data/disposable_domains.txt`` + ``AKHBAR_NEWSLETTER_BLOCKED_DOMAINS``) are refused.
  No DNS lookup is made: the site may not reach the internet, and double opt-in proves
  deliverability better than an MX record does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import idna

from akhbar.core.conf import akhbar_settings

MAX_LENGTH = 254
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
# RFC 5322 dot-atom local part, ASCII only (quoted local parts are refused on purpose: almost no
# provider hands them out and they are a common injection vehicle).
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
RESERVED_TLDS = {"invalid", "localhost", "test", "example", "local", "internal"}


class AddressError(ValueError):
    """``str(exc)`` is the Arabic message for the reader."""


@dataclass(frozen=True)
class Address:
    """A checked address: ``ascii`` is what we store and send to; ``display`` for people."""

    ascii: str
    display: str

    @property
    def domain(self) -> str:
        return self.ascii.rsplit("@", 1)[1]


@cache
def _builtin_blocked() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "disposable_domains.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def blocked_domains() -> frozenset[str]:
    extra = akhbar_settings.newsletter_blocked_domains
    return _builtin_blocked() | {d.strip().lower() for d in extra if d.strip()}


def is_disposable(domain: str) -> bool:
    parts = domain.lower().split(".")
    blocked = blocked_domains()
    return any(".".join(parts[i:]) in blocked for i in range(len(parts) - 1))


def parse(raw: str) -> Address:
    """Check and normalise ``raw``; raise AddressError with an Arabic message."""
    value = _INVISIBLE.sub("", raw or "").strip()
    if not value:
        raise AddressError("أدخل عنوان بريدك الإلكتروني.")
    if len(value) > MAX_LENGTH:
        raise AddressError("عنوان البريد الإلكتروني طويل جداً.")
    if any(c.isspace() or ord(c) < 32 or c in '<>,;"()[]\\' for c in value):
        raise AddressError("عنوان البريد الإلكتروني يحتوي على رموز غير مسموح بها.")
    if value.count("@") != 1:
        raise AddressError("أدخل عنوان بريد إلكتروني صحيحاً، مثل name@example.com.")
    local, domain = value.split("@")
    if not local or not domain:
        raise AddressError("أدخل عنوان بريد إلكتروني صحيحاً، مثل name@example.com.")
    if not local.isascii():
        raise AddressError(
            "لا ندعم بعد العناوين التي تحتوي على أحرف عربية أو غير لاتينية قبل علامة @، "
            "لأن كثيراً من خوادم البريد لا توصلها. استخدم عنواناً بأحرف لاتينية."
        )
    if len(local) > 64 or not _LOCAL.match(local):
        raise AddressError("الجزء الذي يسبق علامة @ غير صحيح.")
    domain = domain.rstrip(".")
    try:
        ascii_domain = idna.encode(domain.lower(), uts46=True).decode("ascii")
        display_domain = idna.decode(ascii_domain)
    except (idna.IDNAError, UnicodeError):
        raise AddressError("اسم النطاق بعد علامة @ غير صحيح.") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise AddressError("اسم النطاق بعد علامة @ غير صحيح.")
    if labels[-1] in RESERVED_TLDS or labels[-1].isdigit():
        raise AddressError("هذا النطاق لا يستقبل البريد؛ استخدم عنوان بريدك الفعلي.")
    if is_disposable(ascii_domain):
        raise AddressError("لا نقبل عناوين البريد المؤقتة؛ استخدم عنواناً دائماً لتصلك النشرة.")
    local = local.lower()
    return Address(ascii=f"{local}@{ascii_domain}", display=f"{local}@{display_domain}")


def display(ascii_address: str) -> str:
    """The Unicode form of a stored address, for pages and the admin."""
    local, _, domain = ascii_address.rpartition("@")
    try:
        return f"{local}@{idna.decode(domain)}"
    except (idna.IDNAError, UnicodeError):
        return ascii_address
