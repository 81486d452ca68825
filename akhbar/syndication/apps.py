from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "akhbar.syndication"
    label = "syndication"
    verbose_name = "التغذية والخرائط"
    default_auto_field = "django.db.models.BigAutoField"
