from django.urls import path

from akhbar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("2fa/verify/", views.verify, name="2fa-verify"),
    path("2fa/setup/", views.setup, name="2fa-setup"),
]
