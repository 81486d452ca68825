"""The accounts app's public interface: nothing, on purpose.

No app calls staff login or the second factor: Django and the root URLconf reach them
(middleware, authentication backend, the password-reset views). Should another app need
something of accounts, it is re-exported here and imported from here, never from the app's
other modules (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

__all__: list[str] = []
