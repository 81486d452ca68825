from django.urls import path

from akhbar.related import views

app_name = "related"

urlpatterns = [
    path("tag-suggestions/", views.tag_suggestions, name="tag_suggestions"),
    path("tags/ensure/", views.ensure_tag, name="ensure_tag"),
]
