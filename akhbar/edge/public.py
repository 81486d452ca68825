"""The edge app's public interface: nothing, on purpose.

Edge purges hear of every change through events (``akhbar.core.events``) and tag pages with
surrogate keys through ``akhbar.core.surrogate``; no app calls it. Should another app need
something of it, it is re-exported here and imported from here, never from the app's other
modules (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

__all__: list[str] = []
