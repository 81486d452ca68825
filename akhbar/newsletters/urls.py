from django.urls import path

from akhbar.newsletters import views

app_name = "newsletters"

urlpatterns = [
    path("", views.subscribe_page, name="subscribe_page"),
    path("state/", views.state, name="state"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("p/<str:token>/", views.preferences, name="preferences"),
    path("p/<str:token>/export/", views.export, name="export"),
    path("p/<str:token>/erase/", views.erase, name="erase"),
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("e/<str:key>/", views.edition, name="edition"),
    path("hooks/bounce/", views.bounce_webhook, name="bounce_webhook"),
]
