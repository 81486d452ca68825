from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "akhbar.live"
    label = "live"
    verbose_name = "التغطيات المباشرة"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akhbar.live import subscribers

        subscribers.connect()
