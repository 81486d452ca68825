"""The importers' public interface: reading RSS/Atom entries the way partner feeds do.

Wire ingest reads agency RSS/Atom with the partner feeds' rules (which date, which GUID when an
entry has none, the WordPress-style body cleaned the same way), so an item means the same thing
whichever way it arrives. Other apps import this module and ``akhbar.importers.models``, never
the app's other modules (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

from akhbar.importers.feeds import _entry_body as feed_entry_body
from akhbar.importers.feeds import _entry_date as feed_entry_date
from akhbar.importers.feeds import _entry_guid as feed_entry_guid

__all__ = ["feed_entry_body", "feed_entry_date", "feed_entry_guid"]
