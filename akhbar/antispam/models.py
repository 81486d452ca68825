"""What the spam filter keeps: the moderators' settings and the learned model."""

from __future__ import annotations

from typing import Any

from django.db import models


class AntispamSettings(models.Model):
    """Editable in the admin; one row (pk=1)."""

    disallowed_keys = models.TextField(
        "كلمات وعناوين محظورة",
        blank=True,
        help_text=(
            "كلمة أو عبارة أو بريد أو عنوان IP في كل سطر. يُعدّ التعليق مزعجاً إذا احتوى اسمه أو "
            "بريده أو موقعه أو نصه أو عنوانه على أي منها (بعد توحيد الكتابة العربية)."
        ),
    )
    hold_keys = models.TextField(
        "كلمات تستدعي المراجعة",
        blank=True,
        help_text="مثل السابق، لكن التعليق يُحتجز للمراجعة بدلاً من اعتباره مزعجاً.",
    )
    max_links = models.PositiveSmallIntegerField("أقصى عدد للروابط قبل الاحتجاز", default=2)
    hold_first_time_commenters = models.BooleanField(
        "احتجاز تعليقات المعلّقين الجدد للمراجعة", default=True
    )
    min_seconds_to_submit = models.PositiveSmallIntegerField(
        "أقل مدة بالثواني بين فتح النموذج والإرسال", default=3
    )

    class Meta:
        verbose_name = "إعدادات مكافحة الرسائل المزعجة"
        verbose_name_plural = "إعدادات مكافحة الرسائل المزعجة"

    def __str__(self) -> str:
        return "إعدادات مكافحة الرسائل المزعجة"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> AntispamSettings:
        found, _ = cls.objects.get_or_create(pk=1)
        return found


class ClassifierState(models.Model):
    """The learned spam model as JSON, so every app server shares what moderators taught it."""

    name = models.CharField(max_length=50, unique=True, default="comments")
    state = models.JSONField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "نموذج التصنيف"
        verbose_name_plural = "نماذج التصنيف"

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
