from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "akhbar.newsletters"
    label = "newsletters"
    verbose_name = "النشرات البريدية"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akhbar.core import events
        from akhbar.newsletters import handlers

        events.subscribe(
            events.ArticlePublished, handlers.on_article_published, name="newsletters", batch=True
        )
