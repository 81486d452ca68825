from django.contrib import admin

from akhbar.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author_name", "article", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["article"]
    search_fields = ["author_name", "body"]
    raw_id_fields = ["article", "parent", "user"]
