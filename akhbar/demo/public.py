"""The demo app's public interface: nothing, on purpose.

The demo newsroom (``manage.py load_demo``) fills the other apps' tables through their public
interfaces; no app depends on it, so a site can leave it out. Should that change, what others
need is re-exported here and imported from here (docs/architecture.md, "Apps"; import-linter
checks it).
"""

from __future__ import annotations

__all__: list[str] = []
