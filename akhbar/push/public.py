"""The push app's public interface: queue a breaking-news alert to every browser subscribed.

Newsletters sends the breaking alert an editor confirms by email and, through this, by web push;
it counts subscribers with ``akhbar.push.models.PushSubscription``. Other apps import this
module and the models, never the app's other modules (docs/architecture.md, "Apps";
import-linter checks it).
"""

from __future__ import annotations

from akhbar.push.services import queue_alert

__all__ = ["queue_alert"]
