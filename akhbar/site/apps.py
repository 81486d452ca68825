from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "akhbar.site"
    label = "site"
    verbose_name = "الموقع"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akhbar.core import text
        from akhbar.site import signals
        from akhbar.site.models import SiteSettings

        signals.connect()
        # The interface's numeral system (akhbar.core.text) is this app's site setting.
        text.set_numeral_provider(lambda: SiteSettings.current().numerals)
