from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure every app may use: events, network helpers, the SSRF-guarded
    HTTP client, security headers and atomic counters (the only model here)."""

    name = "akhbar.core"
    label = "core"
    verbose_name = "البنية المشتركة"
    default_auto_field = "django.db.models.BigAutoField"
