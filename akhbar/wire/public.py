"""The wire app's public interface: nothing, on purpose.

Agency wires come in through folders, polled URLs and the upload view, and go out through the
feeds the root URLconf mounts from ``akhbar.wire.urls``; no app calls wire. Should another app
need something of it, it is re-exported here and imported from here, never from the app's
other modules (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

__all__: list[str] = []
