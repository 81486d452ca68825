from django.contrib import admin

from akhbar.antispam.models import AntispamSettings
from akhbar.core.admin import SingletonAdmin


@admin.register(AntispamSettings)
class AntispamSettingsAdmin(SingletonAdmin):
    pass
