"""Jobs of the API app (Django's tasks API)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> None:
    from akhbar.api import webhooks

    webhooks.attempt(delivery_id)
