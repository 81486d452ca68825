"""Load the demo newsroom (original Arabic articles written for Akhbar) into the database.

Idempotent by slug: running ``make run`` twice neither duplicates nor overwrites anything, so an
operator who edited a demo article keeps their edit.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from akhbar.comments.models import Comment
from akhbar.demo import images as demo_images
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.newsroom.public import save_inline_image
from akhbar.site.models import Page, SiteSettings

DEMO_FILE = Path(__file__).resolve().parent / "data" / "newsroom.json"

# Which illustration a demo story gets (akhbar.demo.images): the first word of its
# slug found here wins, else its section's usual scene.
SCENE_WORDS = {
    "مترو": "metro",
    "نفق": "metro",
    "سد": "water",
    "المياه": "water",
    "الماء": "water",
    "المائية": "water",
    "الجفاف": "solar",
    "طاقة": "solar",
    "ميناء": "port",
    "مصرف": "chart",
    "الشركات": "chart",
    "التجديف": "boat",
    "السلة": "court",
    "ماراثون": "track",
    "العداءة": "track",
    "كأس": "stadium",
    "المدرجات": "stadium",
    "الكتاب": "books",
    "الخط": "books",
    "الانتخابات": "ballot",
    "قانون": "ballot",
    "موازنة": "dome",
    "المسرح": "arches",
    "الحكمة": "arches",
    "تصيد": "tech",
}
# Stories that also carry pictures in their text, and the one with a gallery.
BODY_PICTURES = {
    "أول-رحلة-تجريبية-لمترو-المرجان": ["dome"],
    "الجفاف-يضغط-على-مزارعي-سهل-السنابل": ["water"],
    "نموذج-لغوي-عربي-مفتوح-المصدر-من-جامعة-ال": ["chart"],
    "منسوب-سد-الغدير-يهبط-إلى-أدنى-مستوى-منذ-": ["water"],
    "ترميم-دار-الحكمة-القديمة-في-حي-الصاغة": ["books"],
}
GALLERY = ("معرض-المرجان-للكتاب-يفتح-أبوابه", ["books", "arches", "books", "arches"])


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    admin_password: str | None = None

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n


def load_demo(
    path: Path = DEMO_FILE,
    now: datetime | None = None,
    create_admin: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    """Load the demo newsroom; ``progress(done, total)`` after each article (photos make it
    take a few seconds per article, so the command draws a bar)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    now = now or timezone.now()
    report = DemoReport()
    with transaction.atomic():
        _load_site(data, report)
        authors = _load_authors(data, report)
        categories = _load_categories(data, report)
        tags = _load_tags(data, report)
        for done, item in enumerate(data["articles"], 1):
            _load_article(
                item, now=now, authors=authors, categories=categories, tags=tags, report=report
            )
            if progress is not None:
                progress(done, len(data["articles"]))
        for item in data.get("pages", []):
            _, created = Page.objects.get_or_create(
                slug=item["slug"], defaults={"title": item["title"], "body": item["body_html"]}
            )
            if created:
                report.add("pages")
    if report.created.get("articles"):
        from akhbar.core.maintenance import refresh_planner_statistics

        refresh_planner_statistics()
    if create_admin:
        report.admin_password = ensure_admin()
    return report


def ensure_admin(username: str = "admin") -> str | None:
    """Create a first superuser with a random password, once; None if one exists already."""
    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(username, "admin@localhost", password)
    return password


def _load_site(data: dict[str, Any], report: DemoReport) -> None:
    site = data.get("site") or {}
    settings = SiteSettings.current()
    if not SiteSettings.objects.filter(pk=1, site_name="أخبار", tagline="").exists():
        return  # already customised (or loaded before): keep the operator's settings
    settings.site_name = site.get("name", settings.site_name)
    settings.tagline = site.get("tagline", "")
    settings.copyright_holder = site.get("copyright_holder", settings.site_name)
    settings.language = site.get("language", "ar")
    settings.save()
    report.add("site settings")


def _load_authors(data: dict[str, Any], report: DemoReport) -> dict[str, Author]:
    user_model = get_user_model()
    authors: dict[str, Author] = {}
    for item in data["authors"]:
        user, _ = user_model.objects.get_or_create(
            username=item["username"], defaults={"is_staff": True}
        )
        author, created = Author.objects.get_or_create(
            user=user, defaults={"display_name": item["display_name"], "bio": item.get("bio", "")}
        )
        if created:
            report.add("authors")
            if item.get("columnist"):
                jpeg = demo_images.portrait(item["username"], len(authors), scarf=len(authors) == 0)
                author.photo.save(f"{item['username']}.jpg", ContentFile(jpeg))
        authors[item["username"]] = author
    return authors


def _load_categories(data: dict[str, Any], report: DemoReport) -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for position, item in enumerate(data["categories"]):
        parent = categories.get(item.get("parent") or "")
        category, created = Category.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "parent": parent,
                "description": item.get("description", ""),
                "position": position,
            },
        )
        if created:
            report.add("categories")
        categories[item["slug"]] = category
    return categories


def _load_tags(data: dict[str, Any], report: DemoReport) -> dict[str, Tag]:
    tags: dict[str, Tag] = {}
    for item in data.get("tags", []):
        tag, created = Tag.objects.get_or_create(slug=item["slug"], defaults={"name": item["name"]})
        if created:
            report.add("tags")
        tags[item["slug"]] = tag
    return tags


def _load_article(
    item: dict[str, Any],
    *,
    now: datetime,
    authors: dict[str, Author],
    categories: dict[str, Category],
    tags: dict[str, Tag],
    report: DemoReport,
) -> None:
    if Article.objects.filter(slug=item["slug"]).exists():
        return
    published_at = now - timedelta(hours=int(item.get("hours_ago", 1)))
    category = categories[item["category"]]
    scene = next(
        (SCENE_WORDS[w] for w in item["slug"].split("-") if w in SCENE_WORDS),
        demo_images.SECTION_SCENES.get(item["category"], "arches"),
    )
    lead = demo_images.illustrate(scene, item["slug"])
    article = Article(
        slug=item["slug"],
        title=item["title"],
        excerpt=item.get("excerpt", ""),
        body=_with_body_pictures(item),
        status=Article.Status.PUBLISHED,
        published_at=published_at,
        author=authors.get(item.get("author", "")),
        category=category,
        is_breaking=bool(item.get("is_breaking")),
        is_featured=bool(item.get("is_featured")),
        is_opinion=bool(item.get("is_opinion")),
        source_name=item.get("source_name") or "",
        source_url=item.get("source_url") or "",
        image_alt=lead.alt,
        image_caption=lead.caption,
        image_credit=lead.credit,
    )
    article.featured_image.save(f"{_stem(item['slug'])}.jpg", ContentFile(lead.jpeg), save=False)
    article.save()
    # Renditions are a background job; the demo makes them now so its first page is complete
    # (the queued job then finds them "already made").
    from akhbar.newsroom.public import make_renditions

    make_renditions.call(article.pk, article.featured_image.name)
    # Readers' counts, so "most read" has something to rank: fresher stories read more.
    reads = int(item.get("reads", 4000 // (1 + int(item.get("hours_ago", 1)) // 10)))
    Article.objects.filter(pk=article.pk).update(view_count=reads + len(item["body_html"]) % 97)
    article.tags.set([tags[slug] for slug in item.get("tags", []) if slug in tags])
    report.add("articles")
    for offset, comment in enumerate(item.get("comments", [])):
        when = published_at + timedelta(minutes=20 * (offset + 1))
        report.add("comments", _load_comment(article, comment, None, when))


def _stem(slug: str) -> str:
    """A short ASCII file name for a demo picture (Arabic slugs make unwieldy media paths)."""
    import hashlib

    return "demo-" + hashlib.blake2s(slug.encode(), digest_size=5).hexdigest()


def _figure(scene: str, seed: str) -> str:
    picture = demo_images.illustrate(scene, seed)
    src, width, height = save_inline_image(picture.jpeg, f"inline/{_stem(seed)}")
    return (
        f'<img src="{src}" alt="{picture.alt}" width="{width}" height="{height}">'
        f"<figcaption>{picture.caption} ({picture.credit})</figcaption>"
    )


def _with_body_pictures(item: dict[str, Any]) -> str:
    """The story's HTML with a picture after its second paragraph, or a gallery, where listed."""
    body = item["body_html"]
    slug = item["slug"]
    if slug == GALLERY[0]:
        figures = []
        for n, scene in enumerate(GALLERY[1]):
            picture = demo_images.illustrate(scene, f"{slug}-gallery-{n}")
            src, width, height = save_inline_image(picture.jpeg, f"inline/{_stem(slug)}-g{n}")
            figures.append(
                f'<img src="{src}" alt="{picture.alt}" width="{width}" height="{height}">'
            )
        figure = (
            f"<figure>{''.join(figures)}<figcaption>معرض صور: أجنحة المعرض وقاعاته "
            f"({demo_images.CREDIT})</figcaption></figure>"
        )
    elif slug in BODY_PICTURES:
        figure = "".join(
            f"<figure>{_figure(scene, f'{slug}-body-{n}')}</figure>"
            for n, scene in enumerate(BODY_PICTURES[slug])
        )
    else:
        return body
    parts = body.split("</p>", 2)
    if len(parts) < 3:
        return body + figure
    return f"{parts[0]}</p>{parts[1]}</p>{figure}{parts[2]}"


def _classify_held(comment: Comment) -> None:
    """Run a held demo comment through the content spam checks a reader's comment meets.

    The demo's obvious spam ("اربح ٥٠٠٠ دولار… اضغط الرابط") used to sit in the moderation
    queue as if a person had to decide; the real filter files it under spam with its reasons,
    and anything it only doubts stays pending with the probability shown to moderators.
    """
    from akhbar.antispam import public as checks
    from akhbar.antispam.models import AntispamSettings

    submission = checks.Submission(
        article_id=comment.article_id,
        name=comment.author_name,
        email=comment.author_email,
        url=comment.author_url,
        body=comment.body,
        ip=None,
        user_agent="",
        referrer="",
        permalink="",
        rendered_at=None,
        honeypot="",
        now=timezone.now(),
        is_reply=comment.parent_id is not None,
    )
    content_checks = [
        checks.TooManyLinks(AntispamSettings.current().max_links),
        checks.AbusiveLanguage(*checks.load_abusive_lexicon()),
        checks.LocalClassifier(),
    ]
    result = checks.run_checks(submission, content_checks)
    comment.spam_reasons = result.reasons
    comment.spam_probability = result.spam_probability
    if result.verdict >= checks.Verdict.SPAM:
        comment.status = Comment.Status.SPAM
    comment.save(update_fields=["status", "spam_reasons", "spam_probability"])


def _load_comment(
    article: Article, item: dict[str, Any], parent: Comment | None, when: datetime
) -> int:
    """Create a comment and its replies; return how many were created."""
    approved = item.get("approved", True)
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        author_name=item["name"],
        author_email=item.get("email", "reader@example.org"),
        body=item["body"],
        status=Comment.Status.APPROVED if approved else Comment.Status.PENDING,
        depth=0 if parent is None else parent.depth + 1,
    )
    if not approved:
        _classify_held(comment)
    # auto_now_add ignores a given value on create; set the demo time afterwards.
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    created = 1
    for offset, reply in enumerate(item.get("replies", [])):
        reply_at = when + timedelta(minutes=7 * (offset + 1))
        created += _load_comment(article, reply, comment, reply_at)
    return created
