"""The admin's article form: Arabic messages for every bad input, never a 500."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from akhbar.newsroom import images, roles, services
from akhbar.newsroom.html import sanitize_html
from akhbar.newsroom.models import Article

MIN_YEAR, MAX_YEAR = 1900, 2200
_SLUG_OK = re.compile(r"^[\w-]+$", re.UNICODE)


def validate_slug_text(value: str) -> str:
    """An editable slug: Arabic letters kept, but no path tricks and not only punctuation."""
    value = unicodedata.normalize("NFC", (value or "").strip())
    if "/" in value or "\\" in value:
        raise ValidationError("لا يجوز أن يحتوي المعرّف في الرابط على الشرطة المائلة «/».")
    if ".." in value or value.startswith("."):
        raise ValidationError("لا يجوز أن يحتوي المعرّف في الرابط على «..».")
    if value and not any(ch.isalnum() for ch in value):
        raise ValidationError("يجب أن يحتوي المعرّف في الرابط على حرف أو رقم واحد على الأقل.")
    if value and not _SLUG_OK.match(value):
        raise ValidationError(
            "يقبل المعرّف في الرابط الحروف والأرقام والشرطة «-» فقط، دون مسافات أو علامات ترقيم."
        )
    return value


class RichTextWidget(forms.Textarea):
    """A textarea that newsroom/editor.js turns into a small RTL toolbar editor (no CDN)."""

    template_name = "newsroom/widgets/richtext.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"rows": 18, "dir": "rtl", "data-richtext": "1", **(attrs or {})})

    class Media:
        js = ["newsroom/editor.js"]
        css = {"all": ["newsroom/editor.css"]}


class ArticleImageWidget(forms.ClearableFileInput):
    """A thumbnail of the current image and an Arabic file button (newsroom/widgets/image.html).

    The browser's own file input says "Choose File / No file chosen" in the browser's
    language, whatever the page's; the real input stays (visually hidden, keyboard reachable)
    behind an Arabic label, and backoffice/admin.js previews the chosen file.
    """

    template_name = "newsroom/widgets/image.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"accept": "image/jpeg,image/png,image/webp,image/gif", **(attrs or {})})


#: Search engines show about 60 characters of a title and 160 of a description.
SEO_TITLE_MAX = 60
DESCRIPTION_MAX = 160


class ArticleImageField(forms.ImageField):
    """Checked by content with our own Arabic messages; re-encoded without metadata by the
    background job that makes the renditions (see ``images.accept_upload``)."""

    def to_python(self, data: Any) -> Any:
        f = forms.FileField.to_python(self, data)
        if f is None:
            return None
        return images.accept_upload(f, f.name)


class ArticleAdminForm(forms.ModelForm):
    """Gets the requesting user (set by ArticleAdmin.get_form) to apply the role rules."""

    user: Any = None
    # A plain CharField so our Arabic explanations replace the generic "invalid slug".
    slug = forms.CharField(label="المعرّف في الرابط", max_length=200, required=False)
    source_url = forms.URLField(
        label="رابط المصدر", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "excerpt", "body", "status", "published_at", "author", "category",
            "tags", "is_breaking", "is_featured", "comments_open", "correction_note",
            "featured_image", "image_alt", "image_caption", "image_credit", "source_name",
            "source_url",
        ]  # fmt: skip
        widgets = {"body": RichTextWidget(), "featured_image": ArticleImageWidget()}
        field_classes = {"featured_image": ArticleImageField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "status" in self.fields and self.user is not None:
            allowed = roles.allowed_statuses(self.user, self.instance)
            status = cast(forms.ChoiceField, self.fields["status"])  # the model field's choices
            status.choices = [c for c in Article.Status.choices if c[0] in allowed]
        if "slug" in self.fields:
            self.fields[
                "slug"
            ].help_text = "يُولَّد من العنوان إن تُرك فارغاً (بالعربية). حروف وأرقام وشرطات فقط."
        if "featured_image" in self.fields:
            self.fields["featured_image"].help_text = (
                f"JPEG أو PNG أو WebP أو GIF، حتى {images.max_bytes() // 1048576} ميغابايت."
                " تُحذف بيانات الموقع (GPS) تلقائياً."
            )

        # Live counters (backoffice/admin.js): what search engines and shares will show.
        if "title" in self.fields:
            self.fields["title"].widget.attrs.update(
                {"data-counter": SEO_TITLE_MAX, "data-counter-label": "عنوان محركات البحث"}
            )
        if "excerpt" in self.fields:
            self.fields["excerpt"].widget.attrs.update(
                {"data-counter": DESCRIPTION_MAX, "data-counter-label": "الوصف", "rows": 3}
            )
            self.fields["excerpt"].help_text = (
                "يظهر تحت العنوان في الصفحة الرئيسية ونتائج البحث والمشاركات؛"
                f" الأفضل ألا يزيد على {DESCRIPTION_MAX} حرفاً. يُولَّد من أول فقرة إن تُرك فارغاً."
            )
        tags = self.fields.get("tags")
        if tags is not None:
            # admin.js adds "وسم جديد" beside the field and creates the tag there.
            # The admin wraps the select (RelatedFieldWidgetWrapper): the inner one is the input.
            inner = cast(forms.Widget, getattr(tags.widget, "widget", tags.widget))
            inner.attrs["data-ensure-url"] = reverse("related:ensure_tag")
        published = self.fields.get("published_at")
        if published is not None and hasattr(published.widget, "widgets"):
            date_widget, time_widget = published.widget.widgets
            date_widget.attrs.update({"placeholder": "سنة-شهر-يوم", "aria-label": "تاريخ النشر"})
            time_widget.attrs.update({"placeholder": "ساعة:دقيقة", "aria-label": "وقت النشر"})
            published.help_text = (
                "مثال: 2026-12-01 و18:35. تاريخ لاحق يجدول المقال، ويُنشر وحده في موعده."
            )

    def clean_slug(self) -> str:
        return validate_slug_text(self.cleaned_data.get("slug", ""))

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data.get("body", ""))

    def clean_published_at(self) -> Any:
        value = self.cleaned_data.get("published_at")
        if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValidationError(f"تاريخ النشر يجب أن يكون بين عامي {MIN_YEAR} و{MAX_YEAR}.")
        return value

    def _proposed(self, data: dict) -> Article:
        """The article as it would be saved (for the role checks), without touching it."""
        proposed = Article(pk=self.instance.pk)
        proposed.author = data.get(
            "author", self.instance.author if self.instance.author_id else None
        )
        proposed.is_breaking = data.get("is_breaking", self.instance.is_breaking)
        proposed.published_at = data.get("published_at", self.instance.published_at)
        return proposed

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean returns
        if self.user is None:
            return data
        status = data.get("status") or self.instance.status
        try:
            services.check_transition(self.user, self.instance, status)
        except PermissionDenied as exc:
            raise ValidationError({"status": str(exc)}) from exc
        for name, message in roles.editor_only_problems(self.user, self._proposed(data)).items():
            self.add_error(name if name in self.fields else None, message)
        if status == Article.Status.PUBLISHED:
            has_image = data.get("featured_image") or (
                self.instance.featured_image and data.get("featured_image") is not False
            )
            if has_image and not (data.get("image_alt") or "").strip():
                self.add_error("image_alt", "النص البديل للصورة مطلوب قبل النشر.")
        return data
