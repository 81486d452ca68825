"""Benchmark: import a generated WordPress export (default 50,000 posts with comments).

    .venv/bin/python bench/import_wordpress.py               # 50,000 posts, SQLite in a temp dir
    .venv/bin/python bench/import_wordpress.py --posts 5000  # quicker
    DATABASE_URL=postgres://... .venv/bin/python bench/import_wordpress.py --posts 5000

The export is deterministic (seeded), Arabic, and shaped like a news site's: nested
categories, tags, several authors, classic-editor and block bodies, and on average two to
three comments per post, a third of them replies. The import runs in this process, through
the same code as ``manage.py import_wordpress``; the figures are wall-clock throughput and
the process's peak resident memory (which includes Django itself).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent

WORDS = (  # noqa: SIM905 - readable prose
    "أعلنت البلدية اليوم عن خطة جديدة لتطوير شبكة النقل العام في المدينة خلال السنوات المقبلة "
    "وقال المتحدث إن المشروع يشمل خطوطا جديدة للحافلات ومحطات حديثة ويتوقع الخبراء أن يخفف "
    "الازدحام المروري في ساعات الذروة ورحب السكان بالخطة وطالبوا بالإسراع في تنفيذها"
).split()
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>موقع الأخبار التجريبي</title>
<link>https://bench.example.org</link>
<language>ar</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example.org</wp:base_site_url>
<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
"""


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def generate(path: Path, posts: int, seed: int = 8) -> dict[str, int]:
    """Write the export, streaming; returns what it holds."""
    rng = random.Random(seed)
    counts = {"posts": posts, "comments": 0, "replies": 0}
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for a in range(1, 6):
            out.write(
                f"<wp:author><wp:author_id>{a}</wp:author_id>"
                f"<wp:author_login>{cdata(f'writer{a}')}</wp:author_login>"
                f"<wp:author_email>writer{a}@bench.example.org</wp:author_email>"
                f"<wp:author_display_name>{cdata(f'الكاتب {a}')}</wp:author_display_name>"
                "</wp:author>\n"
            )
        cats = []
        for c in range(1, 21):
            nice = quote(f"قسم-{c}").lower()
            parent = cats[(c - 1) // 4 - 1] if c > 4 else ""
            cats.append(nice)
            out.write(
                f"<wp:category><wp:term_id>{c}</wp:term_id>"
                f"<wp:category_nicename>{cdata(nice)}</wp:category_nicename>"
                f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
                f"<wp:cat_name>{cdata(f'قسم {c}')}</wp:cat_name></wp:category>\n"
            )
        tags = [quote(f"وسم-{t}").lower() for t in range(1, 201)]
        for t, nice in enumerate(tags, 1):
            out.write(
                f"<wp:tag><wp:term_id>{100 + t}</wp:term_id><wp:tag_slug>{cdata(nice)}"
                f"</wp:tag_slug><wp:tag_name>{cdata(f'وسم {t}')}</wp:tag_name></wp:tag>\n"
            )
        comment_id = 0
        for p in range(1, posts + 1):
            title = f"{sentence(rng, 6)} {p}"
            slug = quote(f"خبر-{p}").lower()
            day = 1 + p % 28
            date = f"2023-{1 + p % 12:02d}-{day:02d} {p % 24:02d}:{p % 60:02d}:00"
            paragraphs = [sentence(rng, rng.randint(25, 60)) for _ in range(rng.randint(3, 8))]
            if p % 2:
                body = "\n\n".join(paragraphs)
            else:
                body = "\n\n".join(
                    f"<!-- wp:paragraph -->\n<p>{escape(x)}</p>\n<!-- /wp:paragraph -->"
                    for x in paragraphs
                )
            terms = f'<category domain="category" nicename="{rng.choice(cats)}">قسم</category>'
            for nice in rng.sample(tags, rng.randint(0, 4)):
                terms += f'<category domain="post_tag" nicename="{nice}">وسم</category>'
            comments = []
            first = comment_id + 1
            for _ in range(rng.choice((0, 1, 2, 2, 3, 3, 4, 5))):
                comment_id += 1
                parent = (
                    rng.randint(first, comment_id - 1)
                    if comment_id > first and rng.random() < 0.35
                    else 0
                )
                counts["comments"] += 1
                counts["replies"] += bool(parent)
                comments.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata(f'قارئ {comment_id % 997}')}</wp:comment_author>"
                    f"<wp:comment_author_email>r{comment_id % 997}@example.net"
                    "</wp:comment_author_email>"
                    f"<wp:comment_author_IP>198.51.100.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>{date}</wp:comment_date>"
                    f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(sentence(rng, rng.randint(5, 30)))}"
                    "</wp:comment_content>"
                    f"<wp:comment_approved>{'1' if comment_id % 9 else '0'}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
                )
            out.write(
                f"<item><title>{cdata(title)}</title>"
                f"<link>https://bench.example.org/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/</link>"
                f"<dc:creator>{cdata(f'writer{1 + p % 5}')}</dc:creator>"
                f'<guid isPermaLink="false">https://bench.example.org/?p={p}</guid>'
                f"<content:encoded>{cdata(body)}</content:encoded>"
                f"<excerpt:encoded>{cdata('')}</excerpt:encoded>"
                f"<wp:post_id>{p}</wp:post_id><wp:post_date>{date}</wp:post_date>"
                f"<wp:post_date_gmt>{date}</wp:post_date_gmt>"
                f"<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{cdata(slug)}</wp:post_name>"
                f"<wp:status>{'publish' if p % 20 else 'draft'}</wp:status>"
                f"<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
                f"<wp:post_type>post</wp:post_type><wp:is_sticky>0</wp:is_sticky>"
                f"{terms}{''.join(comments)}</item>\n"
            )
        out.write("</channel>\n</rss>\n")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--keep", help="write the export here and keep it")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="posts per transaction (default: the importer's; 1 = the one-by-one path)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="akhbar-import-bench-"))
    export = Path(args.keep) if args.keep else work / "export.xml"
    started = time.perf_counter()
    counts = generate(export, args.posts)
    size = export.stat().st_size
    print(
        f"generated {export} ({size / 1e6:.1f} MB, {counts['posts']} posts, "
        f"{counts['comments']} comments, {counts['replies']} replies) "
        f"in {time.perf_counter() - started:.1f}s"
    )

    os.environ.setdefault("AKHBAR_DATA_DIR", str(work))
    os.environ.setdefault("AKHBAR_SQLITE_PATH", str(work / "bench.sqlite3"))
    os.environ["AKHBAR_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from akhbar.comments.models import Comment
    from akhbar.importers import bulk
    from akhbar.importers.wordpress import WordPressImporter
    from akhbar.newsroom.models import Article

    call_command("migrate", verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    options = {} if args.batch_size is None else {"batch_size": args.batch_size}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    with bulk.paused_indexing() as paused:
        report = WordPressImporter(**options).import_file(export)
    elapsed, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The rebuild is timed step by step: search and related are separate apps' work.
    steps: list[str] = []
    catch_up = 0.0
    for what in paused:
        started = time.perf_counter()
        bulk.catch_up([what])
        took = time.perf_counter() - started
        catch_up += took
        steps.append(f"{what} {took:.1f}s")
    assert report.ok and not report.errors, (report.fatal, report.errors[:5])
    posts, comments = Article.objects.count(), Comment.objects.count()
    print(f"database: {engine}")
    print(
        f"imported {posts} posts and {comments} comments in {elapsed:.1f}s "
        f"({import_cpu:.1f}s of CPU in this process)"
    )
    print(f"throughput: {posts / elapsed:.0f} posts/s ({(posts + comments) / elapsed:.0f} rows/s)")
    print(f"then rebuilding the indexes took {catch_up:.1f}s ({', '.join(steps)})")
    print(f"peak RSS: {peak / 1024:.0f} MB (before the import: {rss_before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
