"""A small, typed client for the Akismet REST API (version 1.1).

This module deliberately imports nothing from Django: ``akhbar.antispam.services`` wraps
it, and keeping it framework-free means it can be exercised against a plain
HTTP server in tests and reused from management commands or workers.

Failure policy: every problem talking to Akismet (network error, timeout,
HTTP error status, or a body the protocol does not define) raises
:class:`AkismetError`.  Callers must treat that as "unknown" and hold the
comment for moderation -- a spam filter outage must never silently drop a
reader's comment, nor silently publish spam.

Protocol reference: https://akismet.com/developers/
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import TracebackType
from typing import Final, Literal, Self

import httpx

__all__ = [
    "DEFAULT_BASE_URL",
    "USER_AGENT",
    "AkismetClient",
    "AkismetComment",
    "AkismetError",
    "AkismetVerdict",
    "CommentType",
]

DEFAULT_BASE_URL: Final = "https://rest.akismet.com"
USER_AGENT: Final = "Akhbar/0.1 | AkismetClient/1.0"

# Akhbar is Arabic-first; Akismet uses these to tune its language models.
BLOG_LANG: Final = "ar"
BLOG_CHARSET: Final = "UTF-8"

# The exact acknowledgement Akismet sends for submit-spam / submit-ham.
_SUBMIT_THANKS: Final = "Thanks for making the web a better place."

CommentType = Literal["comment", "reply"]
_COMMENT_TYPES: Final = frozenset({"comment", "reply"})


class AkismetError(Exception):
    """Akismet could not give a usable answer; hold the comment for moderation.

    The attributes carry whatever diagnostics Akismet supplied so that logs
    explain *why* (bad key, outage, ...) without callers parsing messages.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        debug_help: str | None = None,
        alert_code: str | None = None,
        alert_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.debug_help = debug_help
        self.alert_code = alert_code
        self.alert_message = alert_message


@dataclass(frozen=True, slots=True)
class AkismetComment:
    """Everything Akismet is told about one comment.

    Frozen so the exact data sent to ``comment-check`` can be kept and later
    replayed unchanged to ``submit-spam`` / ``submit-ham``, which Akismet
    asks for so it can learn from moderator corrections.

    Datetimes must be timezone-aware: a naive timestamp is ambiguous and
    Akismet expects UTC, so guessing would quietly skew its heuristics.
    """

    content: str
    user_ip: str
    author: str = ""
    email: str = ""
    url: str = ""
    user_agent: str = ""
    referrer: str = ""
    permalink: str = ""
    comment_type: CommentType = "comment"
    date_gmt: dt.datetime | None = None
    post_modified_gmt: dt.datetime | None = None

    def __post_init__(self) -> None:
        """Reject data Akismet would misjudge rather than send it anyway."""
        if not self.user_ip:
            raise ValueError("Akismet requires the commenter's IP address (user_ip).")
        if self.comment_type not in _COMMENT_TYPES:
            raise ValueError(
                f"comment_type must be one of {sorted(_COMMENT_TYPES)}, got {self.comment_type!r}."
            )
        for name in ("date_gmt", "post_modified_gmt"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"{name} must be a timezone-aware datetime.")

    def to_form(self) -> dict[str, str]:
        """Return the comment's Akismet form fields, leaving out empty ones.

        Empty optional fields are omitted rather than sent blank, because a
        blank value (e.g. an empty date) is information Akismet would weigh.
        """
        fields = {
            "user_ip": self.user_ip,
            "user_agent": self.user_agent,
            "referrer": self.referrer,
            "permalink": self.permalink,
            "comment_type": self.comment_type,
            "comment_author": self.author,
            "comment_author_email": self.email,
            "comment_author_url": self.url,
            "comment_content": self.content,
            "comment_date_gmt": _iso_utc(self.date_gmt),
            "comment_post_modified_gmt": _iso_utc(self.post_modified_gmt),
        }
        return {key: value for key, value in fields.items() if value}


@dataclass(frozen=True, slots=True)
class AkismetVerdict:
    """Akismet's answer to ``comment-check``.

    ``discard`` is Akismet's "pro tip": the comment is blatant spam that may
    be dropped without a moderator ever looking at it.
    """

    is_spam: bool
    discard: bool
    debug_help: str | None = None


def _iso_utc(value: dt.datetime | None) -> str:
    """Format an aware datetime as ISO 8601 in UTC, as Akismet documents."""
    if value is None:
        return ""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class AkismetClient:
    """Synchronous Akismet client.

    Usage::

        with AkismetClient(api_key, "https://example.com/") as akismet:
            verdict = akismet.comment_check(comment)

    ``transport`` is handed to :class:`httpx.Client`, so tests (or callers
    needing custom networking) can substitute e.g. ``httpx.MockTransport``.
    The client holds a connection pool; reuse one instance and call
    :meth:`close` (or use it as a context manager) when done.
    """

    def __init__(
        self,
        api_key: str,
        blog: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 3.0,
        transport: httpx.BaseTransport | None = None,
        is_test: bool = False,
    ) -> None:
        if not api_key:
            raise ValueError("An Akismet API key is required.")
        if not blog:
            raise ValueError("The blog URL (site front page) is required.")
        self.api_key = api_key
        self.blog = blog
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # is_test marks calls so Akismet does not learn from them (staging, CI).
        self.is_test = is_test
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        # Never show the API key: reprs end up in logs and error reports.
        return f"<AkismetClient blog={self.blog!r} base_url={self.base_url!r}>"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release pooled connections."""
        self._http.close()

    # -- public API -------------------------------------------------------

    def verify_key(self) -> bool:
        """Return whether Akismet accepts the API key for this blog.

        An invalid key is an answer, not an error, so it returns ``False``;
        only failures to get an answer raise :class:`AkismetError`.
        """
        response = self._post("/1.1/verify-key", {"api_key": self.api_key, "blog": self.blog})
        body = response.text.strip()
        if body == "valid":
            return True
        if body == "invalid":
            return False
        raise self._unexpected(response, "verify-key")

    def comment_check(self, comment: AkismetComment) -> AkismetVerdict:
        """Ask Akismet whether ``comment`` is spam.

        Raises :class:`AkismetError` on anything but a clear "true"/"false"
        (including Akismet's "invalid" for a bad key), so callers hold the
        comment for moderation instead of guessing.
        """
        response = self._post("/1.1/comment-check", self._comment_form(comment))
        body = response.text.strip()
        debug_help = response.headers.get("X-akismet-debug-help")
        if body == "true":
            discard = response.headers.get("X-akismet-pro-tip", "").strip().lower() == "discard"
            return AkismetVerdict(is_spam=True, discard=discard, debug_help=debug_help)
        if body == "false":
            return AkismetVerdict(is_spam=False, discard=False, debug_help=debug_help)
        raise self._unexpected(response, "comment-check")

    def submit_spam(self, comment: AkismetComment) -> None:
        """Report a comment Akismet missed (a moderator marked it spam)."""
        self._submit("/1.1/submit-spam", "submit-spam", comment)

    def submit_ham(self, comment: AkismetComment) -> None:
        """Report a false positive (a moderator approved a comment marked spam)."""
        self._submit("/1.1/submit-ham", "submit-ham", comment)

    # -- internals --------------------------------------------------------

    def _comment_form(self, comment: AkismetComment) -> dict[str, str]:
        """Build the full form for the comment endpoints."""
        form = {
            "api_key": self.api_key,
            "blog": self.blog,
            "blog_lang": BLOG_LANG,
            "blog_charset": BLOG_CHARSET,
            **comment.to_form(),
        }
        if self.is_test:
            form["is_test"] = "1"
        return form

    def _submit(self, path: str, endpoint: str, comment: AkismetComment) -> None:
        """Send a correction; anything but Akismet's thank-you is an error."""
        response = self._post(path, self._comment_form(comment))
        if response.text.strip() != _SUBMIT_THANKS:
            raise self._unexpected(response, endpoint)

    def _post(self, path: str, form: dict[str, str]) -> httpx.Response:
        """POST a form, turning every transport or HTTP failure into AkismetError."""
        try:
            response = self._http.post(path, data=form)
        except httpx.TimeoutException as exc:
            raise AkismetError(
                f"Akismet did not answer {path} within {self.timeout:g} seconds."
            ) from exc
        except httpx.HTTPError as exc:
            raise AkismetError(
                f"Could not reach Akismet at {self.base_url} ({type(exc).__name__}: {exc})."
            ) from exc
        if response.status_code != httpx.codes.OK:
            raise AkismetError(
                f"Akismet answered {path} with HTTP {response.status_code}.",
                status_code=response.status_code,
                debug_help=response.headers.get("X-akismet-debug-help"),
            )
        return response

    @staticmethod
    def _unexpected(response: httpx.Response, endpoint: str) -> AkismetError:
        """Describe a 200 response whose body the protocol does not define."""
        body = response.text.strip()
        debug_help = response.headers.get("X-akismet-debug-help")
        alert_code = response.headers.get("X-akismet-alert-code")
        alert_message = response.headers.get("X-akismet-alert-msg")
        shown = body if len(body) <= 80 else body[:77] + "..."
        message = f"Unexpected Akismet {endpoint} response: {shown!r}."
        if debug_help:
            message += f" Akismet says: {debug_help}"
        if alert_code or alert_message:
            message += f" Alert {alert_code or '?'}: {alert_message or ''}".rstrip()
        return AkismetError(
            message,
            status_code=response.status_code,
            debug_help=debug_help,
            alert_code=alert_code,
            alert_message=alert_message,
        )
