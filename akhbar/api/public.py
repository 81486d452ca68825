"""The API app's public interface: its representation of articles, for other outputs.

The wire feeds (NewsML-G2, ninjs) say what the Content API says about an article, so they build
on the same dicts. Other apps import this module and ``akhbar.api.models``, never the app's
other modules (docs/architecture.md, "Apps"; import-linter checks it). (Not ``akhbar.api.api``:
that is the django-ninja API object the root URLconf mounts.)
"""

from __future__ import annotations

from akhbar.api.representation import api_queryset, article_dict, site_name

__all__ = ["api_queryset", "article_dict", "site_name"]
