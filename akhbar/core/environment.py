"""Every environment variable Akhbar reads, declared once: name, type, default, one-line help.

``akhbar/settings.py`` calls :func:`read_environment` first and takes every value from the
mapping it returns; nothing else in Akhbar reads the environment for configuration.
A value that does not parse (``AKHBAR_VARNISH_TIMEOUT=abc``, ``AKHBAR_DEBUG=perhaps``, an unknown
``AKHBAR_TASKS_BACKEND``) stops start-up with one :class:`ImproperlyConfigured` listing each bad
variable, its value and what is accepted. Nothing falls back to a default in silence: an
operator who typed a value meant it, and a site running on the default instead is a surprise
found in production, not in the log of the command that started it.

Why not django-environ: its ``bool`` reads any unknown word as False (``perhaps`` turns a
setting off without a word), its ``int`` fails with Python's bare ``invalid literal for int()``
that names no variable, and it has no ranges or choices; wrapping each of its calls to fix that
would be more code than this reader. DATABASE_URL is still parsed by dj-database-url, which
settings.py already used; this module only checks it first so that a malformed URL is reported
like every other bad value.

Apps never read this module: they read the resulting Django settings through
:data:`akhbar.core.conf.akhbar_settings`, which tests override with the ``settings`` fixture.
"""

from __future__ import annotations

import ipaddress
import math
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class BadValue(ValueError):
    """A value that does not parse; its message says what is accepted (English: the log)."""


@dataclass(frozen=True)
class Kind:
    """How a variable's text becomes a value, and what it accepts (for errors and the docs)."""

    #: An empty value means "unset" (the default) for kinds whose empty text means nothing;
    #: for text and lists, empty is a value of its own (no hosts, no key).
    empty_is_unset: bool = True

    def parse(self, raw: str) -> Any:
        """The value, or :class:`BadValue`."""
        return raw

    def describe(self) -> str:
        return "any text"

    def show(self, raw: str) -> str:
        """The bad value as the error message quotes it."""
        return repr(raw)

    def bad(self, detail: str = "") -> BadValue:
        return BadValue(self.describe() + (f"; {detail}" if detail else ""))


def _without_password(raw: str) -> str:
    """An URL as a log may show it: ``postgres://akhbar:***@db/akhbar``."""
    return repr(re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", raw))


@dataclass(frozen=True)
class Text(Kind):
    empty_is_unset: bool = False


@dataclass(frozen=True)
class Bool(Kind):
    def parse(self, raw: str) -> bool:
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise self.bad()

    def describe(self) -> str:
        return "1 or 0 (also true/false, yes/no, on/off)"


@dataclass(frozen=True)
class Int(Kind):
    minimum: int = 0

    def parse(self, raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise self.bad() from None
        if value < self.minimum:
            raise self.bad()
        return value

    def describe(self) -> str:
        return f"a whole number, {self.minimum} or more"


@dataclass(frozen=True)
class Float(Kind):
    minimum: float = 0.0
    #: True when the minimum itself is refused (a timeout of 0 s would never wait).
    exclusive: bool = False

    def parse(self, raw: str) -> float:
        try:
            value = float(raw.strip())
        except ValueError:
            raise self.bad() from None
        if not math.isfinite(value) or value < self.minimum:
            raise self.bad()
        if self.exclusive and value == self.minimum:
            raise self.bad()
        return value

    def describe(self) -> str:
        if self.exclusive:
            return f"a number greater than {self.minimum:g} (3, 0.5)"
        return f"a number, {self.minimum:g} or more (3, 0.5)"


@dataclass(frozen=True)
class Choice(Kind):
    choices: tuple[str, ...] = ()
    #: Compared case-insensitively, returned as written in ``choices``.
    case_insensitive: bool = False

    def parse(self, raw: str) -> str:
        value = raw.strip()
        for choice in self.choices:
            if value == choice or (self.case_insensitive and value.lower() == choice.lower()):
                return choice
        raise self.bad()

    def describe(self) -> str:
        return "one of " + ", ".join(self.choices)


@dataclass(frozen=True)
class List(Kind):
    """Comma-separated; blanks around items and empty items are dropped."""

    empty_is_unset: bool = False
    #: Each item must parse as this (an URL, a network); None: any text.
    item: Kind | None = None

    def parse(self, raw: str) -> list[str]:
        items = [part.strip() for part in raw.split(",") if part.strip()]
        if self.item is not None:
            for part in items:
                try:
                    self.item.parse(part)
                except BadValue:
                    raise self.bad(f"{part!r} is not") from None
        return items

    def describe(self) -> str:
        if self.item is None:
            return "a comma-separated list"
        return f"a comma-separated list, each item {self.item.describe()}"


@dataclass(frozen=True)
class Url(Kind):
    schemes: tuple[str, ...] = ("http", "https")

    def parse(self, raw: str) -> str:
        value = raw.strip()
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            raise self.bad("the port is not a number") from None
        if parts.scheme not in self.schemes or not (parts.hostname or parts.path):
            raise self.bad()
        if parts.scheme in ("http", "https") and not parts.hostname:
            raise self.bad()
        return value

    def describe(self) -> str:
        return "an URL starting with " + " or ".join(f"{scheme}://" for scheme in self.schemes)

    def show(self, raw: str) -> str:
        return _without_password(raw)


@dataclass(frozen=True)
class DatabaseUrl(Kind):
    """Checked with dj-database-url (which settings.py then uses), for the engines Akhbar
    supports: its search engines are PostgreSQL's and SQLite's full-text search."""

    schemes: tuple[str, ...] = ("postgres", "postgresql", "pgsql", "sqlite")

    def parse(self, raw: str) -> str:
        import dj_database_url

        value = raw.strip()
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            raise self.bad("the port is not a number") from None
        if parts.scheme not in self.schemes:
            raise self.bad()
        try:
            config = dj_database_url.parse(value)
        except ValueError as exc:  # a part that is not quoted
            raise self.bad(str(exc)) from None
        if not config.get("NAME"):
            raise self.bad("this one names no database")
        return value

    def describe(self) -> str:
        return "postgres://user:password@host:5432/name or sqlite:////absolute/path.sqlite3"

    def show(self, raw: str) -> str:
        return _without_password(raw)


@dataclass(frozen=True)
class Network(Kind):
    def parse(self, raw: str) -> str:
        try:
            ipaddress.ip_network(raw.strip(), strict=False)
        except ValueError:
            raise self.bad() from None
        return raw.strip()

    def describe(self) -> str:
        return "an address or network (127.0.0.1, 10.0.0.0/8, ::1)"


@dataclass(frozen=True)
class TimeZone(Kind):
    def parse(self, raw: str) -> str:
        value = raw.strip()
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise self.bad() from None
        return value

    def describe(self) -> str:
        return "an IANA time zone name (UTC, Asia/Riyadh, Africa/Cairo)"


@dataclass(frozen=True)
class PathKind(Kind):
    def parse(self, raw: str) -> Path:
        return Path(raw.strip()).expanduser()

    def describe(self) -> str:
        return "a file system path"


@dataclass(frozen=True)
class Variable:
    """One environment variable. ``default`` is the value when it is unset; None with
    ``derived`` set means settings.py computes it (from another variable, or the test run)."""

    name: str
    kind: Kind
    default: Any
    help: str
    derived: str = ""
    section: str = field(default="", compare=False)


def _declare(section: str, *variables: Variable) -> tuple[Variable, ...]:
    return tuple(Variable(v.name, v.kind, v.default, v.help, v.derived, section) for v in variables)


V = Variable
TEXT = Text()
BOOL = Bool()
LIST = List()
PATH = PathKind()
HTTP_URL = Url()
REDIS_URL = Url(schemes=("redis", "rediss", "unix"))


def integer(minimum: int = 0) -> Int:
    return Int(minimum=minimum)


def number(minimum: float = 0.0, *, exclusive: bool = False) -> Float:
    return Float(minimum=minimum, exclusive=exclusive)


_EMBED_FRAMES = "https://www.youtube-nocookie.com,https://platform.twitter.com,https://t.me"
_PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

#: Every variable, in the order docs/deploy.md lists them ("Configuration reference").
VARIABLES: tuple[Variable, ...] = (
    *_declare(
        "Site and server",
        V(
            "AKHBAR_DATA_DIR",
            PATH,
            None,
            "where the database, cache, media and key live",
            derived="var/ in the checkout",
        ),
        V(
            "AKHBAR_SECRET_KEY",
            TEXT,
            "",
            "Django's secret key; the same on every app server",
            derived="a random key kept in AKHBAR_DATA_DIR/secret_key",
        ),
        V("AKHBAR_DEBUG", BOOL, False, "Django's debug pages (never in production)"),
        V(
            "AKHBAR_ALLOWED_HOSTS",
            LIST,
            ["127.0.0.1", "localhost", "[::1]", "testserver"],
            "host names the site answers to",
        ),
        V("AKHBAR_CSRF_TRUSTED_ORIGINS", LIST, [], "origins trusted for form posts (https://…)"),
        V(
            "AKHBAR_SITE_URL",
            HTTP_URL,
            "http://127.0.0.1:8000",
            "the public address, for links in emails, push alerts, webhooks and wire feeds",
        ),
        V("AKHBAR_TIME_ZONE", TimeZone(), "UTC", "the newsroom's time zone"),
        V(
            "AKHBAR_LOG_LEVEL",
            Choice(
                choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), case_insensitive=True
            ),
            "INFO",
            "the root logger's level",
        ),
        V(
            "AKHBAR_WORKERS",
            integer(1),
            None,
            "gunicorn worker processes (deploy/gunicorn)",
            derived="2 × CPUs + 1; `make serve WORKERS=…` passes its own",
        ),
        V("AKHBAR_THREADS", integer(1), 16, "request threads per gunicorn worker"),
    ),
    *_declare(
        "Database and cache",
        V("DATABASE_URL", DatabaseUrl(), "", "PostgreSQL (postgres://…); unset: SQLite"),
        V(
            "AKHBAR_SQLITE_PATH",
            PATH,
            None,
            "the SQLite database file",
            derived="AKHBAR_DATA_DIR/akhbar.sqlite3",
        ),
        V("AKHBAR_DB_CONN_MAX_AGE", integer(0), 60, "seconds a database connection is kept"),
        V("AKHBAR_DB_POOL", BOOL, False, "psycopg's connection pool instead (PostgreSQL)"),
        V("AKHBAR_DB_POOL_MIN", integer(0), 1, "connections each worker's pool keeps open"),
        V("AKHBAR_DB_POOL_MAX", integer(1), 8, "connections each worker's pool may open"),
        V("REDIS_URL", REDIS_URL, "", "Redis for the cache, rate limits and counters"),
        V(
            "AKHBAR_CACHE",
            Choice(choices=("file", "locmem")),
            None,
            "the cache without REDIS_URL: files shared by workers, or one process's memory",
            derived="locmem under pytest, else file",
        ),
        V("AKHBAR_CACHE_PREFIX", TEXT, "akhbar", "key prefix in Redis (several sites, one Redis)"),
        V("AKHBAR_CACHE_MAX_ENTRIES", integer(1), 20_000, "file cache entries before culling"),
    ),
    *_declare(
        "Background jobs",
        V(
            "AKHBAR_TASKS_BACKEND",
            Choice(choices=("database", "redis", "immediate")),
            None,
            "the job queue: the site's database, RQ on Redis, or run at once",
            derived="immediate under pytest, else database",
        ),
        V(
            "AKHBAR_TASKS_REDIS_URL",
            REDIS_URL,
            None,
            "the RQ queue's Redis",
            derived="REDIS_URL, else redis://127.0.0.1:6379/0",
        ),
        V("AKHBAR_JOB_TIMEOUT", integer(1), 900, "seconds an RQ job may run"),
        V(
            "AKHBAR_WORKER_HEARTBEAT_SECONDS",
            number(0, exclusive=True),
            5.0,
            "how often a worker records that it is alive",
        ),
        V(
            "AKHBAR_WORKER_STALE_SECONDS",
            number(0, exclusive=True),
            30.0,
            "a worker silent this long is dead; its jobs run again",
        ),
        V(
            "AKHBAR_QUEUE_MAX_AGE_SECONDS",
            integer(1),
            300,
            "unhealthy when a ready job waits longer",
        ),
        V("AKHBAR_QUEUE_MAX_LENGTH", integer(1), 1000, "unhealthy when more jobs wait"),
        V("AKHBAR_JOB_RESULTS_DAYS", integer(1), 14, "days finished jobs are kept"),
    ),
    *_declare(
        "Security",
        V("AKHBAR_HTTPS", BOOL, False, "secure cookies, HSTS and the redirect (behind TLS)"),
        V("AKHBAR_SSL_REDIRECT", BOOL, True, "with AKHBAR_HTTPS: redirect http:// to https://"),
        V("AKHBAR_HSTS_SECONDS", integer(0), 31_536_000, "with AKHBAR_HTTPS: HSTS max-age"),
        V("AKHBAR_HSTS_PRELOAD", BOOL, False, "with AKHBAR_HTTPS: ask for HSTS preloading"),
        V("AKHBAR_MAX_POST_BYTES", integer(1), 2_621_440, "largest form body held in memory"),
        V(
            "AKHBAR_TRUSTED_PROXIES",
            List(item=Network()),
            [],
            "proxies whose X-Forwarded-For is believed (CIDRs)",
        ),
        V(
            "AKHBAR_ALLOW_PRIVATE_FETCH",
            BOOL,
            False,
            "let server-side fetches reach loopback and private addresses",
        ),
        V("AKHBAR_LOGIN_FAILURE_LIMIT", integer(1), 5, "wrong passwords before a lockout"),
        V(
            "AKHBAR_LOGIN_COOLOFF_MINUTES",
            integer(1),
            15,
            "minutes an account or address is locked",
        ),
        V("AKHBAR_REQUIRE_2FA", BOOL, False, "editors and administrators must set up 2FA"),
        V("AKHBAR_OTP_ISSUER", TEXT, "Akhbar", "the name authenticator apps show"),
        V("AKHBAR_PASSWORD_RESET_SECONDS", integer(1), 7200, "seconds a reset link stays valid"),
        V("AKHBAR_CSP_REPORT_ONLY", BOOL, False, "send the CSP as Report-Only"),
        V("AKHBAR_CSP_REPORT_URI", TEXT, "/csp-report/", "where browsers report CSP violations"),
        V("AKHBAR_CSP_IMG_SOURCES", LIST, [], "more origins images may load from"),
        V("AKHBAR_CSP_MEDIA_SOURCES", LIST, [], "more origins audio and video may load from"),
        V(
            "AKHBAR_CSP_FRAME_SOURCES",
            LIST,
            _EMBED_FRAMES.split(","),
            "origins a live post's embed frame may load from",
        ),
        V("AKHBAR_PERMISSIONS_POLICY", TEXT, _PERMISSIONS, "the Permissions-Policy header"),
        V(
            "AKHBAR_BACKDATE_LIMIT_HOURS",
            integer(0),
            24,
            "without the editor role, how far back a publication date may go",
        ),
        V("AKHBAR_RESERVED_NAMES", LIST, [], "more names readers may not comment under"),
    ),
    *_declare(
        "Static files and media",
        V(
            "AKHBAR_STATIC_ROOT",
            PATH,
            None,
            "where collectstatic writes",
            derived="AKHBAR_DATA_DIR/static",
        ),
        V(
            "AKHBAR_MANIFEST_STATIC",
            BOOL,
            False,
            "serve collected, compressed, fingerprinted static files (make serve)",
        ),
        V(
            "AKHBAR_MEDIA_ROOT",
            PATH,
            None,
            "uploaded media on local disk",
            derived="AKHBAR_DATA_DIR/media",
        ),
        V("AKHBAR_SERVE_MEDIA", BOOL, True, "Django serves /media/ (off behind nginx or S3)"),
        V("AKHBAR_S3_BUCKET", TEXT, "", "media in this S3-compatible bucket (akhbar[s3])"),
        V("AKHBAR_S3_ENDPOINT_URL", HTTP_URL, "", "the S3 endpoint (MinIO, R2…)"),
        V("AKHBAR_S3_REGION", TEXT, "", "the S3 region"),
        V("AKHBAR_S3_CUSTOM_DOMAIN", TEXT, "", "host name media URLs use (a CDN)"),
    ),
    *_declare(
        "Pages and page cache",
        V("AKHBAR_ARTICLES_PER_PAGE", integer(1), 12, "articles on a listing page"),
        V("AKHBAR_RELATED_COUNT", integer(0), 4, "related articles under an article"),
        V("AKHBAR_SHOW_MORE_AFTER", integer(1), 4, "paragraphs before 'show more' on phones"),
        V(
            "AKHBAR_NOTES_POSITION",
            Choice(choices=("top", "bottom")),
            "top",
            "corrections and updates under the headline or after the text",
        ),
        V("AKHBAR_PAGE_CACHE", BOOL, True, "cache whole pages for anonymous readers"),
        V("AKHBAR_PAGE_CACHE_SECONDS", integer(0), 600, "page cache lifetime (and s-maxage)"),
        V("AKHBAR_PAGE_CACHE_STALE_SECONDS", integer(0), 60, "stale-while-revalidate"),
        V(
            "AKHBAR_VARNISH_URLS",
            List(item=HTTP_URL),
            [],
            "every Varnish to purge (http://host:port)",
        ),
        V("AKHBAR_VARNISH_TIMEOUT", number(0, exclusive=True), 3.0, "seconds per purge"),
        V("AKHBAR_VARNISH_RETRY_BASE", number(0), 2.0, "first retry delay (then doubled)"),
        V("AKHBAR_VARNISH_MAX_ATTEMPTS", integer(1), 10, "purge attempts before the job fails"),
    ),
    *_declare(
        "Comments and spam",
        V("AKHBAR_COMMENTS_PER_PAGE", integer(1), 50, "comments shown per page"),
        V("AKHBAR_COMMENT_MAX_DEPTH", integer(1), 5, "deepest reply level"),
        V(
            "AKHBAR_COMMENTS_CLOSE_AFTER_DAYS",
            integer(0),
            0,
            "close comments this many days after publication (0: never)",
        ),
        V("AKHBAR_COMMENT_RATE_LIMIT", integer(1), 5, "comments one address may post per window"),
        V("AKHBAR_COMMENT_RATE_WINDOW", integer(1), 600, "the rate limit's window in seconds"),
        V(
            "AKHBAR_COMMENT_PERSONAL_DATA_DAYS",
            integer(0),
            60,
            "days commenters' addresses are kept",
        ),
        V("AKHBAR_SPAM_PURGE_DAYS", integer(15), 15, "days before spam is deleted (15 at least)"),
        V("AKHBAR_COMMENT_NOTIFY_STAFF", BOOL, True, "mail moderators about held comments"),
        V(
            "AKHBAR_REMEMBER_COMMENTER_DAYS",
            integer(0),
            365,
            "days the 'remember me' cookie keeps a name",
        ),
        V("AKISMET_API_KEY", TEXT, "", "Akismet checks comments too when set"),
        V("AKISMET_BLOG_URL", HTTP_URL, "http://127.0.0.1:8000/", "the site as Akismet knows it"),
        V("AKISMET_BASE_URL", HTTP_URL, "https://rest.akismet.com", "Akismet's API"),
        V("AKISMET_TIMEOUT", number(0, exclusive=True), 3.0, "seconds per Akismet call"),
    ),
    *_declare(
        "Email, newsletters and push",
        V(
            "AKHBAR_EMAIL_BACKEND",
            TEXT,
            "django.core.mail.backends.console.EmailBackend",
            "Django's mail backend for staff mail",
        ),
        V("AKHBAR_FROM_EMAIL", TEXT, "akhbar@localhost", "the sender of staff mail"),
        V(
            "AKHBAR_EMAIL_URL",
            Url(schemes=("smtp", "smtps")),
            "",
            "newsletter SMTP server (smtp://user:pass@host:587?tls=1); unset: console",
        ),
        V("AKHBAR_EMAIL_RATE", number(0), 0.0, "newsletter messages per second (0: no limit)"),
        V("AKHBAR_EMAIL_BATCH", integer(1), 200, "messages one sending job claims"),
        V("AKHBAR_EMAIL_MAX_ATTEMPTS", integer(1), 5, "tries before a message is given up"),
        V("AKHBAR_EMAIL_RETRY_SECONDS", integer(0), 60, "first retry delay (then doubled)"),
        V(
            "AKHBAR_EMAIL_CLAIM_TIMEOUT",
            integer(0),
            300,
            "seconds before a claimed, unsent message is claimed again",
        ),
        V("AKHBAR_NEWSLETTER_FROM", TEXT, "", "newsletter sender (else AKHBAR_FROM_EMAIL)"),
        V("AKHBAR_NEWSLETTER_BOUNCE_DOMAIN", TEXT, "", "domain of the bounce address"),
        V("AKHBAR_NEWSLETTER_CONFIRM_HOURS", integer(0), 48, "hours a confirmation link is valid"),
        V("AKHBAR_NEWSLETTER_IP_LIMIT", integer(1), 10, "sign-ups one address may make per window"),
        V("AKHBAR_NEWSLETTER_IP_WINDOW", integer(1), 600, "that window, in seconds"),
        V("AKHBAR_NEWSLETTER_EMAIL_LIMIT", integer(1), 3, "confirmation mails per address"),
        V("AKHBAR_NEWSLETTER_BLOCKED_DOMAINS", LIST, [], "more disposable-mail domains to refuse"),
        V("AKHBAR_NEWSLETTER_WEBHOOK_SECRET", TEXT, "", "signs the bounce webhook"),
        V("AKHBAR_DKIM_KEY_FILE", TEXT, "", "DKIM private key file (PEM)"),
        V("AKHBAR_DKIM_PRIVATE_KEY", TEXT, "", "DKIM private key itself (PEM)"),
        V("AKHBAR_DKIM_DOMAIN", TEXT, "", "DKIM signing domain (else the sender's)"),
        V("AKHBAR_DKIM_SELECTOR", TEXT, "akhbar", "DKIM selector"),
        V("AKHBAR_PUSH_CONTACT", TEXT, "", "VAPID contact (else mailto:AKHBAR_FROM_EMAIL)"),
        V("AKHBAR_PUSH_TTL", integer(0), 4 * 3600, "seconds a push service keeps an alert"),
        V("AKHBAR_PUSH_EXTRA_ORIGINS", LIST, [], "push services besides the browsers' own"),
    ),
    *_declare(
        "Content API, webhooks and wire",
        V("AKHBAR_API_REQUIRE_KEY", BOOL, False, "every API request needs a partner's key"),
        V(
            "AKHBAR_API_ANON_PER_MINUTE",
            integer(0),
            600,
            "requests per minute without a key (0: off)",
        ),
        V("AKHBAR_API_CORS_ORIGINS", LIST, ["*"], "origins allowed to call the API"),
        V("AKHBAR_API_MAX_AGE", integer(0), 60, "API responses' max-age"),
        V("AKHBAR_WEBHOOK_TIMEOUT", integer(1), 10, "seconds per webhook delivery"),
        V(
            "AKHBAR_WEBHOOK_AUTO_DISABLE_AFTER",
            integer(1),
            20,
            "failed deliveries in a row before a webhook is turned off",
        ),
        V(
            "AKHBAR_WIRE_ROOT",
            PATH,
            None,
            "where watched-folder wire sources live",
            derived="AKHBAR_DATA_DIR/wire",
        ),
        V("AKHBAR_WIRE_MAX_BYTES", integer(1), 20 * 1024 * 1024, "largest wire file or feed"),
        V("AKHBAR_WIRE_MAX_EMBARGO_DAYS", integer(0), 30, "embargoes further ahead are refused"),
        V("AKHBAR_WIRE_BATCH_FILES", integer(1), 200, "files imported per transaction"),
        V(
            "AKHBAR_WIRE_BATCH_BYTES",
            integer(1),
            64 * 1024 * 1024,
            "bytes imported per transaction",
        ),
    ),
)

BY_NAME: Mapping[str, Variable] = {v.name: v for v in VARIABLES}


def read_environment(environ: Mapping[str, str]) -> Mapping[str, Any]:
    """Parse every declared variable from ``environ``; raise one ImproperlyConfigured naming
    every bad one, so an operator fixes them all in one go."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for var in VARIABLES:
        raw = environ.get(var.name)
        if raw is None or (var.kind.empty_is_unset and not raw.strip()):
            # A copy: settings.py (or a test) may change the list it is given.
            values[var.name] = list(var.default) if isinstance(var.default, list) else var.default
            continue
        try:
            values[var.name] = var.kind.parse(raw)
        except BadValue as exc:
            problems.append(f"  {var.name}={var.kind.show(raw)}: use {exc} — {var.help}")
    if problems:
        noun = "variable has a bad value" if len(problems) == 1 else "variables have bad values"
        raise ImproperlyConfigured(
            f"Akhbar cannot start: {len(problems)} environment {noun}:\n"
            + "\n".join(problems)
            + "\nEvery variable, what it accepts and its default: docs/deploy.md, "
            "'Configuration reference'."
        )
    return MappingProxyType(values)


def exit_on_bad_environment(environ: Mapping[str, str]) -> None:
    """For the command line (``manage.py``, ``akhbar``): check the environment before
    Django loads the settings, and on a bad value print the message alone and exit 2.

    The settings module raises the same message, but through Django's import machinery an
    operator would read it under a screenful of traceback. Servers (gunicorn, WSGI) keep
    the traceback in their log, where it belongs.
    """
    import sys

    try:
        read_environment(environ)
    except ImproperlyConfigured as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


def _shown_default(var: Variable) -> str:
    if var.derived:
        return var.derived
    value = var.default
    if isinstance(value, bool):
        return "`1`" if value else "`0`"
    if isinstance(value, list):
        return f"`{','.join(value)}`" if value else "empty"
    if isinstance(value, float):
        return f"`{value:g}`"
    if value == "":
        return "unset" if var.kind.empty_is_unset else "empty"
    return f"`{value}`"


def reference_markdown() -> str:
    """docs/deploy.md's "Configuration reference" tables, made from :data:`VARIABLES`
    (``python -m akhbar.core.environment`` prints them; tests/core/test_config.py compares)."""
    out: list[str] = []
    section = None
    for var in VARIABLES:
        if var.section != section:
            section = var.section
            out += [
                "",
                f"### {section}",
                "",
                "| variable | default | accepts | what |",
                "|---|---|---|---|",
            ]
        accepts = var.kind.describe().replace("|", "\\|")
        out.append(f"| `{var.name}` | {_shown_default(var)} | {accepts} | {var.help} |")
    return "\n".join(out[1:]) + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
