"""Generate a deterministic Arabic news site of N articles for benchmarks.

The same seed always gives the same articles, comments, categories, tags and authors, so the
Akhbar database and the WordPress export (``--wxr``) hold the same content and two runs on two
machines measure the same site. Titles and bodies are assembled from an original vocabulary
and sentence bank below (no copied text): 300–500 words per body, 0–5 comments per article.

    # 100,000 articles into the database of DATABASE_URL (SQLite in AKHBAR_DATA_DIR otherwise)
    .venv/bin/python bench/sitegen.py
    .venv/bin/python bench/sitegen.py --articles 1000 --data-dir /tmp/site1k
    # the same content as a WordPress WXR 1.2 file, without touching a database
    .venv/bin/python bench/sitegen.py --articles 10000 --wxr /tmp/site.xml --no-db

Rows are written with ``bulk_create`` in batches (no per-row signals), then the search index
and the related-articles lists are rebuilt in bulk, as after an import.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Newest article's publication time; article i is published 7·i minutes earlier. Fixed, so the
# site is the same whenever it is generated (100,000 articles span about 16 months).
BASE_TIME = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
ARTICLE_SPACING = timedelta(minutes=7)

# --- The vocabulary and sentence bank (original text) ------------------------------------------
# Subjects carry their grammatical gender so verbs agree: (text, feminine?).
SUBJECTS = [
    ("وزير المالية", 0),
    ("وزارة الصحة", 1),
    ("البنك المركزي", 0),
    ("الحكومة", 1),
    ("المجلس البلدي", 0),
    ("نقابة الأطباء", 1),
    ("اتحاد كرة القدم", 0),
    ("هيئة الأرصاد الجوية", 1),
    ("جامعة المدينة", 1),
    ("المدير التنفيذي للشركة", 0),
    ("رئيس الوزراء", 0),
    ("لجنة الانتخابات", 1),
    ("غرفة التجارة والصناعة", 1),
    ("المنتخب الوطني", 0),
    ("وزارة التربية والتعليم", 1),
    ("محافظ العاصمة", 0),
    ("مركز الدراسات الاستراتيجية", 0),
    ("المتحدث باسم الشرطة", 0),
    ("منظمة حماية البيئة", 1),
    ("الهيئة العامة للسياحة", 1),
    ("وزير الخارجية", 0),
    ("البرلمان", 0),
    ("المحكمة الإدارية", 1),
    ("شركة الكهرباء الوطنية", 1),
    ("مجلس إدارة الميناء", 0),
    ("فريق من الباحثين", 0),
    ("المعهد الوطني للإحصاء", 0),
    ("وزارة الزراعة", 1),
    ("النادي الرياضي", 0),
    ("دار الأوبرا", 1),
    ("هيئة الطيران المدني", 1),
    ("مجلس الشورى", 0),
]
# (past masculine, past feminine, present masculine, present feminine)
SAY_VERBS = [
    ("أعلن", "أعلنت"),
    ("أكد", "أكدت"),
    ("أوضح", "أوضحت"),
    ("ذكر", "ذكرت"),
    ("كشف", "كشفت"),
    ("أفاد", "أفادت"),
    ("رأى", "رأت"),
]
ACT_VERBS = [
    ("أطلق", "أطلقت", "يطلق", "تطلق"),
    ("افتتح", "افتتحت", "يفتتح", "تفتتح"),
    ("ناقش", "ناقشت", "يناقش", "تناقش"),
    ("استعرض", "استعرضت", "يستعرض", "تستعرض"),
    ("أقرّ", "أقرّت", "يقرّ", "تقرّ"),
    ("وقّع", "وقّعت", "يوقّع", "توقّع"),
    ("اعتمد", "اعتمدت", "يعتمد", "تعتمد"),
    ("بحث", "بحثت", "يبحث", "تبحث"),
    ("قدّم", "قدّمت", "يقدّم", "تقدّم"),
    ("درس", "درست", "يدرس", "تدرس"),
]
OBJECTS = [
    "خطة جديدة لتطوير النقل العام",
    "برنامجًا لدعم المشروعات الصغيرة",
    "اتفاقية تعاون في مجال الطاقة المتجددة",
    "مشروع قانون لتنظيم التجارة الإلكترونية",
    "الميزانية السنوية للعام المقبل",
    "حملة وطنية للتطعيم",
    "مبادرة لتشجيع القراءة بين الشباب",
    "خطة لإعادة تأهيل الحدائق العامة",
    "نتائج المسح السنوي للأسعار",
    "مقترحًا لرفع الحد الأدنى للأجور",
    "مشروعًا لتحلية مياه البحر",
    "برنامجًا تدريبيًا للخريجين الجدد",
    "دراسة حول جودة الهواء في المدن",
    "خطة طوارئ لموسم الأمطار",
    "آليات جديدة لدعم المزارعين",
    "معرضًا للكتاب بمشاركة واسعة",
    "منصة رقمية للخدمات الحكومية",
    "خطة لتوسيع شبكة الألياف الضوئية",
    "مشروعًا لترميم المباني التاريخية",
    "إجراءات لتسهيل حركة الشحن في الميناء",
    "استراتيجية وطنية للأمن الغذائي",
    "برنامجًا لصيانة المدارس الحكومية",
    "تقريرًا عن أداء سوق العمل",
    "مسابقة لدعم الابتكار في الجامعات",
]
PLACES = [
    "في العاصمة",
    "في مدينة الساحل",
    "في المنطقة الشمالية",
    "في المحافظات الجنوبية",
    "في مقر الوزارة",
    "خلال مؤتمر صحفي",
    "في قاعة المؤتمرات الكبرى",
    "على هامش المنتدى الاقتصادي",
    "في الضواحي الشرقية",
    "في المدينة القديمة",
    "بحضور ممثلين عن القطاع الخاص",
    "في جلسة علنية",
    "في الواحات الغربية",
    "في الموانئ الرئيسية",
]
TIMES = [
    "اليوم الأحد",
    "يوم الاثنين",
    "صباح الثلاثاء",
    "مساء الأربعاء",
    "يوم الخميس",
    "الجمعة الماضية",
    "السبت",
    "خلال الأسبوع الجاري",
    "في وقت سابق من هذا الشهر",
    "أمس",
    "الليلة الماضية",
]
CLAUSES = [
    "المشروع سيدخل حيز التنفيذ مطلع العام المقبل",
    "الأسعار شهدت استقرارًا نسبيًا خلال الربع الأخير",
    "نسبة البطالة تراجعت إلى أدنى مستوى منذ سنوات",
    "الأعمال ستنتهي قبل الموعد المحدد",
    "الخطة تستهدف أكثر من مئة ألف مستفيد",
    "الاجتماع تناول سبل تعزيز التعاون الإقليمي",
    "الحركة المرورية ستعود إلى طبيعتها خلال أيام",
    "المؤشرات الأولية تبعث على التفاؤل",
    "الفريق يستعد جيدًا للمباراة الحاسمة",
    "الدراسة شملت عينة واسعة من الأسر",
    "الإقبال على الخدمة فاق التوقعات",
    "الموسم الزراعي يبشّر بمحصول وفير",
    "التحقيقات ما زالت جارية لمعرفة الأسباب",
    "الحكومة ستراجع الرسوم المفروضة على الواردات",
    "المستشفيات رفعت درجة الاستعداد",
    "الصادرات غير النفطية سجلت نموًا ملحوظًا",
    "العرض المسرحي سيستمر حتى نهاية الشهر",
    "التطبيق الجديد يختصر زمن الانتظار إلى النصف",
    "درجات الحرارة ستنخفض بشكل ملحوظ",
    "المرحلة الثانية ستشمل القرى المجاورة",
    "عدد الزوار تضاعف مقارنة بالعام الماضي",
    "الشركات الناشئة ستحصل على تسهيلات ضريبية",
    "المدارس ستعتمد مناهج محدثة في العلوم والرياضيات",
    "شبكة الطرق الجديدة ستربط المدن الصغيرة بالعاصمة",
    "المخزون الاستراتيجي من القمح يكفي لعدة أشهر",
    "الأمطار الغزيرة تسببت في تعطل بعض الطرق الفرعية",
]
CONNECTORS = [
    "وأضاف المصدر أن",
    "وفي السياق ذاته، أشار مراقبون إلى أن",
    "ومن جهة أخرى، يرى خبراء أن",
    "وبحسب بيان رسمي، فإن",
    "ولفت محللون إلى أن",
    "وتشير الأرقام المنشورة إلى أن",
    "وفي تصريح خاص، قال مسؤول رفيع إن",
    "ويأتي ذلك في وقت يؤكد فيه متابعون أن",
    "وتوقّع مختصون أن",
    "وأوضحت مصادر مطلعة أن",
]
GOALS = [
    "تحسين جودة الحياة",
    "تنويع مصادر الدخل",
    "تعزيز الشفافية والمساءلة",
    "حماية البيئة والموارد الطبيعية",
    "دعم الاقتصاد المحلي",
    "رفع كفاءة الإنفاق العام",
    "تمكين الشباب والنساء",
    "تطوير البنية التحتية",
    "تشجيع الاستثمار الأجنبي",
    "تقليص الفجوة بين المدن والأرياف",
]
PERSONS = [
    "أحد سكان الحي",
    "الخبير الاقتصادي سامر الحدّاد",
    "الباحثة ليلى منصور",
    "رئيس الجمعية الأهلية",
    "مدير المشروع",
    "مسؤول في البلدية",
    "مدرب الفريق",
    "أستاذ العلوم السياسية نبيل عيسى",
    "إحدى المشاركات في الورشة",
    "صاحب متجر في السوق القديم",
]
QUOTES = [
    "نحن نتابع الوضع عن كثب وسنعلن التفاصيل قريبًا",
    "هذه خطوة طال انتظارها",
    "النتائج أفضل مما توقعنا في البداية",
    "ما زال الطريق طويلًا لكننا بدأنا بالفعل",
    "نأمل أن تنعكس هذه الإجراءات على حياة الناس اليومية",
    "التحدي الأكبر هو التمويل والاستمرارية",
    "لا يمكن الحكم على التجربة قبل مرور عام كامل",
    "الشباب هم المستفيد الأول من هذا المشروع",
    "نحتاج إلى تعاون الجميع لإنجاح الخطة",
]
AMOUNTS = ["الاستثمارات", "العقود الموقّعة", "المساعدات المقدّمة", "الإيرادات", "التكلفة الإجمالية"]
CURRENCIES = ["دينار", "ريال", "درهم", "جنيه"]
BACKGROUND = [
    "وكانت السلطات قد أعلنت في وقت سابق عن سلسلة من الإصلاحات في هذا القطاع.",
    "ويعاني القطاع منذ سنوات من نقص في الكوادر المؤهلة وضعف في التمويل.",
    "وتحظى القضية باهتمام واسع في وسائل الإعلام ومنصات التواصل الاجتماعي.",
    "ويطالب المواطنون منذ فترة طويلة بتحسين مستوى الخدمات في المنطقة.",
    "وشهد العام الماضي نقاشًا واسعًا حول الأولويات الاقتصادية للبلاد.",
    "ويرى كثيرون أن نجاح التجربة مرهون بحسن التنفيذ والمتابعة الدقيقة.",
    "ومن المنتظر أن تُعرض التفاصيل الكاملة على الرأي العام خلال الأيام المقبلة.",
    "وتعود جذور هذا الملف إلى مطلع العقد الماضي حين طُرحت الفكرة للمرة الأولى.",
]
SECTIONS = [
    ("سياسة", ["برلمان", "أحزاب"]),
    ("اقتصاد", ["أسواق", "طاقة"]),
    ("رياضة", ["كرة القدم", "ألعاب أخرى"]),
    ("ثقافة", ["كتب", "مسرح وسينما"]),
    ("علوم وتقنية", ["اتصالات", "فضاء"]),
    ("صحة", ["طب", "تغذية"]),
    ("دولي", ["عربي", "عالمي"]),
    ("محليات", ["بلديات", "تعليم"]),
    ("بيئة", ["مناخ", "مياه"]),
    ("رأي", ["مقالات", "تحليلات"]),
]
TAG_TOPICS = [
    "الطاقة المتجددة",
    "التعليم",
    "الصحة العامة",
    "النقل",
    "الزراعة",
    "المياه",
    "السياحة",
    "الاستثمار",
    "البطالة",
    "التضخم",
    "الانتخابات",
    "الشباب",
    "المرأة",
    "الثقافة",
    "الرياضة",
    "المناخ",
    "الأمطار",
    "التقنية",
    "الاتصالات",
    "الموانئ",
    "الطيران",
    "الإسكان",
    "الأسعار",
    "الضرائب",
    "الصادرات",
    "المستشفيات",
    "الجامعات",
    "المسرح",
    "الكتب",
    "الفضاء",
    "الإعلام",
    "البلديات",
    "الطرق",
    "الكهرباء",
    "الغذاء",
    "الأمن",
    "القضاء",
    "البرلمان",
    "الميزانية",
    "الشركات الناشئة",
]
CITIES = [
    "العاصمة",
    "الساحل",
    "الشمال",
    "الجنوب",
    "الواحات",
    "الجبل",
    "الوادي",
    "الميناء",
    "المدينة القديمة",
    "الضواحي",
    "الريف",
    "الحدود",
]
FIRST_NAMES = [
    "أحمد",
    "فاطمة",
    "محمد",
    "مريم",
    "يوسف",
    "سارة",
    "خالد",
    "نور",
    "عمر",
    "هدى",
    "علي",
    "ليلى",
    "سامي",
    "رنا",
    "كريم",
    "أمل",
    "طارق",
    "دينا",
    "ياسين",
    "سلمى",
]
LAST_NAMES = [
    "العلي",
    "الحسيني",
    "منصور",
    "عيسى",
    "الخطيب",
    "بن سالم",
    "الشامي",
    "المصري",
    "التونسي",
    "الجزائري",
    "العمري",
    "حداد",
    "يوسف",
    "الكردي",
    "البنا",
    "الراشد",
]
COMMENT_BITS = [
    "شكرًا على هذا التقرير المفصّل.",
    "أتمنى أن تتحقق هذه الوعود فعلًا هذه المرة.",
    "خبر مهم، لكن ماذا عن القرى البعيدة؟",
    "المقال يحتاج إلى أرقام أدق ومصادر أوضح.",
    "تغطية ممتازة كالعادة.",
    "سمعنا هذا الكلام من قبل ولم يتغير شيء.",
    "أرجو متابعة الموضوع في الأسابيع المقبلة.",
    "هل هناك موعد محدد لبدء التنفيذ؟",
    "نحتاج إلى مزيد من الشفافية في هذا الملف.",
    "خطوة في الاتجاه الصحيح.",
    "أين دور المجتمع المدني في كل هذا؟",
    "معلومات مفيدة، بارك الله فيكم.",
]
SEARCH_WORDS = ["الطاقة", "الميزانية", "المزارعين", "الحكومة", "البطالة"]


# --- The site -----------------------------------------------------------------------------------
@dataclass
class GenCategory:
    index: int
    name: str
    slug: str
    parent: int | None  # index of the parent category


@dataclass
class GenComment:
    author_name: str
    author_email: str
    body: str
    approved: bool
    created_at: datetime


@dataclass
class GenArticle:
    index: int
    title: str
    slug: str
    excerpt: str
    body: str
    words: int
    published_at: datetime
    category: int
    author: int
    tags: list[int]
    featured: bool
    comments: list[GenComment] = field(default_factory=list)


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text, allow_unicode=True)


def categories() -> list[GenCategory]:
    out: list[GenCategory] = []
    for name, children in SECTIONS:
        parent = len(out)
        out.append(GenCategory(parent, name, _slug(name), None))
        for child in children:
            out.append(GenCategory(len(out), child, _slug(child), parent))
    return out


def tags() -> list[tuple[str, str]]:
    names = [*TAG_TOPICS, *CITIES, *(f"{t} في {c}" for t in TAG_TOPICS for c in CITIES)]
    return [(name, _slug(name)) for name in names]


def authors() -> list[tuple[str, str]]:
    names = [f"{FIRST_NAMES[i % 20]} {LAST_NAMES[(i * 7) % 16]}" for i in range(40)]
    return [(name, _slug(name)) for name in names]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    subject, fem = rng.choice(SUBJECTS)
    if kind < 0.3:
        return (
            f"{rng.choice(SAY_VERBS)[fem]} {subject} {rng.choice(TIMES)} أن {rng.choice(CLAUSES)}."
        )
    if kind < 0.55:
        verb = rng.choice(ACT_VERBS)[fem]
        return f"{verb} {subject} {rng.choice(TIMES)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}."
    if kind < 0.72:
        return f"{rng.choice(CONNECTORS)} {rng.choice(CLAUSES)}."
    if kind < 0.82:
        return f'وقال {rng.choice(PERSONS)}: "{rng.choice(QUOTES)}".'
    if kind < 0.9:
        amount = rng.randint(3, 950)
        return (
            f"وبلغت قيمة {rng.choice(AMOUNTS)} نحو {amount} مليون {rng.choice(CURRENCIES)}، "
            f"في خطوة تهدف إلى {rng.choice(GOALS)}."
        )
    return rng.choice(BACKGROUND)


def _title(rng: random.Random) -> str:
    subject, fem = rng.choice(SUBJECTS)
    if rng.random() < 0.6:
        verb = rng.choice(ACT_VERBS)[2 + fem]
        return f"{subject} {verb} {rng.choice(OBJECTS)} {rng.choice(PLACES)}"
    return f"{subject}: {rng.choice(CLAUSES)}"


def article(index: int, seed: int, n_categories: int, n_tags: int, n_authors: int) -> GenArticle:
    """Article ``index`` of the site: depends only on (index, seed), never on the site size."""
    rng = random.Random(seed * 1_000_003 + index)
    title = _title(rng)
    target = rng.randint(300, 500)
    paragraphs: list[str] = []
    words = 0
    while words < target:
        sentences = [_sentence(rng) for _ in range(rng.randint(3, 5))]
        words += sum(len(s.split()) for s in sentences)
        paragraphs.append(" ".join(sentences))
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    first = paragraphs[0].split(". ")[0].rstrip(".") + "."
    published = BASE_TIME - ARTICLE_SPACING * index
    item = GenArticle(
        index=index,
        title=title,
        slug=f"{_slug(title)[:90].strip('-')}-{index + 1}",
        excerpt=first,
        body=body,
        words=words,
        published_at=published,
        category=rng.randrange(n_categories),
        author=rng.randrange(n_authors),
        tags=sorted(rng.sample(range(n_tags), rng.randint(2, 4))),
        featured=index % 97 == 0,
    )
    for k in range(rng.randint(0, 5)):
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        item.comments.append(
            GenComment(
                author_name=f"{first_name} {last_name}",
                author_email=f"reader{rng.randrange(10_000)}@example.com",
                body=" ".join(rng.sample(COMMENT_BITS, rng.randint(1, 3))),
                approved=rng.random() < 0.9,
                created_at=published + timedelta(minutes=17 * (k + 1)),
            )
        )
    return item


def iter_articles(count: int, seed: int) -> Iterator[GenArticle]:
    n_categories, n_tags, n_authors = len(categories()), len(tags()), len(authors())
    for index in range(count):
        yield article(index, seed, n_categories, n_tags, n_authors)


def reading_minutes(words: int) -> int:
    return max(1, round(words / 180))  # the same rule as akhbar.newsroom.models


# --- Akhbar's database --------------------------------------------------------------------------
def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    os.environ.setdefault("AKHBAR_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def write_database(count: int, seed: int, batch_size: int = 2000, quiet: bool = False) -> dict:
    """Migrate the database of the current settings and fill it; returns timings."""
    from django.core.management import call_command
    from django.db import transaction

    from akhbar.comments.models import Comment
    from akhbar.newsroom.models import Article, Author, Category, Tag

    def say(msg: str) -> None:
        if not quiet:
            print(msg, flush=True)

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if Article.objects.exists():
        raise SystemExit("the database already holds articles; point me at an empty one")
    timings["migrate"] = time.perf_counter() - started

    _keep_generated_dates()

    started = time.perf_counter()
    cats = categories()
    with transaction.atomic():
        cat_rows: list[Category] = []
        for c in cats:
            row = Category(
                name=c.name,
                slug=c.slug,
                position=c.index,
                parent=cat_rows[c.parent] if c.parent is not None else None,
            )
            row.save()
            cat_rows.append(row)
        tag_rows = Tag.objects.bulk_create([Tag(name=n, slug=s) for n, s in tags()])
        author_rows = Author.objects.bulk_create(
            [Author(display_name=n, slug=s) for n, s in authors()]
        )
    cat_ids = [c.pk for c in cat_rows]
    tag_ids = [t.pk for t in tag_rows]
    author_ids = [a.pk for a in author_rows]
    through = Article.tags.through
    generated = 0
    # Oldest first, so ids grow with publication time as on a real site.
    indexes = range(count - 1, -1, -1)
    n_cat, n_tag, n_auth = len(cats), len(tag_ids), len(author_ids)
    batch: list[GenArticle] = []

    def flush(items: list[GenArticle]) -> None:
        with transaction.atomic():
            rows = Article.objects.bulk_create(
                [
                    Article(
                        title=g.title,
                        slug=g.slug,
                        excerpt=g.excerpt,
                        body=g.body,
                        status=Article.Status.PUBLISHED,
                        published_at=g.published_at,
                        went_live_at=g.published_at,
                        created_at=g.published_at,
                        updated_at=g.published_at,
                        category_id=cat_ids[g.category],
                        author_id=author_ids[g.author],
                        is_featured=g.featured,
                        reading_minutes=reading_minutes(g.words),
                    )
                    for g in items
                ]
            )
            through.objects.bulk_create(
                [
                    through(article_id=row.pk, tag_id=tag_ids[t])
                    for row, g in zip(rows, items, strict=True)
                    for t in g.tags
                ]
            )
            Comment.objects.bulk_create(
                [
                    Comment(
                        article_id=row.pk,
                        author_name=c.author_name,
                        author_email=c.author_email,
                        body=c.body,
                        status=Comment.Status.APPROVED if c.approved else Comment.Status.PENDING,
                        created_at=c.created_at,
                    )
                    for row, g in zip(rows, items, strict=True)
                    for c in g.comments
                ]
            )

    for index in indexes:
        batch.append(article(index, seed, n_cat, n_tag, n_auth))
        if len(batch) == batch_size:
            flush(batch)
            generated += len(batch)
            batch = []
            if generated % 20_000 == 0:
                say(f"  {generated:,} articles ({time.perf_counter() - started:.0f} s)")
    if batch:
        flush(batch)
    timings["rows"] = time.perf_counter() - started
    say(f"wrote {count:,} articles in {timings['rows']:.1f} s")

    _build_search_index(timings, say)
    _analyze()
    return timings


def _keep_generated_dates() -> None:
    """Keep the generated dates: auto_now(_add) would stamp every row with "now"."""
    from akhbar.comments.models import Comment
    from akhbar.newsroom.models import Article

    for model, names in ((Article, ("created_at", "updated_at")), (Comment, ("created_at",))):
        for name in names:
            f = model._meta.get_field(name)
            f.auto_now = f.auto_now_add = False


def _build_search_index(timings: dict[str, float], say: Callable[[str], None]) -> None:
    """Index the written articles, timed (skipped on a checkout older than the search app)."""
    started = time.perf_counter()
    try:
        from akhbar.search.indexing import reindex_all

        reindex_all(batch_size=1000)
        timings["search_index"] = time.perf_counter() - started
        say(f"search index built in {timings['search_index']:.1f} s")
    except ImportError:
        say("search index: akhbar.search.indexing not available, skipped")


def _analyze() -> None:
    """Planner statistics (and SQLite's WAL folded in) as on a site that has been running:
    the benchmarks should not measure plans made for empty tables."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rebuild_related(quiet: bool = False) -> float:
    started = time.perf_counter()
    try:
        from akhbar.related import services
    except ImportError:
        return 0.0
    services.rebuild(chunk=1000)
    elapsed = time.perf_counter() - started
    if not quiet:
        print(f"related lists rebuilt in {elapsed:.1f} s", flush=True)
    return elapsed


# --- WordPress WXR 1.2 --------------------------------------------------------------------------
def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wp_slug(slug: str, limit: int = 200) -> str:
    """How WordPress stores a non-ASCII slug: percent-encoded UTF-8, lower-case hex.

    WordPress cuts the encoded form at 200 characters (its column size) on a character
    boundary; the numeric suffix that keeps our slugs unique is kept.
    """
    head, sep, tail = slug.rpartition("-")
    if not (sep and tail.isdigit()):
        head, tail = slug, ""
    suffix = f"-{tail}" if tail else ""
    out = ""
    for ch in head:
        piece = quote(ch, safe="-").lower()
        if len(out) + len(piece) + len(suffix) > limit:
            break
        out += piece
    return out.rstrip("-") + suffix


def write_wxr(path: Path, count: int, seed: int, site_url: str = "http://127.0.0.1") -> None:
    cats, tag_list, author_list = categories(), tags(), authors()
    wp_date = "%Y-%m-%d %H:%M:%S"
    with open(path, "w", encoding="utf-8") as out:
        w = out.write
        w('<?xml version="1.0" encoding="UTF-8" ?>\n')
        w(
            '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        )
        w(
            f"<title>أخبار</title>\n<link>{site_url}</link>\n"
            "<description>موقع للقياس</description>\n"
        )
        w("<language>ar</language>\n<wp:wxr_version>1.2</wp:wxr_version>\n")
        w(f"<wp:base_site_url>{site_url}</wp:base_site_url>\n")
        w(f"<wp:base_blog_url>{site_url}</wp:base_blog_url>\n")
        for i, (name, _slug_unused) in enumerate(author_list):
            w(
                f"<wp:author><wp:author_id>{i + 2}</wp:author_id>"
                f"<wp:author_login>{_cdata(f'author{i + 1}')}</wp:author_login>"
                f"<wp:author_email>{_cdata(f'author{i + 1}@example.com')}</wp:author_email>"
                f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name>"
                f"<wp:author_first_name>{_cdata(name.split()[0])}</wp:author_first_name>"
                f"<wp:author_last_name>{_cdata(name.split(' ', 1)[1])}</wp:author_last_name>"
                "</wp:author>\n"
            )
        for c in cats:
            parent = wp_slug(cats[c.parent].slug) if c.parent is not None else ""
            w(
                f"<wp:category><wp:term_id>{c.index + 2}</wp:term_id>"
                f"<wp:category_nicename>{_cdata(wp_slug(c.slug))}</wp:category_nicename>"
                f"<wp:category_parent>{_cdata(parent)}</wp:category_parent>"
                f"<wp:cat_name>{_cdata(c.name)}</wp:cat_name></wp:category>\n"
            )
        for i, (name, slug) in enumerate(tag_list):
            w(
                f"<wp:tag><wp:term_id>{len(cats) + i + 2}</wp:term_id>"
                f"<wp:tag_slug>{_cdata(wp_slug(slug))}</wp:tag_slug>"
                f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        comment_id = 1
        for g in iter_articles(count, seed):
            post_id = count - g.index  # the oldest article gets 1, as in the database
            date = g.published_at.strftime(wp_date)
            w("<item>\n")
            w(f"<title>{escape(g.title)}</title>\n")
            w(f"<link>{site_url}/{wp_slug(g.slug)}/</link>\n")
            w(f"<pubDate>{g.published_at.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>\n")
            w(f"<dc:creator>{_cdata(f'author{g.author + 1}')}</dc:creator>\n")
            w(f'<guid isPermaLink="false">{site_url}/?p={post_id}</guid>\n')
            w("<description></description>\n")
            w(f"<content:encoded>{_cdata(g.body)}</content:encoded>\n")
            w(f"<excerpt:encoded>{_cdata(g.excerpt)}</excerpt:encoded>\n")
            w(f"<wp:post_id>{post_id}</wp:post_id>\n")
            w(f"<wp:post_date>{_cdata(date)}</wp:post_date>\n")
            w(f"<wp:post_date_gmt>{_cdata(date)}</wp:post_date_gmt>\n")
            w(
                "<wp:comment_status>open</wp:comment_status><wp:ping_status>closed</wp:ping_status>\n"
            )
            w(f"<wp:post_name>{_cdata(wp_slug(g.slug))}</wp:post_name>\n")
            w("<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>\n")
            w("<wp:menu_order>0</wp:menu_order><wp:post_type>post</wp:post_type>\n")
            w(
                f"<wp:post_password></wp:post_password><wp:is_sticky>{int(g.featured)}</wp:is_sticky>\n"
            )
            c = cats[g.category]
            w(
                f'<category domain="category" nicename="{wp_slug(c.slug)}">'
                f"{_cdata(c.name)}</category>\n"
            )
            for t in g.tags:
                name, slug = tag_list[t]
                w(
                    f'<category domain="post_tag" nicename="{wp_slug(slug)}">'
                    f"{_cdata(name)}</category>\n"
                )
            for cm in g.comments:
                cdate = cm.created_at.strftime(wp_date)
                w(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{_cdata(cm.author_name)}</wp:comment_author>"
                    f"<wp:comment_author_email>{_cdata(cm.author_email)}</wp:comment_author_email>"
                    "<wp:comment_author_url></wp:comment_author_url>"
                    "<wp:comment_author_IP>127.0.0.1</wp:comment_author_IP>"
                    f"<wp:comment_date>{_cdata(cdate)}</wp:comment_date>"
                    f"<wp:comment_date_gmt>{_cdata(cdate)}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{_cdata(cm.body)}</wp:comment_content>"
                    "<wp:comment_approved>"
                    f"{_cdata('1' if cm.approved else '0')}</wp:comment_approved>"
                    "<wp:comment_type>comment</wp:comment_type>"
                    "<wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
                    "</wp:comment>\n"
                )
                comment_id += 1
            w("</item>\n")
        w("</channel>\n</rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument(
        "--data-dir", help="AKHBAR_DATA_DIR for a SQLite site (default: $AKHBAR_DATA_DIR or var/)"
    )
    parser.add_argument("--wxr", type=Path, help="also write the site as a WXR 1.2 file here")
    parser.add_argument("--no-db", action="store_true", help="only write the WXR file")
    parser.add_argument("--no-related", action="store_true", help="skip the related lists")
    args = parser.parse_args()
    if args.data_dir:
        os.environ["AKHBAR_DATA_DIR"] = str(Path(args.data_dir).resolve())
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    setup_django()
    if args.wxr:
        started = time.perf_counter()
        write_wxr(args.wxr, args.articles, args.seed)
        size = args.wxr.stat().st_size / 2**20
        print(f"wrote {args.wxr} ({size:.0f} MB) in {time.perf_counter() - started:.1f} s")
    if args.no_db:
        return
    started = time.perf_counter()
    write_database(args.articles, args.seed, args.batch_size)
    if not args.no_related:
        rebuild_related()
    print(f"site of {args.articles:,} articles ready in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
