"""Akhbar's own settings, read through one typed object: ``akhbar_settings.varnish_timeout``.

Every attribute names where its value lives in Django's settings (``settings.AKHBAR[...]``,
``settings.AKHBAR_API[...]``, ``settings.AKHBAR_WIRE[...]`` or a top-level ``AKHBAR_*`` /
``AKISMET_*``), and nothing else: no default. The defaults are declared once, for environment
variables in ``akhbar/core/environment.py`` (which also checks their values at start-up) and
for the few keys without one in ``akhbar/settings.py``. So a default can no longer differ
between the settings module and a call site, and a key missing from the settings is a clear
ImproperlyConfigured, not a silent fallback.

Each read goes to ``django.conf.settings`` at the moment it is made, so
``override_settings(AKHBAR={...})``, pytest-django's ``settings`` fixture and a test that
changes a copied ``settings.AKHBAR`` dict in place are all seen at once; the cost is one
attribute and one dict look-up, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Never, TypeVar, overload

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Setting(Generic[T]):
    """A read-only attribute of :class:`AkhbarSettings`: ``settings.<name>[<key>]``, or the
    top-level ``settings.<name>`` when there is no key."""

    def __init__(self, name: str, key: str | None = None) -> None:
        self.name = name
        self.key = key

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @property
    def where(self) -> str:
        return f"settings.{self.name}" + (f"[{self.key!r}]" if self.key else "")

    @overload
    def __get__(self, instance: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, instance: AkhbarSettings, owner: type) -> T: ...
    def __get__(self, instance: AkhbarSettings | None, owner: type) -> Setting[T] | T:
        if instance is None:
            return self
        try:
            value = getattr(settings, self.name)
            return value[self.key] if self.key is not None else value  # type: ignore[no-any-return]
        except (AttributeError, KeyError):
            raise ImproperlyConfigured(
                f"{self.where} is not set: akhbar/settings.py sets every Akhbar setting "
                "(a settings module of your own must start with `from akhbar.settings import *`)"
            ) from None

    def __set__(self, instance: AkhbarSettings, value: Never) -> None:
        raise AttributeError(f"{self.attribute} is read-only: change {self.where} instead")


def _akhbar(key: str) -> Any:
    return Setting("AKHBAR", key)


def _api(key: str) -> Any:
    return Setting("AKHBAR_API", key)


def _wire(key: str) -> Any:
    return Setting("AKHBAR_WIRE", key)


class AkhbarSettings:
    """Every setting an Akhbar app reads, with its type. Add one: declare its environment
    variable in ``akhbar/core/environment.py`` (or, without one, its value in settings.py),
    put it in ``akhbar/settings.py``, then add the attribute here (CONTRIBUTING.md)."""

    # Site
    site_url: Setting[str] = Setting("AKHBAR_SITE_URL")
    serve_media: Setting[bool] = Setting("AKHBAR_SERVE_MEDIA")
    notes_position: Setting[str] = Setting("AKHBAR_NOTES_POSITION")
    numerals: Setting[str] = _akhbar("NUMERALS")
    articles_per_page: Setting[int] = _akhbar("ARTICLES_PER_PAGE")
    show_more_after_paragraphs: Setting[int] = _akhbar("SHOW_MORE_AFTER_PARAGRAPHS")
    breaking_hours: Setting[int] = _akhbar("BREAKING_HOURS")
    live_poll_seconds: Setting[int] = _akhbar("LIVE_POLL_SECONDS")
    # Page cache and edge purges
    page_cache: Setting[bool] = _akhbar("PAGE_CACHE")
    page_cache_seconds: Setting[int] = _akhbar("PAGE_CACHE_SECONDS")
    page_cache_stale_seconds: Setting[int] = _akhbar("PAGE_CACHE_STALE_SECONDS")
    page_cache_params: Setting[list[str]] = _akhbar("PAGE_CACHE_PARAMS")
    varnish_urls: Setting[list[str]] = _akhbar("VARNISH_URLS")
    varnish_timeout: Setting[float] = _akhbar("VARNISH_TIMEOUT")
    varnish_retry_base_seconds: Setting[float] = _akhbar("VARNISH_RETRY_BASE_SECONDS")
    varnish_max_attempts: Setting[int] = _akhbar("VARNISH_MAX_ATTEMPTS")
    # Newsroom
    max_image_bytes: Setting[int] = _akhbar("MAX_IMAGE_BYTES")
    max_image_pixels: Setting[int] = _akhbar("MAX_IMAGE_PIXELS")
    preview_link_hours: Setting[int] = _akhbar("PREVIEW_LINK_HOURS")
    hit_flush_every: Setting[int] = _akhbar("HIT_FLUSH_EVERY")
    most_read_days: Setting[int] = _akhbar("MOST_READ_DAYS")
    related_count: Setting[int] = _akhbar("RELATED_COUNT")
    backdate_limit_hours: Setting[int] = _akhbar("BACKDATE_LIMIT_HOURS")
    # Comments and spam
    comments_per_page: Setting[int] = _akhbar("COMMENTS_PER_PAGE")
    comment_max_depth: Setting[int] = _akhbar("COMMENT_MAX_DEPTH")
    comments_close_after_days: Setting[int] = _akhbar("COMMENTS_CLOSE_AFTER_DAYS")
    comment_rate_limit: Setting[int] = _akhbar("COMMENT_RATE_LIMIT")
    comment_rate_window: Setting[int] = _akhbar("COMMENT_RATE_WINDOW")
    comment_personal_data_days: Setting[int] = _akhbar("COMMENT_PERSONAL_DATA_DAYS")
    spam_purge_days: Setting[int] = _akhbar("SPAM_PURGE_DAYS")
    comment_notify_staff: Setting[bool] = _akhbar("COMMENT_NOTIFY_STAFF")
    remember_commenter_days: Setting[int] = _akhbar("REMEMBER_COMMENTER_DAYS")
    reserved_names: Setting[list[str]] = _akhbar("RESERVED_NAMES")
    akismet_api_key: Setting[str] = Setting("AKISMET_API_KEY")
    akismet_blog_url: Setting[str] = Setting("AKISMET_BLOG_URL")
    akismet_base_url: Setting[str] = Setting("AKISMET_BASE_URL")
    akismet_timeout: Setting[float] = Setting("AKISMET_TIMEOUT")
    # Security
    trusted_proxies: Setting[list[str] | str] = Setting("AKHBAR_TRUSTED_PROXIES")
    allow_private_fetch: Setting[bool] = Setting("AKHBAR_ALLOW_PRIVATE_FETCH")
    permissions_policy: Setting[str] = Setting("AKHBAR_PERMISSIONS_POLICY")
    require_2fa: Setting[bool] = Setting("AKHBAR_REQUIRE_2FA")
    # Background jobs
    worker_heartbeat_seconds: Setting[float] = _akhbar("WORKER_HEARTBEAT_SECONDS")
    worker_stale_seconds: Setting[float] = _akhbar("WORKER_STALE_SECONDS")
    queue_max_age_seconds: Setting[int] = _akhbar("QUEUE_MAX_AGE_SECONDS")
    queue_max_length: Setting[int] = _akhbar("QUEUE_MAX_LENGTH")
    job_results_days: Setting[int] = _akhbar("JOB_RESULTS_DAYS")
    # Syndication
    feed_full_text: Setting[bool] = _akhbar("FEED_FULL_TEXT")
    feed_items: Setting[int] = _akhbar("FEED_ITEMS")
    sitemap_limit: Setting[int] = _akhbar("SITEMAP_LIMIT")
    feed_id_authority: Setting[str] = _akhbar("FEED_ID_AUTHORITY")
    canonical_to_source: Setting[bool] = _akhbar("CANONICAL_TO_SOURCE")
    syndication_max_age: Setting[int] = _akhbar("SYNDICATION_MAX_AGE")
    # Newsletters and push
    email_url: Setting[str] = Setting("AKHBAR_EMAIL_URL")
    newsletter_from: Setting[str] = _akhbar("NEWSLETTER_FROM")
    newsletter_bounce_domain: Setting[str] = _akhbar("NEWSLETTER_BOUNCE_DOMAIN")
    newsletter_confirm_hours: Setting[int] = _akhbar("NEWSLETTER_CONFIRM_HOURS")
    newsletter_ip_limit: Setting[int] = _akhbar("NEWSLETTER_IP_LIMIT")
    newsletter_ip_window: Setting[int] = _akhbar("NEWSLETTER_IP_WINDOW")
    newsletter_email_limit: Setting[int] = _akhbar("NEWSLETTER_EMAIL_LIMIT")
    newsletter_blocked_domains: Setting[list[str]] = _akhbar("NEWSLETTER_BLOCKED_DOMAINS")
    newsletter_webhook_secret: Setting[str] = _akhbar("NEWSLETTER_WEBHOOK_SECRET")
    email_rate: Setting[float] = _akhbar("EMAIL_RATE")
    email_batch: Setting[int] = _akhbar("EMAIL_BATCH")
    email_max_attempts: Setting[int] = _akhbar("EMAIL_MAX_ATTEMPTS")
    email_retry_seconds: Setting[int] = _akhbar("EMAIL_RETRY_SECONDS")
    email_claim_timeout: Setting[int] = _akhbar("EMAIL_CLAIM_TIMEOUT")
    dkim_key_file: Setting[str] = _akhbar("DKIM_KEY_FILE")
    dkim_private_key: Setting[str] = _akhbar("DKIM_PRIVATE_KEY")
    dkim_domain: Setting[str] = _akhbar("DKIM_DOMAIN")
    dkim_selector: Setting[str] = _akhbar("DKIM_SELECTOR")
    push_contact: Setting[str] = _akhbar("PUSH_CONTACT")
    push_ttl: Setting[int] = _akhbar("PUSH_TTL")
    push_extra_origins: Setting[list[str]] = _akhbar("PUSH_EXTRA_ORIGINS")
    # Content API and webhooks
    api_require_key: Setting[bool] = _api("REQUIRE_KEY")
    api_anon_per_minute: Setting[int] = _api("ANON_PER_MINUTE")
    api_cors_origins: Setting[list[str]] = _api("CORS_ORIGINS")
    api_max_age: Setting[int] = _api("MAX_AGE")
    webhook_timeout: Setting[int] = _api("WEBHOOK_TIMEOUT")
    webhook_auto_disable_after: Setting[int] = _api("WEBHOOK_AUTO_DISABLE_AFTER")
    # Wire exchange
    wire_root: Setting[str] = _wire("ROOT")
    wire_max_bytes: Setting[int] = _wire("MAX_BYTES")
    wire_max_embargo_days: Setting[int] = _wire("MAX_EMBARGO_DAYS")
    wire_batch_files: Setting[int] = _wire("BATCH_FILES")
    wire_batch_bytes: Setting[int] = _wire("BATCH_BYTES")
    wire_fetch_photos: Setting[bool] = _wire("FETCH_PHOTOS")

    def __repr__(self) -> str:
        return "<AkhbarSettings: akhbar.core.conf.akhbar_settings>"


def attributes() -> Mapping[str, Setting[Any]]:
    """Every attribute of :class:`AkhbarSettings` and where it reads (for tests and docs)."""
    return {
        name: value for name, value in vars(AkhbarSettings).items() if isinstance(value, Setting)
    }


#: The one instance apps import: ``from akhbar.core.conf import akhbar_settings``.
akhbar_settings = AkhbarSettings()
