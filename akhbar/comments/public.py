"""The comments app's public interface: the personal-data and spam upkeep the worker runs.

Other apps import this module and ``akhbar.comments.models``, never the app's other modules
(docs/architecture.md, "Apps"; import-linter checks it). Everything else other apps learn of
comments comes through events (``CommentApproved``, ``CommentRemoved``).
"""

from __future__ import annotations

from akhbar.comments.services import erase_personal_data, purge_spam

__all__ = ["erase_personal_data", "purge_spam"]
