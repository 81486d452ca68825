from django.urls import path

from akhbar.comments import views

app_name = "comments"

urlpatterns = [
    path("state/<int:article_id>/", views.form_state, name="state"),
    path("post/<int:article_id>/", views.post, name="post"),
]
