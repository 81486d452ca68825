"""The pipeline app's public interface: nothing, on purpose.

The worker, the scheduler and the health checks sit on top of every app (they run every
app's jobs); no app depends on them. The root URLconf mounts ``/health/pipeline`` from its
views, as it mounts every app's pages. Should another app need something of it, it is
re-exported here and imported from here (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

__all__: list[str] = []
