from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "akhbar.push"
    label = "push"
    verbose_name = "إشعارات المتصفح"
    default_auto_field = "django.db.models.BigAutoField"
