"""Readers' comments. The email, IP and user agent are private: never rendered to readers."""

from __future__ import annotations

from typing import Any

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

    #: Fields readers see of an approved comment.
    VISIBLE_FIELDS = frozenset({"status", "body", "author_name", "author_url", "parent", "depth"})
    # Not a field: the status as loaded, to tell what a save changed (from_db, save).
    _loaded_status: str | None

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Comment:
        instance = super().from_db(db, field_names, values)
        # Read from __dict__: comments loaded with .only() without "status" (the public
        # list) would otherwise fetch it with one query per comment.
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:  # noqa: DJ012
        """Save, then emit CommentApproved (visible now, or its visible text changed) or
        CommentRemoved (an approved comment stopped being visible) after commit."""
        from akhbar.core import events

        update_fields = kwargs.get("update_fields")
        before = getattr(self, "_loaded_status", None)
        if self.pk is not None and before is None and not self._state.adding:
            before = Comment.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        super().save(*args, **kwargs)
        now = self.__dict__.get("status")
        self._loaded_status = now
        approved = self.Status.APPROVED
        if now == approved and (
            before != approved or update_fields is None or set(update_fields) & self.VISIBLE_FIELDS
        ):
            events.emit(events.CommentApproved(comment_id=self.pk, article_id=self.article_id))
        elif before == approved and now != approved:
            events.emit(events.CommentRemoved(comment_id=self.pk, article_id=self.article_id))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from akhbar.core import events

        pk, article_id, status = self.pk, self.article_id, self.__dict__.get("status")
        result = super().delete(*args, **kwargs)
        if status == self.Status.APPROVED:
            events.emit(events.CommentRemoved(comment_id=pk, article_id=article_id))
        return result
