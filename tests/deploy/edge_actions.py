"""Newsroom actions run in a separate process against a test site's database, the way an
editor's request would run them: ``python -m tests.deploy.edge_actions ACTION JSON``.

Each action commits, then prints a JSON line with what it did and ``committed_at``
(``time.time()`` just after the commit), from which the test measures publish-to-visible.
Events are emitted here with ``events.emit`` until every writer in ``newsroom.services``
emits them itself (issue 14, the pipeline side).
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
    from akhbar.core import events
    from akhbar.newsroom.models import Article, Author

    action, params = sys.argv[1], json.loads(sys.argv[2])

    def ids(article: Article) -> dict:
        return {
            "article_id": article.pk,
            "category_ids": (article.category_id,) if article.category_id else (),
            "tag_ids": tuple(article.tags.values_list("pk", flat=True)),
            "author_ids": (article.author_id,) if article.author_id else (),
        }

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
            events.emit(events.ArticlePublished(**ids(article)))
            out = {"id": article.pk, "url": article.get_absolute_url()}
        elif action == "retitle":
            article = Article.objects.get(pk=params["article_id"])
            article.title = params["title"]
            article.save()
            events.emit(events.ArticleUpdated(**ids(article), fields=frozenset({"title"})))
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
            events.emit(
                events.CommentApproved(comment_id=comment.pk, article_id=comment.article_id)
            )
            out = {"id": comment.pk}
        else:
            raise SystemExit(f"unknown action {action}")
    out["committed_at"] = time.time()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
