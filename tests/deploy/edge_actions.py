"""Newsroom actions run in a separate process against a test site's database, the way an
editor's request would run them: ``python -m tests.deploy.edge_actions ACTION JSON``.

Each action commits, then prints a JSON line with what it did and ``committed_at``
(``time.time()`` just after the commit), from which the test measures publish-to-visible.
The domain events come from the write path itself (``Article.save`` → ``newsroom.services``,
``Comment.save``), as they do for an editor in the admin.
"""

from __future__ import annotations

import json
import sys
import time

import django


def main() -> None:
    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from akhbar.comments.models import Comment
    from akhbar.newsroom.models import Article, Author

    action, params = sys.argv[1], json.loads(sys.argv[2])

    out: dict = {}
    with transaction.atomic():
        if action == "publish":
            article = Article.objects.create(
                title=params["title"],
                body=f"<p>{params['title']}: نص الخبر الجديد للاختبار.</p>",
                category_id=params["category_id"],
                author=Author.objects.order_by("pk").first(),
                status=Article.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            out = {"id": article.pk, "url": article.get_absolute_url()}
        elif action == "retitle":
            article = Article.objects.get(pk=params["article_id"])
            article.title = params["title"]
            article.save()
            out = {"id": article.pk}
        elif action == "approve_comment":
            comment = Comment.objects.create(
                article_id=params["article_id"],
                author_name="قارئ",
                author_email="reader@example.org",
                body=params["body"],
                status=Comment.Status.PENDING,
            )
            comment.status = Comment.Status.APPROVED
            comment.save()
            out = {"id": comment.pk}
        else:
            raise SystemExit(f"unknown action {action}")
    out["committed_at"] = time.time()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
