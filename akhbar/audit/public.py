"""The audit app's public interface: record a staff action in the log.

Other apps import this module and ``akhbar.audit.models``, never the app's other modules
(docs/architecture.md, "Apps"; import-linter checks it). Most actions reach the log through
events and the admin's own hooks; ``record`` is for those that have neither (a login refused).
"""

from __future__ import annotations

from akhbar.audit.services import record

__all__ = ["record"]
