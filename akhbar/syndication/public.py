"""The syndication app's public interface: how another app extends article metadata and the
news sitemap.

Live coverage adds its ``LiveBlogPosting`` schema to an article's JSON-LD and its articles to
the news sitemap through these registration hooks. Other apps import this module, never the
app's other modules (docs/architecture.md, "Apps"; import-linter checks it).
"""

from __future__ import annotations

from akhbar.syndication.metadata import register_article_schema
from akhbar.syndication.sitemaps import register_news_source

__all__ = ["register_article_schema", "register_news_source"]
