from django.urls import path

from akhbar.live import feeds, views

app_name = "live"

urlpatterns = [
    path("<int:pk>/updates.json", views.updates, name="updates"),
    path("entry/<int:pk>/", views.entry, name="entry"),
    path("<int:pk>/feed/rss/", feeds.CoverageRss(), name="rss"),
    path("<int:pk>/feed/atom/", feeds.CoverageAtom(), name="atom"),
    # Reporters (staff only; never cached)
    path("desk/", views.desk, name="desk"),
    path("<int:pk>/post/", views.post, name="post"),
    path("<int:pk>/draft/", views.draft, name="draft"),
    path("<int:pk>/state/", views.coverage_state, name="state"),
    path("entry/<int:pk>/edit/", views.edit, name="edit"),
]
