from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "akhbar.newsroom"
    label = "newsroom"
    verbose_name = "غرفة الأخبار"
    default_auto_field = "django.db.models.BigAutoField"
