from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "akhbar.site"
    label = "site"
    verbose_name = "الموقع"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Follows the newsroom through the pipeline's events (akhbar.core.events).
        from akhbar.core import text
        from akhbar.site import subscribers
        from akhbar.site.models import SiteSettings

        subscribers.connect()
        # The interface's numeral system (akhbar.core.text) is this app's site setting.
        text.set_numeral_provider(lambda: SiteSettings.current().numerals)
