from django.contrib import admin

from akhbar.newsroom.models import Article, Author, Category, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "slug"]
    list_select_related = ["user"]
    search_fields = ["display_name", "slug"]
    prepopulated_fields = {"slug": ["display_name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "published_at",
        "category",
        "author",
        "is_breaking",
        "is_featured",
    ]
    list_filter = ["status", "is_breaking", "is_featured", "category"]
    list_select_related = ["category", "category__parent", "author"]
    search_fields = ["title", "excerpt"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags", "author", "category"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "body"]}),
        ("النشر", {"fields": ["status", "published_at", "author", "category", "tags"]}),
        ("العرض", {"fields": ["is_breaking", "is_featured", "comments_open"]}),
        ("الصورة", {"fields": ["featured_image", "image_caption", "image_credit"]}),
        ("المصدر", {"fields": ["source_name", "source_url"], "classes": ["collapse"]}),
        ("التواريخ", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
