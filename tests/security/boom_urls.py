"""The site's URLs plus one view that fails, to see the 500 page's headers."""

from django.urls import path

from akhbar.urls import handler400, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *urlpatterns]
