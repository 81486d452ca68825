from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from akhbar.accounts import views as accounts
from akhbar.api.api import api as api_v1
from akhbar.core.conf import akhbar_settings
from akhbar.core.headers import csp_report
from akhbar.pipeline.views import pipeline_health
from akhbar.push import views as push_views
from akhbar.wire.urls import output_urlpatterns as wire_output


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: with fingerprinted static files the name is only known after
    # collectstatic, not when this module is imported.
    return HttpResponsePermanentRedirect(static("akhbar/img/favicon.svg"))


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded files on a single-server install. A path the file system refuses (a name too
    long, a NUL, a loop) is a file that is not there: 404, not 500. (A FileResponse, or a 304
    when the reader has the file already.)"""
    try:
        return serve(request, path, document_root=str(settings.MEDIA_ROOT))
    except (OSError, ValueError) as exc:
        raise Http404("no such file") from exc


admin.site.site_header = "إدارة أخبار"
admin.site.site_title = "إدارة أخبار"
admin.site.index_title = "غرفة الأخبار"

urlpatterns = [
    path("admin/related/", include("akhbar.related.urls")),
    # security (#13): second factor and password reset, beside Django's admin login
    path("admin/", include("akhbar.accounts.urls")),
    path("admin/password_reset/", accounts.password_reset, name="admin_password_reset"),
    path("admin/password_reset/done/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "admin/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("admin/reset/done/", accounts.password_reset_complete, name="password_reset_complete"),
    # Pipeline: queue health for probes (JSON, 503 when no worker or the queue is stuck).
    path("health/pipeline", pipeline_health, name="pipeline-health"),
    path("admin/", admin.site.urls),
    path("api/v1/wire/", include((wire_output, "wire-out"))),
    path("api/v1/", api_v1.urls),
    path("wire/", include("akhbar.wire.urls")),
    path("favicon.ico", favicon),
    path("csp-report/", csp_report, name="csp-report"),
    path("comments/", include("akhbar.comments.urls")),
    path("search/", include("akhbar.search.urls")),
    path("newsletters/", include("akhbar.newsletters.urls")),
    path("push/", include("akhbar.push.urls")),
    path("push-sw.js", push_views.service_worker, name="push-sw"),
    path("live/", include("akhbar.live.urls")),
    path("", include("akhbar.syndication.urls")),
    path("", include("akhbar.site.urls")),
]

if "django_rq" in settings.INSTALLED_APPS:  # the Redis queue's own pages (staff only)
    urlpatterns.insert(0, path("admin/rq/", include("django_rq.urls")))

if akhbar_settings.serve_media:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", media))

handler400 = "akhbar.site.views.bad_request"
handler404 = "akhbar.site.views.not_found"
handler500 = "akhbar.site.views.server_error"
