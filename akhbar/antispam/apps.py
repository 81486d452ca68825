from django.apps import AppConfig


class AntispamConfig(AppConfig):
    name = "akhbar.antispam"
    label = "antispam"
    verbose_name = "مكافحة الرسائل المزعجة"
    default_auto_field = "django.db.models.BigAutoField"
