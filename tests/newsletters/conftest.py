from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from akhbar.newsletters import messages
from tests.newsletters.smtp_server import SMTPServer


@pytest.fixture(autouse=True)
def _default_lists(request):
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db" if not _transactional(request) else "transactional_db")
    from tests.newsletters.helpers import ensure_lists

    ensure_lists()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or False))


@pytest.fixture(scope="session")
def dkim_keys() -> tuple[bytes, bytes]:
    """A test key pair: (private PEM, the DNS TXT record a verifier would look up)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    import base64

    return pem, b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)


@pytest.fixture
def smtp(settings, dkim_keys) -> Iterator[SMTPServer]:
    """A real SMTP server; the site sends to it, DKIM-signed with the test key."""
    pem, record = dkim_keys
    server = SMTPServer(dkim_record=record).start()
    settings.AKHBAR_EMAIL_URL = server.url
    settings.AKHBAR_SITE_URL = "https://news.example.org"
    settings.AKHBAR = {
        **settings.AKHBAR,
        "NEWSLETTER_FROM": "news@news.example.org",
        "DKIM_PRIVATE_KEY": pem.decode(),
        "DKIM_DOMAIN": "news.example.org",
        "DKIM_SELECTOR": "test",
        "EMAIL_RETRY_SECONDS": 0,
    }
    messages.dkim_key.cache_clear()
    yield server
    server.stop()
    messages.dkim_key.cache_clear()


LINK = re.compile(r"https://news\.example\.org/newsletters/[^\s\"<>]+")


def links(text: str) -> list[str]:
    return LINK.findall(text)
