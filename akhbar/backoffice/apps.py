"""The newsroom's admin shell: theme, order, dashboard. Models stay in their own apps."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BackofficeConfig(AppConfig):
    default = True
    name = "akhbar.backoffice"
    label = "backoffice"
    verbose_name = "غرفة الأخبار"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the newsroom's site (the documented way to swap it)."""

    default = False

    default_site = "akhbar.backoffice.site.NewsroomAdminSite"
