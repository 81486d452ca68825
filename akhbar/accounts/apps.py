from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: the user and group admin (no role escalation), login throttling,
    password reset and two-factor authentication."""

    name = "akhbar.accounts"
    label = "accounts"
    verbose_name = "الحسابات"
