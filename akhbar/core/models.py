from django.db import models


class Counter(models.Model):
    """One named counter; ``expires_at`` (Unix seconds) starts a new window when passed."""

    key = models.CharField(max_length=200, primary_key=True)
    value = models.BigIntegerField(default=0)
    expires_at = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "عدّاد"
        verbose_name_plural = "العدّادات"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
