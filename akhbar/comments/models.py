"""Readers' comments. The email, IP and user agent are private: never rendered to readers."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "بانتظار المراجعة"
        APPROVED = "approved", "مقبول"
        SPAM = "spam", "مزعج"
        TRASH = "trash", "محذوف"

    article = models.ForeignKey(
        "newsroom.Article",
        verbose_name="المقال",
        related_name="comments",
        on_delete=models.CASCADE,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="ردّ على",
        null=True,
        blank=True,
        related_name="replies",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="حساب الموظف",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    author_name = models.CharField("الاسم", max_length=100)
    author_email = models.EmailField("البريد الإلكتروني", max_length=254)
    author_url = models.URLField("الموقع", max_length=300, blank=True)
    body = models.TextField("التعليق", max_length=10_000)
    status = models.CharField(
        "الحالة", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField("التاريخ", auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField("عنوان IP", null=True, blank=True)
    user_agent = models.CharField("المتصفح", max_length=500, blank=True)
    spam_reasons = models.JSONField("أسباب التصنيف", default=list, blank=True)
    depth = models.PositiveSmallIntegerField("العمق", default=0)
    spam_probability = models.FloatField("احتمال الإزعاج", null=True, blank=True)
    # What the local classifier was taught from this comment, so a moderator changing their
    # mind un-teaches it exactly instead of counting the comment twice.
    learned_as = models.CharField(max_length=4, blank=True, editable=False)

    class Meta:
        verbose_name = "تعليق"
        verbose_name_plural = "التعليقات"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_listing")]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"
