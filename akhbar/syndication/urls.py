"""Machine-readable endpoints. Included at the root before the site's own URLs.

Feed URLs hang under the page they describe (``/category/<slug>/feed/``), which is where
readers and WordPress users expect them; ``/feed/atom/`` variants serve Atom 1.0.
"""

from django.urls import path

from akhbar.syndication import feeds, views

app_name = "syndication"


def _feed_pair(prefix: str, feed_class: type, name: str) -> list:
    return [
        path(f"{prefix}feed/", views.feed_view(feed_class), name=f"{name}-rss"),
        path(f"{prefix}feed/atom/", views.feed_view(feeds.atom(feed_class)), name=f"{name}-atom"),
    ]


urlpatterns = [
    *_feed_pair("", feeds.ArticleFeed, "site"),
    *_feed_pair("category/<str:slug>/", feeds.CategoryFeed, "category"),
    *_feed_pair("tag/<str:slug>/", feeds.TagFeed, "tag"),
    *_feed_pair("author/<str:slug>/", feeds.AuthorFeed, "author"),
    *_feed_pair("news/<str:slug>/comments/", feeds.CommentsFeed, "comments"),
    *_feed_pair("corrections/", feeds.CorrectionsFeed, "corrections"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
