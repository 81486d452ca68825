from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "akhbar.search"
    label = "search"
    verbose_name = "البحث"
    default_auto_field = "django.db.models.BigAutoField"
