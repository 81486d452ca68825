from django.apps import AppConfig


class EdgeConfig(AppConfig):
    """Edge cache invalidation: domain events become surrogate-key purges sent to Varnish."""

    name = "akhbar.edge"
    label = "edge"
    verbose_name = "ذاكرة الحافة"

    def ready(self) -> None:
        from akhbar.edge import subscribers

        subscribers.connect()
