"""The newsletters app's public interface: nothing, on purpose.

Newsletters hears of publications through events and is reached through its URLs, its admin
and its jobs; no app calls it (push, which it sends breaking alerts through, is below it).
Should another app need something of it, it is re-exported here and imported from here, never
from the app's other modules (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

__all__: list[str] = []
