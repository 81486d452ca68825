"""Akhbar settings.

Every knob comes from an environment variable with a safe default, so the same code runs a
laptop demo (`make run`: SQLite, local memory cache, DEBUG off) and a production cluster
(PostgreSQL via ``DATABASE_URL``, Redis via ``REDIS_URL``) without editing files.

Each variable is declared once, with its type, default and help, in
``akhbar/core/environment.py``; ``ENV`` below holds their parsed values, and a bad value stops
start-up there with a message naming it. Apps read the resulting ``AKHBAR*`` settings through
``akhbar.core.conf.akhbar_settings``, never with a default of their own.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from akhbar.core.environment import read_environment

ENV = read_environment(os.environ)
# Under pytest (which sets PYTEST_VERSION) the cache and the job queue default to in-process.
_TESTING = "PYTEST_VERSION" in os.environ

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ENV["AKHBAR_DATA_DIR"] or BASE_DIR / "var"


def _secret_key() -> str:
    """Use AKHBAR_SECRET_KEY, else a random key kept in the data directory.

    A key generated once and stored beside the database keeps sessions and signed comment
    cookies valid across restarts of a single-server install, without ever shipping a
    hard-coded key that would be the same on every installation.
    """
    if key := ENV["AKHBAR_SECRET_KEY"]:
        return key
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = ENV["AKHBAR_DEBUG"]
ALLOWED_HOSTS = ENV["AKHBAR_ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = ENV["AKHBAR_CSRF_TRUSTED_ORIGINS"]

INSTALLED_APPS = [
    # The newsroom admin (theme, dashboard, order) overrides admin templates, so it comes
    # before django.contrib.admin, which it runs with its own AdminSite.
    "akhbar.backoffice",
    "akhbar.backoffice.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "akhbar.site",
    "akhbar.newsroom",
    "akhbar.comments",
    "akhbar.antispam",
    "akhbar.search",
    "akhbar.related",
    "akhbar.syndication",
    "akhbar.importers",
    "akhbar.live",
    "akhbar.demo",
    # edge (#14): Varnish purges by surrogate key on each domain event
    "akhbar.edge",
    "akhbar.pipeline",
    # security (#13): account admin without escalation, lockout, 2FA, audit log, CSP
    "akhbar.accounts",
    "akhbar.audit",
    "akhbar.core",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "akhbar.push",
    "akhbar.newsletters",
    # Content API, webhooks (issue 17); "ninja" serves Swagger UI's files locally (no CDN).
    "ninja",
    "akhbar.api",
    "akhbar.wire",
]

MIDDLEWARE = [
    "akhbar.site.middleware.RejectNulInPathMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Security headers outside the page cache, so cached pages carry them too (#13).
    "akhbar.core.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # The reader pages' inlined style sheets, allowed by hash (akhbar.site.inline_css).
    "akhbar.site.inline_css.InlineStyleHashesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # /api/ only: API keys, rate limits, CORS, ETag/Last-Modified (akhbar.api.middleware).
    "akhbar.api.middleware.ContentApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions/auth/CSRF: a cache hit for an anonymous reader skips all of them.
    "akhbar.site.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old WordPress URLs (/?p=123, /2024/05/17/slug/) answer 301 to their new home.
    "akhbar.importers.middleware.LegacyUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "akhbar.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "akhbar.audit.middleware.AuditContextMiddleware",
    # Pipeline: a database connection lost mid-request answers 503 "nothing was saved".
    "akhbar.pipeline.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "akhbar.urls"
WSGI_APPLICATION = "akhbar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "akhbar.site.context_processors.site",
            ],
            # Arabic counts and the numeral setting, for every app's templates (reader, #15).
            "libraries": {"akhbar_text": "akhbar.core.templatetags.akhbar_text"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite in WAL mode by default: readers never wait for the writer, which is what a news site
# (many readers, few editors) needs. IMMEDIATE transactions avoid "database is locked" on
# upgrade from read to write lock.
SQLITE_PATH = ENV["AKHBAR_SQLITE_PATH"] or DATA_DIR / "akhbar.sqlite3"
if ENV["DATABASE_URL"]:
    # Persistent connections with health checks by default; AKHBAR_DB_POOL=1 uses psycopg's
    # connection pool instead (one pool per worker process, sized by AKHBAR_DB_POOL_MAX).
    _pool = ENV["AKHBAR_DB_POOL"]
    # A plain dict (dj-database-url's result is typed as its own TypedDict, whose NAME is a
    # str): the SQLite branch below gives Django a Path, which Django accepts.
    DATABASES: dict[str, dict[str, Any]] = {
        "default": dict(
            dj_database_url.parse(
                ENV["DATABASE_URL"],
                conn_max_age=0 if _pool else ENV["AKHBAR_DB_CONN_MAX_AGE"],
                conn_health_checks=not _pool,
            )
        )
    }
    if _pool and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": ENV["AKHBAR_DB_POOL_MIN"],
            "max_size": ENV["AKHBAR_DB_POOL_MAX"],
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Tests get a private in-memory cache (pytest sets PYTEST_VERSION); servers default to files.
CACHE_KIND = ENV["AKHBAR_CACHE"] or ("locmem" if _TESTING else "file")
if ENV["REDIS_URL"]:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": ENV["REDIS_URL"],
            "KEY_PREFIX": ENV["AKHBAR_CACHE_PREFIX"],
        }
    }
elif CACHE_KIND == "file":
    # Shared by every worker process of one server (gunicorn), unlike local memory: an edit
    # handled by one worker invalidates the pages the others serve.
    CACHES = {
        "default": {
            # Django's file cache, culled every few hundred writes instead of listing the
            # directory on every write (akhbar.core.filecache).
            "BACKEND": "akhbar.core.filecache.BoundedFileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": ENV["AKHBAR_CACHE_MAX_ENTRIES"]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background jobs (Django's tasks API: the django-tasks backport on Django 5.2) ------------
# `database` (default): a queue in the site's own database, worked by `manage.py db_worker`,
# which `make run` and `make serve` start beside the web server. `redis`: RQ on REDIS_URL, for
# several app servers. `immediate`: run at enqueue time (the test suite's default; tests of the
# queue itself choose a real backend).
TASKS_BACKEND = ENV["AKHBAR_TASKS_BACKEND"] or ("immediate" if _TESTING else "database")
if TASKS_BACKEND == "redis":
    # RQ through django-rq: its app must be installed and the queue named in RQ_QUEUES
    # (only then, so the default install needs no Redis). The queue's Redis may differ from
    # the cache's: AKHBAR_TASKS_REDIS_URL, else REDIS_URL.
    INSTALLED_APPS.append("django_rq")
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {
        "default": {
            "URL": (
                ENV["AKHBAR_TASKS_REDIS_URL"] or ENV["REDIS_URL"] or "redis://127.0.0.1:6379/0"
            ),
            "DEFAULT_TIMEOUT": ENV["AKHBAR_JOB_TIMEOUT"],
        }
    }
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Staff authentication (security, #13) ----------------------------------------------------
# django-axes: after AKHBAR_LOGIN_FAILURE_LIMIT wrong passwords, the account *and* (separately)
# the address are locked for AKHBAR_LOGIN_COOLOFF_MINUTES, whatever the other one is; the
# address is the reader's real one behind trusted proxies.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = ENV["AKHBAR_LOGIN_FAILURE_LIMIT"]
AXES_COOLOFF_TIME = timedelta(minutes=ENV["AKHBAR_LOGIN_COOLOFF_MINUTES"])
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "akhbar.core.net.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "akhbar.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Two-factor authentication (django-otp: TOTP apps + one-time recovery codes). Staff who set
# it up always need it; with AKHBAR_REQUIRE_2FA=1 editors and administrators must set it up.
AKHBAR_REQUIRE_2FA = ENV["AKHBAR_REQUIRE_2FA"]
OTP_TOTP_ISSUER = ENV["AKHBAR_OTP_ISSUER"]
# Password reset links expire after this many seconds (Django's default is three days).
PASSWORD_RESET_TIMEOUT = ENV["AKHBAR_PASSWORD_RESET_SECONDS"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية")]
TIME_ZONE = ENV["AKHBAR_TIME_ZONE"]
USE_I18N = True
USE_TZ = True
# Arabic date order in the admin ("1 ديسمبر 2026، 6:35 ص"): Django's "ar" leaves it unset.
FORMAT_MODULE_PATH = ["akhbar.backoffice.formats"]

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = ENV["AKHBAR_STATIC_ROOT"] or DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
MEDIA_URL = "/media/"
MEDIA_ROOT = ENV["AKHBAR_MEDIA_ROOT"] or DATA_DIR / "media"
# Serve uploaded media from Django on a single-server install; turn off behind nginx/S3.
AKHBAR_SERVE_MEDIA = ENV["AKHBAR_SERVE_MEDIA"]
# Media: local disk by default; any S3-compatible store (AWS, MinIO, R2...) through
# django-storages when AKHBAR_S3_BUCKET is set (`pip install akhbar[s3]`).
if ENV["AKHBAR_S3_BUCKET"]:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ENV["AKHBAR_S3_BUCKET"],
            "endpoint_url": ENV["AKHBAR_S3_ENDPOINT_URL"] or None,
            "region_name": ENV["AKHBAR_S3_REGION"] or None,
            "custom_domain": ENV["AKHBAR_S3_CUSTOM_DOMAIN"] or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ENV["AKHBAR_MANIFEST_STATIC"]
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without a collectstatic step (make run, tests) WhiteNoise serves from the app folders;
# production (make serve) collects compressed, fingerprinted files once instead.
WHITENOISE_USE_FINDERS = not ENV["AKHBAR_MANIFEST_STATIC"]
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if ENV["AKHBAR_HTTPS"]:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = ENV["AKHBAR_SSL_REDIRECT"]
    SECURE_HSTS_SECONDS = ENV["AKHBAR_HSTS_SECONDS"]
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = ENV["AKHBAR_HSTS_PRELOAD"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = ENV["AKHBAR_MAX_POST_BYTES"]
# Proxies whose X-Forwarded-For we believe (CIDRs, e.g. "127.0.0.1/32,10.0.0.0/8"); none by
# default, so a reader cannot forge their address. See akhbar.core.net.client_ip.
AKHBAR_TRUSTED_PROXIES = ENV["AKHBAR_TRUSTED_PROXIES"]
# Server-side fetches (feeds, media, webhooks, wires) refuse loopback/private addresses unless
# this is on (tests against 127.0.0.1, intranet feeds). See akhbar.core.http.
AKHBAR_ALLOW_PRIVATE_FETCH = ENV["AKHBAR_ALLOW_PRIVATE_FETCH"]

# Content-Security-Policy (django-csp 4; Django 5.2 has no CSP of its own, 6.0 does, and we
# stay on the 5.2 LTS). Strict: scripts and styles only from our own origin, no inline code
# (templates keep JS/CSS in static files), nothing may frame us. Views that need an inline
# block use request.csp_nonce, which adds a per-response nonce to the header only when used.
# AKHBAR_CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only.
from csp.constants import NONCE, NONE, SELF, Nonce  # noqa: E402

_csp_img: list[str | Nonce] = [SELF, "data:", *ENV["AKHBAR_CSP_IMG_SOURCES"]]
if ENV["AKHBAR_S3_CUSTOM_DOMAIN"]:
    _csp_img.append(f"https://{ENV['AKHBAR_S3_CUSTOM_DOMAIN']}")
# Live coverage's embedded posts (akhbar.live.embeds) load in a frame only after the reader
# clicks; AKHBAR_CSP_FRAME_SOURCES lists the only origins such a frame may come from.
# Sources are text, or NONCE (django-csp puts the response's nonce in its place).
_csp_directives: dict[str, list[str | Nonce] | str] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": _csp_img,
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF, *ENV["AKHBAR_CSP_MEDIA_SOURCES"]],
    "frame-src": [SELF, *ENV["AKHBAR_CSP_FRAME_SOURCES"]],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "report-uri": ENV["AKHBAR_CSP_REPORT_URI"],
}
if ENV["AKHBAR_CSP_REPORT_ONLY"]:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no news page needs; a hostile embed or injected script cannot ask for them.
AKHBAR_PERMISSIONS_POLICY = ENV["AKHBAR_PERMISSIONS_POLICY"]

EMAIL_BACKEND = ENV["AKHBAR_EMAIL_BACKEND"]
DEFAULT_FROM_EMAIL = ENV["AKHBAR_FROM_EMAIL"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV["AKHBAR_LOG_LEVEL"]},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Newsroom behaviour --------------------------------------------------------------------
AKHBAR = {
    "ARTICLES_PER_PAGE": ENV["AKHBAR_ARTICLES_PER_PAGE"],
    "RELATED_COUNT": ENV["AKHBAR_RELATED_COUNT"],
    "COMMENTS_PER_PAGE": ENV["AKHBAR_COMMENTS_PER_PAGE"],
    "COMMENT_MAX_DEPTH": ENV["AKHBAR_COMMENT_MAX_DEPTH"],
    "COMMENTS_CLOSE_AFTER_DAYS": ENV["AKHBAR_COMMENTS_CLOSE_AFTER_DAYS"],
    "SHOW_MORE_AFTER_PARAGRAPHS": ENV["AKHBAR_SHOW_MORE_AFTER"],
    # Whole-page cache for anonymous readers (akhbar.site.cache); 0 turns it off.
    "PAGE_CACHE": ENV["AKHBAR_PAGE_CACHE"],
    "PAGE_CACHE_SECONDS": ENV["AKHBAR_PAGE_CACHE_SECONDS"],
    "PAGE_CACHE_STALE_SECONDS": ENV["AKHBAR_PAGE_CACHE_STALE_SECONDS"],
}

# --- Comments and spam -------------------------------------------------------------------------
AKHBAR.update(
    {
        "COMMENT_RATE_LIMIT": ENV["AKHBAR_COMMENT_RATE_LIMIT"],
        "COMMENT_RATE_WINDOW": ENV["AKHBAR_COMMENT_RATE_WINDOW"],
        "COMMENT_PERSONAL_DATA_DAYS": ENV["AKHBAR_COMMENT_PERSONAL_DATA_DAYS"],
        "SPAM_PURGE_DAYS": ENV["AKHBAR_SPAM_PURGE_DAYS"],
        "COMMENT_NOTIFY_STAFF": ENV["AKHBAR_COMMENT_NOTIFY_STAFF"],
        "REMEMBER_COMMENTER_DAYS": ENV["AKHBAR_REMEMBER_COMMENTER_DAYS"],
    }
)
# Optional Akismet: nothing leaves the server unless the site owner sets a key.
AKISMET_API_KEY = ENV["AKISMET_API_KEY"]
AKISMET_BLOG_URL = ENV["AKISMET_BLOG_URL"]
AKISMET_BASE_URL = ENV["AKISMET_BASE_URL"]
AKISMET_TIMEOUT = ENV["AKISMET_TIMEOUT"]

# --- Edge cache (Varnish with xkey; akhbar.edge, deploy/varnish/akhbar.vcl) -------------------
# Purges by surrogate key are sent, through the job queue, to every Varnish listed here
# (comma-separated base URLs, e.g. http://10.0.0.5:6081); empty: no Varnish, no purges.
AKHBAR.update(
    {
        "VARNISH_URLS": ENV["AKHBAR_VARNISH_URLS"],
        "VARNISH_TIMEOUT": ENV["AKHBAR_VARNISH_TIMEOUT"],
        "VARNISH_RETRY_BASE_SECONDS": ENV["AKHBAR_VARNISH_RETRY_BASE"],
        "VARNISH_MAX_ATTEMPTS": ENV["AKHBAR_VARNISH_MAX_ATTEMPTS"],
    }
)
# --- Impersonation (security, #13) -------------------------------------------------------------
AKHBAR.update(
    {
        # Names readers may not comment under, besides the built-in titles, the site name,
        # staff and authors (compared by look-alike skeleton).
        "RESERVED_NAMES": ENV["AKHBAR_RESERVED_NAMES"],
        # Without the editor role, a publication date may be at most this far in the past.
        "BACKDATE_LIMIT_HOURS": ENV["AKHBAR_BACKDATE_LIMIT_HOURS"],
    }
)

# --- Pipeline: background-job worker health (akhbar.pipeline) -------------------------------
AKHBAR.update(
    {
        "WORKER_HEARTBEAT_SECONDS": ENV["AKHBAR_WORKER_HEARTBEAT_SECONDS"],
        "WORKER_STALE_SECONDS": ENV["AKHBAR_WORKER_STALE_SECONDS"],
        "QUEUE_MAX_AGE_SECONDS": ENV["AKHBAR_QUEUE_MAX_AGE_SECONDS"],
        "QUEUE_MAX_LENGTH": ENV["AKHBAR_QUEUE_MAX_LENGTH"],
        "JOB_RESULTS_DAYS": ENV["AKHBAR_JOB_RESULTS_DAYS"],
    }
)

# --- Newsletters and web push (akhbar/newsletters, akhbar/push) ------------------------------
# AKHBAR_EMAIL_URL: smtp://user:pass@host:587?tls=1, smtps://..., or unset → console output.
AKHBAR_EMAIL_URL = ENV["AKHBAR_EMAIL_URL"]
# The public address of the site, for links in emails and push alerts.
AKHBAR_SITE_URL = ENV["AKHBAR_SITE_URL"]
AKHBAR.update(
    {
        "NEWSLETTER_FROM": ENV["AKHBAR_NEWSLETTER_FROM"],
        "NEWSLETTER_BOUNCE_DOMAIN": ENV["AKHBAR_NEWSLETTER_BOUNCE_DOMAIN"],
        "NEWSLETTER_CONFIRM_HOURS": ENV["AKHBAR_NEWSLETTER_CONFIRM_HOURS"],
        "NEWSLETTER_IP_LIMIT": ENV["AKHBAR_NEWSLETTER_IP_LIMIT"],
        "NEWSLETTER_IP_WINDOW": ENV["AKHBAR_NEWSLETTER_IP_WINDOW"],
        "NEWSLETTER_EMAIL_LIMIT": ENV["AKHBAR_NEWSLETTER_EMAIL_LIMIT"],
        "NEWSLETTER_BLOCKED_DOMAINS": ENV["AKHBAR_NEWSLETTER_BLOCKED_DOMAINS"],
        "NEWSLETTER_WEBHOOK_SECRET": ENV["AKHBAR_NEWSLETTER_WEBHOOK_SECRET"],
        "EMAIL_RATE": ENV["AKHBAR_EMAIL_RATE"],
        "EMAIL_BATCH": ENV["AKHBAR_EMAIL_BATCH"],
        "EMAIL_MAX_ATTEMPTS": ENV["AKHBAR_EMAIL_MAX_ATTEMPTS"],
        "EMAIL_RETRY_SECONDS": ENV["AKHBAR_EMAIL_RETRY_SECONDS"],
        "EMAIL_CLAIM_TIMEOUT": ENV["AKHBAR_EMAIL_CLAIM_TIMEOUT"],
        "DKIM_KEY_FILE": ENV["AKHBAR_DKIM_KEY_FILE"],
        "DKIM_PRIVATE_KEY": ENV["AKHBAR_DKIM_PRIVATE_KEY"],
        "DKIM_DOMAIN": ENV["AKHBAR_DKIM_DOMAIN"],
        "DKIM_SELECTOR": ENV["AKHBAR_DKIM_SELECTOR"],
        "PUSH_CONTACT": ENV["AKHBAR_PUSH_CONTACT"],
        "PUSH_TTL": ENV["AKHBAR_PUSH_TTL"],
        "PUSH_EXTRA_ORIGINS": ENV["AKHBAR_PUSH_EXTRA_ORIGINS"],
    }
)
# --- Content API, webhooks and wire exchange (issue 17) ------------------------------------
# AKHBAR_SITE_URL (above) also makes the absolute URLs of webhook payloads and wire feeds.
AKHBAR_API = {
    # Public by default; 1 = every request needs a partner's key (admin: API keys).
    "REQUIRE_KEY": ENV["AKHBAR_API_REQUIRE_KEY"],
    "ANON_PER_MINUTE": ENV["AKHBAR_API_ANON_PER_MINUTE"],
    "CORS_ORIGINS": ENV["AKHBAR_API_CORS_ORIGINS"],
    "MAX_AGE": ENV["AKHBAR_API_MAX_AGE"],
    "WEBHOOK_TIMEOUT": ENV["AKHBAR_WEBHOOK_TIMEOUT"],
    "WEBHOOK_AUTO_DISABLE_AFTER": ENV["AKHBAR_WEBHOOK_AUTO_DISABLE_AFTER"],
}
AKHBAR_WIRE = {
    # Where watched-folder sources may live (each source names a folder under it).
    "ROOT": str(ENV["AKHBAR_WIRE_ROOT"] or DATA_DIR / "wire"),
    "MAX_BYTES": ENV["AKHBAR_WIRE_MAX_BYTES"],
    # Embargoes further ahead than this are refused as probable typos.
    "MAX_EMBARGO_DAYS": ENV["AKHBAR_WIRE_MAX_EMBARGO_DAYS"],
    # A folder scan is imported this many files (and at most this many bytes) per
    # transaction; a savepoint per item keeps a bad item from spoiling the others.
    "BATCH_FILES": ENV["AKHBAR_WIRE_BATCH_FILES"],
    "BATCH_BYTES": ENV["AKHBAR_WIRE_BATCH_BYTES"],
}
# Corrections and updates: "top" (under the headline) or "bottom" (after the text).
AKHBAR_NOTES_POSITION = ENV["AKHBAR_NOTES_POSITION"]

# --- Settings with no environment variable ------------------------------------------------------
# Knobs a site changes in its own settings module, not per server. Their defaults live here
# only; apps read them through akhbar.core.conf.akhbar_settings like every other key.
AKHBAR.update(
    {
        # Uploaded images: larger files, or more pixels (a decompression bomb), are refused.
        "MAX_IMAGE_BYTES": 10 * 1024 * 1024,
        "MAX_IMAGE_PIXELS": 50_000_000,
        # Hours a draft's preview link works.
        "PREVIEW_LINK_HOURS": 48,
        # Read counts are written to the database every this many reads of an article.
        "HIT_FLUSH_EVERY": 50,
        # "Most read" counts the reads of the last this many days.
        "MOST_READ_DAYS": 7,
        # A breaking article shows in the breaking-news bar this many hours.
        "BREAKING_HOURS": 24,
        # More query parameters that make a different cached page (akhbar.site.cache).
        "PAGE_CACHE_PARAMS": [],
        # Interface digits without site settings (before migrate): "western" or "arabic-indic".
        "NUMERALS": "western",
        # Seconds between a live coverage page's checks for new posts.
        "LIVE_POLL_SECONDS": 12,
        # Feeds: the full text instead of the excerpt, and how many items.
        "FEED_FULL_TEXT": False,
        "FEED_ITEMS": 30,
        # Sitemap URLs per file (the sitemaps.org limit is 50,000).
        "SITEMAP_LIMIT": 50_000,
        # The authority of feed entry ids (tag: URIs), so ids survive a domain move; "" = host.
        "FEED_ID_AUTHORITY": "",
        # A syndicated article's canonical link points to its source.
        "CANONICAL_TO_SOURCE": False,
        # Cache lifetime of feeds and sitemaps.
        "SYNDICATION_MAX_AGE": 300,
    }
)
# Wire photos referenced by URL are fetched (tests of the ingest turn this off).
AKHBAR_WIRE["FETCH_PHOTOS"] = True
