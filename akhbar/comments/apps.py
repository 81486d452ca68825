from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "akhbar.comments"
    label = "comments"
    verbose_name = "التعليقات"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akhbar.antispam.public import register_lessons
        from akhbar.comments import services, subscribers

        subscribers.connect()
        register_lessons(services.taught_lessons)
