"""AkismetClient against a real HTTP server on 127.0.0.1.

A live fake server (not mocks) is used so that form encoding, UTF-8 handling
of Arabic text, headers, timeouts and refused connections are all exercised
through the same code path production uses.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator
from urllib.parse import parse_qs

import httpx
import pytest

from akhbar.antispam.akismet import (
    USER_AGENT,
    AkismetClient,
    AkismetComment,
    AkismetError,
    AkismetVerdict,
)
from tests.antispam.akismet_server import (
    DISCARD_TRIGGER,
    INVALID_KEY_HELP,
    SPAM_TRIGGER,
    FakeAkismetServer,
)

VALID_KEY = "akhbar-test-key"
BLOG = "https://akhbar.example/"
ARABIC_TEXT = "خبر عاجل: افتتاح المكتبة الوطنية في القاهرة — تعليق رائع! ١٢٣"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's proxy settings from hijacking 127.0.0.1 traffic."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server() -> Iterator[FakeAkismetServer]:
    with FakeAkismetServer(valid_key=VALID_KEY) as fake:
        yield fake


@pytest.fixture
def client(server: FakeAkismetServer) -> Iterator[AkismetClient]:
    with AkismetClient(VALID_KEY, BLOG, base_url=server.url, timeout=2.0) as akismet:
        yield akismet


def make_comment(**overrides: object) -> AkismetComment:
    fields: dict[str, object] = {
        "author": "Layla",
        "email": "layla@example.com",
        "url": "https://layla.example/",
        "content": "A thoughtful comment about the article.",
        "user_ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
        "referrer": "https://akhbar.example/",
        "permalink": "https://akhbar.example/2025/01/story/",
        "comment_type": "comment",
        "date_gmt": dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "post_modified_gmt": dt.datetime(2025, 1, 1, 12, 0, 0, tzinfo=dt.UTC),
    }
    fields.update(overrides)
    return AkismetComment(**fields)  # type: ignore[arg-type]


def free_port() -> int:
    """A port nothing listens on, so connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- verify-key -------------------------------------------------------------


def test_verify_key_valid(server: FakeAkismetServer, client: AkismetClient) -> None:
    assert client.verify_key() is True
    (request,) = server.requests
    assert request.path == "/1.1/verify-key"
    assert request.form == {"api_key": VALID_KEY, "blog": BLOG}
    assert request.headers["user-agent"] == USER_AGENT == "Akhbar/0.1 | AkismetClient/1.0"


def test_verify_key_invalid(server: FakeAkismetServer) -> None:
    with AkismetClient("wrong-key", BLOG, base_url=server.url) as akismet:
        assert akismet.verify_key() is False


# -- comment-check ----------------------------------------------------------


def test_ham(server: FakeAkismetServer, client: AkismetClient) -> None:
    verdict = client.comment_check(make_comment())
    assert verdict == AkismetVerdict(is_spam=False, discard=False, debug_help=None)
    (request,) = server.requests_to("/1.1/comment-check")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form == {
        "api_key": VALID_KEY,
        "blog": BLOG,
        "blog_lang": "ar",
        "blog_charset": "UTF-8",
        "user_ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
        "referrer": "https://akhbar.example/",
        "permalink": "https://akhbar.example/2025/01/story/",
        "comment_type": "comment",
        "comment_author": "Layla",
        "comment_author_email": "layla@example.com",
        "comment_author_url": "https://layla.example/",
        "comment_content": "A thoughtful comment about the article.",
        "comment_date_gmt": "2025-01-02T03:04:05Z",
        "comment_post_modified_gmt": "2025-01-01T12:00:00Z",
    }


def test_spam_by_content(client: AkismetClient) -> None:
    verdict = client.comment_check(make_comment(content=f"buy now {SPAM_TRIGGER}"))
    assert verdict == AkismetVerdict(is_spam=True, discard=False, debug_help=None)


def test_spam_by_documented_author_trigger(client: AkismetClient) -> None:
    verdict = client.comment_check(make_comment(author=SPAM_TRIGGER))
    assert verdict.is_spam is True
    assert verdict.discard is False


def test_blatant_spam_may_be_discarded(client: AkismetClient) -> None:
    verdict = client.comment_check(make_comment(content=f"{DISCARD_TRIGGER} cheap pills"))
    assert verdict == AkismetVerdict(is_spam=True, discard=True, debug_help=None)


def test_invalid_key_on_comment_check_raises_with_debug_help(server: FakeAkismetServer) -> None:
    with (
        AkismetClient("wrong-key", BLOG, base_url=server.url) as akismet,
        pytest.raises(AkismetError, match="Unexpected Akismet comment-check response") as info,
    ):
        akismet.comment_check(make_comment())
    assert info.value.debug_help == INVALID_KEY_HELP
    assert INVALID_KEY_HELP in str(info.value)
    assert info.value.status_code == 200


def test_reply_type_and_optional_fields_omitted(
    server: FakeAkismetServer, client: AkismetClient
) -> None:
    comment = AkismetComment(content="ردّ قصير", user_ip="198.51.100.1", comment_type="reply")
    assert client.comment_check(comment).is_spam is False
    form = server.requests[-1].form
    assert form["comment_type"] == "reply"
    # Empty optional fields are left out, not sent blank.
    for absent in ("comment_author", "comment_date_gmt", "referrer", "is_test"):
        assert absent not in form


def test_is_test_flag_is_sent(server: FakeAkismetServer) -> None:
    with AkismetClient(VALID_KEY, BLOG, base_url=server.url, is_test=True) as akismet:
        akismet.comment_check(make_comment())
        akismet.submit_ham(make_comment())
    assert [request.form["is_test"] for request in server.requests] == ["1", "1"]


def test_dates_are_converted_to_utc(server: FakeAkismetServer, client: AkismetClient) -> None:
    cairo_winter = dt.timezone(dt.timedelta(hours=2))
    client.comment_check(
        make_comment(date_gmt=dt.datetime(2025, 1, 2, 5, 4, 5, tzinfo=cairo_winter))
    )
    assert server.requests[-1].form["comment_date_gmt"] == "2025-01-02T03:04:05Z"


# -- Arabic / UTF-8 ---------------------------------------------------------


def test_arabic_content_round_trips_as_utf8(
    server: FakeAkismetServer, client: AkismetClient
) -> None:
    comment = make_comment(author="ليلى المصري", content=ARABIC_TEXT)
    assert client.comment_check(comment).is_spam is False
    request = server.requests[-1]
    assert request.form["comment_author"] == "ليلى المصري"
    assert request.form["comment_content"] == ARABIC_TEXT
    # The wire format is percent-encoded UTF-8, decodable by any conforming server.
    raw = request.raw_body.decode("ascii")
    assert parse_qs(raw, encoding="utf-8")["comment_content"] == [ARABIC_TEXT]
    assert "%D8%AE%D8%A8%D8%B1" in raw  # "خبر"


def test_arabic_spam_is_detected(client: AkismetClient) -> None:
    verdict = client.comment_check(make_comment(content=f"{ARABIC_TEXT} {DISCARD_TRIGGER}"))
    assert verdict.is_spam and verdict.discard


# -- submit-spam / submit-ham ----------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("submit_spam", "/1.1/submit-spam"), ("submit_ham", "/1.1/submit-ham")],
)
def test_submissions_send_all_fields(
    server: FakeAkismetServer, client: AkismetClient, method: str, path: str
) -> None:
    comment = make_comment(author="سارة", content=ARABIC_TEXT, comment_type="reply")
    assert getattr(client, method)(comment) is None
    (request,) = server.requests_to(path)
    assert request.form == {
        "api_key": VALID_KEY,
        "blog": BLOG,
        "blog_lang": "ar",
        "blog_charset": "UTF-8",
        "user_ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
        "referrer": "https://akhbar.example/",
        "permalink": "https://akhbar.example/2025/01/story/",
        "comment_type": "reply",
        "comment_author": "سارة",
        "comment_author_email": "layla@example.com",
        "comment_author_url": "https://layla.example/",
        "comment_content": ARABIC_TEXT,
        "comment_date_gmt": "2025-01-02T03:04:05Z",
        "comment_post_modified_gmt": "2025-01-01T12:00:00Z",
    }
    assert request.headers["user-agent"] == USER_AGENT


def test_submission_with_invalid_key_raises(server: FakeAkismetServer) -> None:
    with (
        AkismetClient("wrong-key", BLOG, base_url=server.url) as akismet,
        pytest.raises(AkismetError, match="submit-spam"),
    ):
        akismet.submit_spam(make_comment())


# -- failures: every one must raise AkismetError so callers hold the comment --


def test_http_500_raises(server: FakeAkismetServer, client: AkismetClient) -> None:
    server.fail_status = 500
    with pytest.raises(AkismetError, match="HTTP 500") as info:
        client.comment_check(make_comment())
    assert info.value.status_code == 500
    with pytest.raises(AkismetError, match="HTTP 500"):
        client.verify_key()


def test_timeout_raises(server: FakeAkismetServer) -> None:
    server.delay = 5.0
    started = time.monotonic()
    with (
        AkismetClient(VALID_KEY, BLOG, base_url=server.url, timeout=0.2) as akismet,
        pytest.raises(AkismetError, match=r"did not answer .* within 0\.2 seconds") as info,
    ):
        akismet.comment_check(make_comment())
    assert time.monotonic() - started < 3.0
    assert isinstance(info.value.__cause__, httpx.TimeoutException)


def test_connection_refused_raises() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with (
        AkismetClient(VALID_KEY, BLOG, base_url=url, timeout=1.0) as akismet,
        pytest.raises(AkismetError, match="Could not reach Akismet") as info,
    ):
        akismet.comment_check(make_comment())
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("body", ["<html>Bad Gateway</html>", "", "maybe"])
def test_garbage_body_raises(server: FakeAkismetServer, client: AkismetClient, body: str) -> None:
    server.body_override = body
    with pytest.raises(AkismetError, match="Unexpected Akismet comment-check response"):
        client.comment_check(make_comment())
    with pytest.raises(AkismetError, match="Unexpected Akismet verify-key response"):
        client.verify_key()
    with pytest.raises(AkismetError, match="Unexpected Akismet submit-ham response"):
        client.submit_ham(make_comment())


def test_alert_headers_are_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            text="invalid",
            headers={"X-akismet-alert-code": "10001", "X-akismet-alert-msg": "Plan exceeded"},
        )

    with (
        AkismetClient(VALID_KEY, BLOG, transport=httpx.MockTransport(handler)) as akismet,
        pytest.raises(AkismetError, match="Alert 10001: Plan exceeded") as info,
    ):
        akismet.comment_check(make_comment())
    assert info.value.alert_code == "10001"
    assert info.value.alert_message == "Plan exceeded"


# -- construction & safety --------------------------------------------------


def test_repr_hides_api_key(client: AkismetClient) -> None:
    assert VALID_KEY not in repr(client)


def test_default_base_url_is_real_service() -> None:
    with AkismetClient(VALID_KEY, BLOG) as akismet:
        assert akismet.base_url == "https://rest.akismet.com"


@pytest.mark.parametrize(
    "overrides",
    [
        {"user_ip": ""},
        {"comment_type": "pingback"},
        {"date_gmt": dt.datetime(2025, 1, 2, 3, 4, 5)},  # naive on purpose
        {"post_modified_gmt": dt.datetime(2025, 1, 2, 3, 4, 5)},
    ],
)
def test_comment_rejects_bad_data(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        make_comment(**overrides)


def test_comment_is_frozen() -> None:
    comment = make_comment()
    with pytest.raises(AttributeError):
        comment.content = "edited"  # type: ignore[misc]


def test_one_client_is_reused_until_the_settings_change(settings):
    from akhbar.antispam.services import akismet_client

    settings.AKISMET_API_KEY = "key-one"
    first = akismet_client()
    assert first is not None and akismet_client() is first
    settings.AKISMET_API_KEY = "key-two"
    second = akismet_client()
    assert second is not None and second is not first and akismet_client() is second
    settings.AKISMET_API_KEY = ""
    assert akismet_client() is None
