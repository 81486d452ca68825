from django.urls import path

from akhbar.wire import views

app_name = "wire"

urlpatterns = [
    path("push/<int:pk>/", views.push, name="push"),
]

# Mounted under /api/v1/wire/ (akhbar/urls.py) so keys, rate limits and ETags apply.
output_urlpatterns = [
    path("ninjs/<int:pk>.json", views.ninjs_article, name="ninjs-article"),
    path("newsml/<int:pk>.xml", views.newsml_article, name="newsml-article"),
    path("ninjs/feed.json", views.ninjs_feed, name="ninjs-feed"),
    path("newsml/feed.xml", views.newsml_feed, name="newsml-feed"),
]
