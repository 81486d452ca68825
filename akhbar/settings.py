"""Akhbar settings.

Every knob comes from an environment variable with a safe default, so the same code runs a
laptop demo (`make run`: SQLite, local memory cache, DEBUG off) and a production cluster
(PostgreSQL via ``DATABASE_URL``, Redis via ``REDIS_URL``) without editing files.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("AKHBAR_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use AKHBAR_SECRET_KEY, else a random key kept in the data directory.

    A key generated once and stored beside the database keeps sessions and signed comment
    cookies valid across restarts of a single-server install, without ever shipping a
    hard-coded key that would be the same on every installation.
    """
    if key := os.environ.get("AKHBAR_SECRET_KEY"):
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
DEBUG = env_bool("AKHBAR_DEBUG")
ALLOWED_HOSTS = env_list("AKHBAR_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("AKHBAR_CSRF_TRUSTED_ORIGINS", "")

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
SQLITE_PATH = Path(os.environ.get("AKHBAR_SQLITE_PATH", DATA_DIR / "akhbar.sqlite3"))
if os.environ.get("DATABASE_URL"):
    # Persistent connections with health checks by default; AKHBAR_DB_POOL=1 uses psycopg's
    # connection pool instead (one pool per worker process, sized by AKHBAR_DB_POOL_MAX).
    _pool = env_bool("AKHBAR_DB_POOL")
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=0 if _pool else env_int("AKHBAR_DB_CONN_MAX_AGE", 60),
            conn_health_checks=not _pool,
        )
    }
    if _pool and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("AKHBAR_DB_POOL_MIN", 1),
            "max_size": env_int("AKHBAR_DB_POOL_MAX", 8),
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
CACHE_KIND = os.environ.get("AKHBAR_CACHE", "locmem" if "PYTEST_VERSION" in os.environ else "file")
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("AKHBAR_CACHE_PREFIX", "akhbar"),
        }
    }
elif (
    os.environ.get("AKHBAR_CACHE", "locmem" if "PYTEST_VERSION" in os.environ else "file") == "file"
):
    # Shared by every worker process of one server (gunicorn), unlike local memory: an edit
    # handled by one worker invalidates the pages the others serve.
    CACHES = {
        "default": {
            # Django's file cache, culled every few hundred writes instead of listing the
            # directory on every write (akhbar.core.filecache).
            "BACKEND": "akhbar.core.filecache.BoundedFileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": env_int("AKHBAR_CACHE_MAX_ENTRIES", 20_000)},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background jobs (Django's tasks API: the django-tasks backport on Django 5.2) ------------
# `database` (default): a queue in the site's own database, worked by `manage.py db_worker`,
# which `make run` and `make serve` start beside the web server. `redis`: RQ on REDIS_URL, for
# several app servers. `immediate`: run at enqueue time (the test suite's default; tests of the
# queue itself choose a real backend).
TASKS_BACKEND = os.environ.get(
    "AKHBAR_TASKS_BACKEND", "immediate" if "PYTEST_VERSION" in os.environ else "database"
)
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
            "URL": os.environ.get(
                "AKHBAR_TASKS_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
            ),
            "DEFAULT_TIMEOUT": env_int("AKHBAR_JOB_TIMEOUT", 900),
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
AXES_FAILURE_LIMIT = env_int("AKHBAR_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AKHBAR_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "akhbar.core.net.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "akhbar.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Two-factor authentication (django-otp: TOTP apps + one-time recovery codes). Staff who set
# it up always need it; with AKHBAR_REQUIRE_2FA=1 editors and administrators must set it up.
AKHBAR_REQUIRE_2FA = env_bool("AKHBAR_REQUIRE_2FA")
OTP_TOTP_ISSUER = os.environ.get("AKHBAR_OTP_ISSUER", "Akhbar")
# Password reset links expire after this many seconds (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env_int("AKHBAR_PASSWORD_RESET_SECONDS", 2 * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية")]
TIME_ZONE = os.environ.get("AKHBAR_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Arabic date order in the admin ("1 ديسمبر 2026، 6:35 ص"): Django's "ar" leaves it unset.
FORMAT_MODULE_PATH = ["akhbar.backoffice.formats"]

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("AKHBAR_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("AKHBAR_MEDIA_ROOT", DATA_DIR / "media"))
# Serve uploaded media from Django on a single-server install; turn off behind nginx/S3.
AKHBAR_SERVE_MEDIA = env_bool("AKHBAR_SERVE_MEDIA", True)
# Media: local disk by default; any S3-compatible store (AWS, MinIO, R2...) through
# django-storages when AKHBAR_S3_BUCKET is set (`pip install akhbar[s3]`).
if os.environ.get("AKHBAR_S3_BUCKET"):
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AKHBAR_S3_BUCKET"],
            "endpoint_url": os.environ.get("AKHBAR_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AKHBAR_S3_REGION") or None,
            "custom_domain": os.environ.get("AKHBAR_S3_CUSTOM_DOMAIN") or None,
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
            if env_bool("AKHBAR_MANIFEST_STATIC")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without a collectstatic step (make run, tests) WhiteNoise serves from the app folders;
# production (make serve) collects compressed, fingerprinted files once instead.
WHITENOISE_USE_FINDERS = not env_bool("AKHBAR_MANIFEST_STATIC")
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("AKHBAR_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("AKHBAR_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("AKHBAR_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("AKHBAR_HSTS_PRELOAD")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("AKHBAR_MAX_POST_BYTES", 2_621_440)
# Proxies whose X-Forwarded-For we believe (CIDRs, e.g. "127.0.0.1/32,10.0.0.0/8"); none by
# default, so a reader cannot forge their address. See akhbar.core.net.client_ip.
AKHBAR_TRUSTED_PROXIES = env_list("AKHBAR_TRUSTED_PROXIES", "")
# Server-side fetches (feeds, media, webhooks, wires) refuse loopback/private addresses unless
# this is on (tests against 127.0.0.1, intranet feeds). See akhbar.core.http.
AKHBAR_ALLOW_PRIVATE_FETCH = env_bool("AKHBAR_ALLOW_PRIVATE_FETCH")

# Content-Security-Policy (django-csp 4; Django 5.2 has no CSP of its own, 6.0 does, and we
# stay on the 5.2 LTS). Strict: scripts and styles only from our own origin, no inline code
# (templates keep JS/CSS in static files), nothing may frame us. Views that need an inline
# block use request.csp_nonce, which adds a per-response nonce to the header only when used.
# AKHBAR_CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

_csp_img = [SELF, "data:", *env_list("AKHBAR_CSP_IMG_SOURCES", "")]
if os.environ.get("AKHBAR_S3_CUSTOM_DOMAIN"):
    _csp_img.append(f"https://{os.environ['AKHBAR_S3_CUSTOM_DOMAIN']}")
# Live coverage's embedded posts (akhbar.live.embeds) load in a frame only after the reader
# clicks; these are the only origins such a frame may come from.
_EMBED_FRAMES = "https://www.youtube-nocookie.com,https://platform.twitter.com,https://t.me"
_csp_directives: dict[str, list[str] | str] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": _csp_img,
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF, *env_list("AKHBAR_CSP_MEDIA_SOURCES", "")],
    "frame-src": [SELF, *env_list("AKHBAR_CSP_FRAME_SOURCES", _EMBED_FRAMES)],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "report-uri": os.environ.get("AKHBAR_CSP_REPORT_URI", "/csp-report/"),
}
if env_bool("AKHBAR_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no news page needs; a hostile embed or injected script cannot ask for them.
AKHBAR_PERMISSIONS_POLICY = os.environ.get(
    "AKHBAR_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
)

EMAIL_BACKEND = os.environ.get(
    "AKHBAR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("AKHBAR_FROM_EMAIL", "akhbar@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AKHBAR_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Newsroom behaviour --------------------------------------------------------------------
AKHBAR = {
    "ARTICLES_PER_PAGE": env_int("AKHBAR_ARTICLES_PER_PAGE", 12),
    "RELATED_COUNT": env_int("AKHBAR_RELATED_COUNT", 4),
    "COMMENTS_PER_PAGE": env_int("AKHBAR_COMMENTS_PER_PAGE", 50),
    "COMMENT_MAX_DEPTH": env_int("AKHBAR_COMMENT_MAX_DEPTH", 5),
    "COMMENTS_CLOSE_AFTER_DAYS": env_int("AKHBAR_COMMENTS_CLOSE_AFTER_DAYS", 0),
    "SHOW_MORE_AFTER_PARAGRAPHS": env_int("AKHBAR_SHOW_MORE_AFTER", 4),
    # Whole-page cache for anonymous readers (akhbar.site.cache); 0 turns it off.
    "PAGE_CACHE": env_bool("AKHBAR_PAGE_CACHE", True),
    "PAGE_CACHE_SECONDS": env_int("AKHBAR_PAGE_CACHE_SECONDS", 600),
    "PAGE_CACHE_STALE_SECONDS": env_int("AKHBAR_PAGE_CACHE_STALE_SECONDS", 60),
}

# --- Comments and spam -------------------------------------------------------------------------
AKHBAR.update(
    {
        "COMMENT_RATE_LIMIT": env_int("AKHBAR_COMMENT_RATE_LIMIT", 5),
        "COMMENT_RATE_WINDOW": env_int("AKHBAR_COMMENT_RATE_WINDOW", 600),
        "COMMENT_PERSONAL_DATA_DAYS": env_int("AKHBAR_COMMENT_PERSONAL_DATA_DAYS", 60),
        "SPAM_PURGE_DAYS": max(15, env_int("AKHBAR_SPAM_PURGE_DAYS", 15)),
        "COMMENT_NOTIFY_STAFF": env_bool("AKHBAR_COMMENT_NOTIFY_STAFF", True),
        "REMEMBER_COMMENTER_DAYS": env_int("AKHBAR_REMEMBER_COMMENTER_DAYS", 365),
    }
)
# Optional Akismet: nothing leaves the server unless the site owner sets a key.
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")
AKISMET_BLOG_URL = os.environ.get("AKISMET_BLOG_URL", "http://127.0.0.1:8000/")
AKISMET_BASE_URL = os.environ.get("AKISMET_BASE_URL", "https://rest.akismet.com")
AKISMET_TIMEOUT = float(os.environ.get("AKISMET_TIMEOUT", "3"))

# --- Edge cache (Varnish with xkey; akhbar.edge, deploy/varnish/akhbar.vcl) -------------------
# Purges by surrogate key are sent, through the job queue, to every Varnish listed here
# (comma-separated base URLs, e.g. http://10.0.0.5:6081); empty: no Varnish, no purges.
AKHBAR.update(
    {
        "VARNISH_URLS": env_list("AKHBAR_VARNISH_URLS", ""),
        "VARNISH_TIMEOUT": float(os.environ.get("AKHBAR_VARNISH_TIMEOUT", "3")),
        "VARNISH_RETRY_BASE_SECONDS": float(os.environ.get("AKHBAR_VARNISH_RETRY_BASE", "2")),
        "VARNISH_MAX_ATTEMPTS": env_int("AKHBAR_VARNISH_MAX_ATTEMPTS", 10),
    }
)
# --- Impersonation (security, #13) -------------------------------------------------------------
AKHBAR.update(
    {
        # Names readers may not comment under, besides the built-in titles, the site name,
        # staff and authors (compared by look-alike skeleton).
        "RESERVED_NAMES": env_list("AKHBAR_RESERVED_NAMES", ""),
        # Without the editor role, a publication date may be at most this far in the past.
        "BACKDATE_LIMIT_HOURS": env_int("AKHBAR_BACKDATE_LIMIT_HOURS", 24),
    }
)

# --- Pipeline: background-job worker health (akhbar.pipeline) -------------------------------
AKHBAR.update(
    {
        "WORKER_HEARTBEAT_SECONDS": float(os.environ.get("AKHBAR_WORKER_HEARTBEAT_SECONDS", 5)),
        "WORKER_STALE_SECONDS": float(os.environ.get("AKHBAR_WORKER_STALE_SECONDS", 30)),
        "QUEUE_MAX_AGE_SECONDS": env_int("AKHBAR_QUEUE_MAX_AGE_SECONDS", 300),
        "QUEUE_MAX_LENGTH": env_int("AKHBAR_QUEUE_MAX_LENGTH", 1000),
        "JOB_RESULTS_DAYS": env_int("AKHBAR_JOB_RESULTS_DAYS", 14),
    }
)

# --- Newsletters and web push (akhbar/newsletters, akhbar/push) ------------------------------
# AKHBAR_EMAIL_URL: smtp://user:pass@host:587?tls=1, smtps://..., or unset → console output.
AKHBAR_EMAIL_URL = os.environ.get("AKHBAR_EMAIL_URL", "")
# The public address of the site, for links in emails and push alerts.
AKHBAR_SITE_URL = os.environ.get("AKHBAR_SITE_URL", "http://127.0.0.1:8000")
AKHBAR.update(
    {
        "NEWSLETTER_FROM": os.environ.get("AKHBAR_NEWSLETTER_FROM", ""),
        "NEWSLETTER_BOUNCE_DOMAIN": os.environ.get("AKHBAR_NEWSLETTER_BOUNCE_DOMAIN", ""),
        "NEWSLETTER_CONFIRM_HOURS": env_int("AKHBAR_NEWSLETTER_CONFIRM_HOURS", 48),
        "NEWSLETTER_IP_LIMIT": env_int("AKHBAR_NEWSLETTER_IP_LIMIT", 10),
        "NEWSLETTER_IP_WINDOW": env_int("AKHBAR_NEWSLETTER_IP_WINDOW", 600),
        "NEWSLETTER_EMAIL_LIMIT": env_int("AKHBAR_NEWSLETTER_EMAIL_LIMIT", 3),
        "NEWSLETTER_BLOCKED_DOMAINS": env_list("AKHBAR_NEWSLETTER_BLOCKED_DOMAINS", ""),
        "NEWSLETTER_WEBHOOK_SECRET": os.environ.get("AKHBAR_NEWSLETTER_WEBHOOK_SECRET", ""),
        "EMAIL_RATE": float(os.environ.get("AKHBAR_EMAIL_RATE", "0") or 0),
        "EMAIL_BATCH": env_int("AKHBAR_EMAIL_BATCH", 200),
        "EMAIL_MAX_ATTEMPTS": env_int("AKHBAR_EMAIL_MAX_ATTEMPTS", 5),
        "EMAIL_RETRY_SECONDS": env_int("AKHBAR_EMAIL_RETRY_SECONDS", 60),
        "EMAIL_CLAIM_TIMEOUT": env_int("AKHBAR_EMAIL_CLAIM_TIMEOUT", 300),
        "DKIM_KEY_FILE": os.environ.get("AKHBAR_DKIM_KEY_FILE", ""),
        "DKIM_PRIVATE_KEY": os.environ.get("AKHBAR_DKIM_PRIVATE_KEY", ""),
        "DKIM_DOMAIN": os.environ.get("AKHBAR_DKIM_DOMAIN", ""),
        "DKIM_SELECTOR": os.environ.get("AKHBAR_DKIM_SELECTOR", "akhbar"),
        "PUSH_CONTACT": os.environ.get("AKHBAR_PUSH_CONTACT", ""),
        "PUSH_TTL": env_int("AKHBAR_PUSH_TTL", 4 * 3600),
        "PUSH_EXTRA_ORIGINS": env_list("AKHBAR_PUSH_EXTRA_ORIGINS", ""),
    }
)
# --- Content API, webhooks and wire exchange (issue 17) ------------------------------------
# AKHBAR_SITE_URL (above) also makes the absolute URLs of webhook payloads and wire feeds.
AKHBAR_API = {
    # Public by default; 1 = every request needs a partner's key (admin: API keys).
    "REQUIRE_KEY": env_bool("AKHBAR_API_REQUIRE_KEY"),
    "ANON_PER_MINUTE": env_int("AKHBAR_API_ANON_PER_MINUTE", 600),
    "CORS_ORIGINS": env_list("AKHBAR_API_CORS_ORIGINS", "*"),
    "MAX_AGE": env_int("AKHBAR_API_MAX_AGE", 60),
    "WEBHOOK_TIMEOUT": env_int("AKHBAR_WEBHOOK_TIMEOUT", 10),
    "WEBHOOK_AUTO_DISABLE_AFTER": env_int("AKHBAR_WEBHOOK_AUTO_DISABLE_AFTER", 20),
}
AKHBAR_WIRE = {
    # Where watched-folder sources may live (each source names a folder under it).
    "ROOT": os.environ.get("AKHBAR_WIRE_ROOT", str(DATA_DIR / "wire")),
    "MAX_BYTES": env_int("AKHBAR_WIRE_MAX_BYTES", 20 * 1024 * 1024),
    # Embargoes further ahead than this are refused as probable typos.
    "MAX_EMBARGO_DAYS": env_int("AKHBAR_WIRE_MAX_EMBARGO_DAYS", 30),
    # A folder scan is imported this many files (and at most this many bytes) per
    # transaction; a savepoint per item keeps a bad item from spoiling the others.
    "BATCH_FILES": env_int("AKHBAR_WIRE_BATCH_FILES", 200),
    "BATCH_BYTES": env_int("AKHBAR_WIRE_BATCH_BYTES", 64 * 1024 * 1024),
}
# Corrections and updates: "top" (under the headline) or "bottom" (after the text).
AKHBAR_NOTES_POSITION = os.environ.get("AKHBAR_NOTES_POSITION", "top")
