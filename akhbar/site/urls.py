from django.urls import path

from akhbar.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<str:slug>/", views.article, name="article"),
    path("category/<str:slug>/", views.category, name="category"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("author/<str:slug>/", views.author, name="author"),
    path("p/<str:slug>/", views.page, name="page"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("preview/s/<str:token>/", views.preview_signed, name="preview_signed"),
    path("hit/<int:pk>/", views.hit, name="hit"),
]
