from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "akhbar.search"
    label = "search"
    verbose_name = "البحث"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Follows the newsroom through the pipeline's events (akhbar.core.events).
        from akhbar.search import subscribers

        subscribers.connect()
