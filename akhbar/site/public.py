"""The site app's public interface: what the feeds and live pages share with the public pages.

Other apps import this module and ``akhbar.site.models`` (site settings, static pages), never
the app's other modules (docs/architecture.md, "Apps"; import-linter checks it). Live coverage
adds a part to the page cache's key with ``register_key_part``; the corrections feed lists what
the corrections page lists.
"""

from __future__ import annotations

from akhbar.site.cache import register_key_part
from akhbar.site.services import corrections_listing

__all__ = ["corrections_listing", "register_key_part"]
