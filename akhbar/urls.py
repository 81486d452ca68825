from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from akhbar.api.api import api as api_v1
from akhbar.wire.urls import output_urlpatterns as wire_output


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: with fingerprinted static files the name is only known after
    # collectstatic, not when this module is imported.
    return HttpResponsePermanentRedirect(static("akhbar/img/favicon.svg"))


admin.site.site_header = "إدارة أخبار"
admin.site.site_title = "إدارة أخبار"
admin.site.index_title = "غرفة الأخبار"

urlpatterns = [
    path("admin/related/", include("akhbar.related.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/wire/", include((wire_output, "wire-out"))),
    path("api/v1/", api_v1.urls),
    path("wire/", include("akhbar.wire.urls")),
    path("favicon.ico", favicon),
    path("comments/", include("akhbar.comments.urls")),
    path("search/", include("akhbar.search.urls")),
    path("", include("akhbar.syndication.urls")),
    path("", include("akhbar.site.urls")),
]

if settings.AKHBAR_SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler400 = "akhbar.site.views.bad_request"
handler404 = "akhbar.site.views.not_found"
handler500 = "akhbar.site.views.server_error"
