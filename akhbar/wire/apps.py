from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "akhbar.wire"
    label = "wire"
    verbose_name = "وكالات الأنباء"
    default_auto_field = "django.db.models.BigAutoField"
