from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "akhbar.api"
    label = "api"
    verbose_name = "واجهة المحتوى والخطافات"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akhbar.api import webhooks

        webhooks.subscribe_all()
