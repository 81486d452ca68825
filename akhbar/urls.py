from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: with fingerprinted static files the name is only known after
    # collectstatic, not when this module is imported.
    return HttpResponsePermanentRedirect(static("akhbar/img/favicon.svg"))


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files on a single-server install. A path the file system refuses (a name too
    long, a NUL, a loop) is a file that is not there: 404, not 500."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError) as exc:
        raise Http404("no such file") from exc


admin.site.site_header = "إدارة أخبار"
admin.site.site_title = "إدارة أخبار"
admin.site.index_title = "غرفة الأخبار"

urlpatterns = [
    path("admin/related/", include("akhbar.related.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("comments/", include("akhbar.comments.urls")),
    path("search/", include("akhbar.search.urls")),
    path("", include("akhbar.syndication.urls")),
    path("", include("akhbar.site.urls")),
]

if settings.AKHBAR_SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", media))

handler400 = "akhbar.site.views.bad_request"
handler404 = "akhbar.site.views.not_found"
handler500 = "akhbar.site.views.server_error"
