from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "akhbar.pipeline"
    label = "pipeline"
    verbose_name = "خط النشر والمهام"
    default_auto_field = "django.db.models.BigAutoField"
