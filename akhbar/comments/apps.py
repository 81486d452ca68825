from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "akhbar.comments"
    label = "comments"
    verbose_name = "التعليقات"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akhbar.comments import subscribers

        subscribers.connect()
