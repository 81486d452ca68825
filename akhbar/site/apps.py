from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "akhbar.site"
    label = "site"
    verbose_name = "الموقع"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Follows the newsroom through the pipeline's events (akhbar.core.events).
        from akhbar.site import subscribers

        subscribers.connect()
