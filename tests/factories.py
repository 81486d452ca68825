"""Small builders for real model instances (no mocks of our own code)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from akhbar.comments.models import Comment
from akhbar.newsroom.models import Article, Author, Category, Tag

_seq = itertools.count(1)

PARAGRAPHS = [
    "أعلنت البلدية اليوم عن خطة جديدة لتطوير شبكة النقل العام في المدينة خلال السنوات المقبلة.",
    "وقال المتحدث باسم البلدية إن المشروع يشمل خطوطاً جديدة للحافلات ومحطات حديثة.",
    "ويتوقع الخبراء أن يخفف المشروع من الازدحام المروري في ساعات الذروة.",
    "من جهتهم، رحّب السكان بالخطة وطالبوا بالإسراع في تنفيذها.",
    "وتبلغ الكلفة الإجمالية للمشروع نحو مئتي مليون دينار تموّلها الحكومة والقطاع الخاص.",
    "وأشار التقرير إلى أن المرحلة الأولى ستنتهي قبل نهاية العام المقبل.",
    "كما تتضمن الخطة مسارات آمنة للدراجات الهوائية وممرات للمشاة.",
    "ودعت جمعيات البيئة إلى الاستفادة من الطاقة الشمسية في تشغيل المحطات.",
]


def category(name: str | None = None, parent: Category | None = None) -> Category:
    n = next(_seq)
    return Category.objects.create(name=name or f"قسم {n}", slug=f"cat-{n}", parent=parent)


def tag(name: str | None = None) -> Tag:
    n = next(_seq)
    return Tag.objects.create(name=name or f"وسم {n}", slug=f"tag-{n}")


def author(name: str | None = None) -> Author:
    n = next(_seq)
    return Author.objects.create(display_name=name or f"كاتب {n}", slug=f"author-{n}")


def article(**kwargs: Any) -> Article:
    n = next(_seq)
    tags = kwargs.pop("tags", [])
    paragraphs = kwargs.pop("paragraphs", 3)
    defaults: dict[str, Any] = {
        "title": f"خبر تجريبي رقم {n}",
        "slug": f"خبر-{n}",
        "body": "".join(f"<p>{PARAGRAPHS[i % len(PARAGRAPHS)]}</p>" for i in range(paragraphs)),
        "status": Article.Status.PUBLISHED,
        # Seconds apart: newest-first order is deterministic and every article stays "recent".
        "published_at": timezone.now() - timedelta(seconds=n),
    }
    defaults.update(kwargs)
    if "category" not in defaults:
        defaults["category"] = category()
    item = Article(**defaults)
    # Tags in the same save (the write path), so its one event already knows them.
    item._pending_tag_ids = [getattr(t, "pk", t) for t in tags]
    item.save()
    return item


def comment(article: Article, **kwargs: Any) -> Comment:
    defaults: dict[str, Any] = {
        "author_name": "قارئ",
        "author_email": "reader@example.org",
        "body": "تعليق مفيد، شكراً.",
        "status": Comment.Status.APPROVED,
    }
    defaults.update(kwargs)
    return Comment.objects.create(article=article, **defaults)
