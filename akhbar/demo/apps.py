from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo newsroom (``akhbar load_demo``): sample articles, photos, comments and pages.

    Its own app because it fills every other app's tables (newsroom, comments, antispam,
    site); the newsroom app itself depends on no other Akhbar app.
    """

    name = "akhbar.demo"
    label = "demo"
    verbose_name = "الموقع التجريبي"
    default_auto_field = "django.db.models.BigAutoField"
