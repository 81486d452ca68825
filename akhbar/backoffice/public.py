"""The back office's public interface: nothing, on purpose.

The back office (the admin site, the editors' dashboard) sits on top of the newsroom apps and
no app depends on it: Django reaches it through ``settings`` and the admin. Should another app
need something of it, it is re-exported here and imported from here, never from the app's
other modules (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

__all__: list[str] = []
