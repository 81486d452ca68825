from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "akhbar.related"
    label = "related"
    verbose_name = "المقالات ذات الصلة"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Follows the newsroom through the pipeline's events (akhbar.core.events).
        from akhbar.related import subscribers

        subscribers.connect()
