from django.urls import path

from akhbar.push import views

app_name = "push"

urlpatterns = [
    path("key/", views.public_key, name="key"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
