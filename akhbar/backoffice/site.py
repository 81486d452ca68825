"""The admin site a newsroom opens: Arabic names, newsroom order, and a dashboard home."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from akhbar.backoffice import dashboard
from akhbar.newsroom.public import profile_for

#: Apps in the order a newsroom works: writing first, moderation, the site, tools; the
#: one-off import last. Apps not listed keep their alphabetical place before "importers".
APP_ORDER = [
    "newsroom",
    "comments",
    "site",
    "related",
    "antispam",
    "auth",
    "django_tasks_database",
    "importers",
]
MODEL_ORDER = {"newsroom": ["Article", "Category", "Tag", "Author"]}
#: Arabic names for third-party apps that ship without an Arabic translation.
APP_NAMES = {"django_tasks_database": "المهام الخلفية"}
MODEL_NAMES = {"DBTaskResult": "نتائج المهام"}


class NewsroomAdminSite(admin.AdminSite):
    site_header = "إدارة أخبار"
    site_title = "إدارة أخبار"
    index_title = "غرفة الأخبار"
    index_template = "admin/backoffice/dashboard.html"
    # The list and the editor need the width more than a second menu does (the dashboard
    # and the breadcrumbs lead everywhere).
    enable_nav_sidebar = False

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        apps = super().get_app_list(request, app_label)
        last = APP_ORDER.index("importers")

        def app_key(app: dict) -> tuple[float, str]:
            label = app["app_label"]
            return (APP_ORDER.index(label) if label in APP_ORDER else last - 0.5, app["name"])

        apps.sort(key=app_key)
        for app in apps:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get(model["object_name"], model["name"])
            order = MODEL_ORDER.get(app["app_label"])
            if order:
                app["models"].sort(
                    key=lambda m: (
                        order.index(m["object_name"]) if m["object_name"] in order else len(order)
                    )
                )
        return apps

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        profile_for(request.user)
        context: dict[str, Any] = {
            "dashboard_blocks": dashboard.blocks(request.user),
            "can_add_article": request.user.has_perm("newsroom.add_article"),
            **(extra_context or {}),
        }
        return super().index(request, context)
