"""Stored results of the related-articles engine and the editors' decisions about them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from akhbar.newsroom.models import Article


class RelatedArticle(models.Model):
    """One entry of an article's "related" block: computed, pinned or excluded.

    Computed rows are replaced on every recomputation; rows an editor pinned or excluded are
    kept, so an editorial decision survives edits and ``manage.py related --rebuild``.
    """

    article = models.ForeignKey(
        Article, verbose_name="المقال", related_name="related_links", on_delete=models.CASCADE
    )
    related = models.ForeignKey(
        Article, verbose_name="المقال ذو الصلة", related_name="+", on_delete=models.CASCADE
    )
    score = models.FloatField("درجة التشابه", default=0.0)
    pinned = models.BooleanField("مثبّت", default=False, help_text="يظهر أولاً دائماً.")
    excluded = models.BooleanField("مستبعد", default=False, help_text="لا يظهر أبداً.")
    computed_at = models.DateTimeField("وقت الحساب", auto_now=True)

    class Meta:
        verbose_name = "مقال ذو صلة"
        verbose_name_plural = "المقالات ذات الصلة"
        ordering = ["-pinned", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("related")), name="related_not_self"
            ),
        ]
        indexes = [models.Index(fields=["article", "excluded", "-pinned", "-score"])]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id}"

    def clean(self) -> None:
        if self.article_id and self.article_id == self.related_id:
            raise ValidationError("لا يمكن ربط المقال بنفسه.")
        if self.pinned and self.excluded:
            raise ValidationError("لا يمكن تثبيت المقال واستبعاده معاً.")


class ArticleFingerprint(models.Model):
    """An article's weighted terms and MinHash signature, kept so no process re-analyses it.

    ``updated_at`` is indexed: each process's in-memory index catches up on other processes'
    changes by reading only the rows changed since its last look.
    """

    article = models.OneToOneField(
        Article, primary_key=True, related_name="fingerprint", on_delete=models.CASCADE
    )
    terms = models.JSONField(default=dict)
    signature = models.BinaryField(blank=True, default=b"")
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "بصمة مقال"
        verbose_name_plural = "بصمات المقالات"

    def __str__(self) -> str:
        return f"بصمة المقال {self.article_id}"


class SignatureBand(models.Model):
    """One LSH band key of an article's MinHash: articles sharing a key are dup candidates."""

    key = models.BigIntegerField(db_index=True)
    article = models.ForeignKey(Article, related_name="+", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "مفتاح تشابه"
        verbose_name_plural = "مفاتيح التشابه"

    def __str__(self) -> str:
        return f"{self.key} → {self.article_id}"


class NearDuplicate(models.Model):
    """An article found ≥ 0.8 similar to an older one when it was saved (shown to editors)."""

    article = models.ForeignKey(
        Article, verbose_name="المقال", related_name="near_duplicates", on_delete=models.CASCADE
    )
    duplicate_of = models.ForeignKey(
        Article, verbose_name="يشبه", related_name="+", on_delete=models.CASCADE
    )
    similarity = models.FloatField("نسبة التشابه")
    detected_at = models.DateTimeField("وقت الاكتشاف", auto_now=True)

    class Meta:
        verbose_name = "مقال شبه مكرر"
        verbose_name_plural = "مقالات شبه مكررة"
        ordering = ["-similarity"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "duplicate_of"], name="near_duplicate_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} ≈ {self.duplicate_of_id} ({self.similarity:.0%})"


class ArticleRelations(Article):
    """The admin page "related articles of this article" (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "روابط مقال"
        verbose_name_plural = "روابط المقالات ذات الصلة"
