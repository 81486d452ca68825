from typing import Any

from django.core.management.base import BaseCommand

from akhbar.comments.services import erase_personal_data, purge_spam


class Command(BaseCommand):
    help = (
        "Delete spam older than AKHBAR_SPAM_PURGE_DAYS (never under 15 days) and erase IP "
        "addresses and user agents older than AKHBAR_COMMENT_PERSONAL_DATA_DAYS (default 60). "
        "Run it daily from cron or a systemd timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        spam = purge_spam()
        erased = erase_personal_data()
        self.stdout.write(
            f"Deleted {spam} spam comments; erased IP/user agent from {erased} comments."
        )
