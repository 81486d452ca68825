"""What the search index stores: the analysed terms of each searchable article.

One row per article, on every database. The engine-specific index is built from these rows
by the database itself, so Python writes the same thing whatever the engine:

* SQLite: the FTS5 table ``search_fts`` (title, body and facet terms) uses this table as
  its *external content*, kept in step by triggers (migrations 0001, 0004). External
  content rather than contentless because SQLite 3.40 (Debian 12) cannot delete from a
  contentless table without being handed the old terms, and FTS5 can be rebuilt from here
  without re-analysing a single article.
* PostgreSQL: a generated ``document`` tsvector column (title weight A, body weight B) with a
  GIN index, also added by migration 0001, and a generated ``facets`` tsvector with its own
  GIN index (migration 0004), and the title's terms alone as ``title_document`` with a GIN
  index for suggestions (migration 0005); Django never reads or writes them directly.
"""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    article = models.OneToOneField(
        "newsroom.Article",
        verbose_name="المقال",
        primary_key=True,
        related_name="search_entry",
        on_delete=models.CASCADE,
    )
    # Space-joined output of akhbar.arabic.analyze(): stems, never raw text, so the engines'
    # own tokenizers (which split Arabic words at tashkeel) never see a diacritic.
    title_terms = models.TextField("مصطلحات العنوان", blank=True)
    body_terms = models.TextField("مصطلحات النص", blank=True)
    # Section, author and UTC month as index terms ("c12 a3 m202611", see
    # akhbar.search.terms): filters become terms the engine intersects itself, not a join.
    facet_terms = models.TextField("مصطلحات التصفية", blank=True, default="")

    class Meta:
        verbose_name = "مدخل فهرس البحث"
        verbose_name_plural = "فهرس البحث"

    def __str__(self) -> str:
        return f"search entry {self.article_id}"
