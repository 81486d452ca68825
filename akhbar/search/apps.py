from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "akhbar.search"
    label = "search"
    verbose_name = "البحث"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The index follows the newsroom through signals, so no other app needs to know
        # search exists. Bulk ORM writes (queryset.update, bulk_create) send no signals:
        # run `manage.py reindex` after those.
        from akhbar.search import signals

        signals.connect()
