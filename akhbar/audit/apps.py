from django.apps import AppConfig


class AuditConfig(AppConfig):
    """An append-only log of staff actions (logins, role changes, publications, settings)."""

    name = "akhbar.audit"
    label = "audit"
    verbose_name = "سجل التدقيق"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akhbar.audit import receivers

        receivers.connect()
