"""Two demo live coverages (original text written for Akhbar): one running — heavy rain over
the fictional city of al-Marjan — and one ended — the opening of its first metro line — so a
new newsroom sees the feature at once. Idempotent by article slug, like the newsroom demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from akhbar.live.models import Coverage, Entry
from akhbar.newsroom.models import Article, Author, Category

RAIN_SLUG = "live-marjan-rain"
METRO_SLUG = "live-metro-opening"

RAIN_SUMMARY = """<ul>
<li>أمطار غزيرة على مدينة المرجان منذ فجر اليوم، وأعلى كمية مسجّلة 64 ملم في حي الميناء.</li>
<li>تعليق الدوام في المدارس الحكومية والخاصة حتى إشعار آخر.</li>
<li>إغلاق نفق الكورنيش وجسر السوق القديم أمام السيارات.</li>
<li>الدفاع المدني: لا إصابات، و37 بلاغًا عن تجمّع مياه في المنازل.</li>
</ul>"""

METRO_SUMMARY = """<ul>
<li>افتُتح الخط الأول لمترو المرجان رسميًا بعد أربع سنوات من الأعمال.</li>
<li>الخط يربط محطة الجامعة بحي الميناء عبر 14 محطة في 22 دقيقة.</li>
<li>الركوب مجاني في الأسبوع الأول، ثم تذكرة موحّدة بنصف دينار.</li>
</ul>"""


@dataclass(frozen=True)
class DemoEntry:
    minutes_ago: int
    text: str
    title: str = ""
    author: str = "ليلى الحداد"
    breaking: bool = False
    pinned: bool = False
    quote: str = ""
    embed: str = ""


RAIN = [
    DemoEntry(
        300,
        "صباح الخير من غرفة الأخبار. نتابع معكم هنا لحظة بلحظة موجة الأمطار الغزيرة التي "
        "بدأت فجر اليوم على مدينة المرجان والقرى المحيطة بها.",
        title="بداية التغطية",
    ),
    DemoEntry(
        285,
        "مركز الأرصاد: الكميات المسجّلة حتى السادسة صباحًا بلغت 41 ملم في حي الميناء و28 ملم "
        "في الأحياء الشرقية، مع توقّع استمرار الهطول حتى المساء.",
        author="عمر ناصر",
    ),
    DemoEntry(
        270,
        "قرّرت مديرية التربية تعليق الدوام في جميع المدارس الحكومية والخاصة اليوم، على أن "
        "يُعلن قرار الغد مساءً.",
        title="تعليق الدوام في المدارس",
        breaking=True,
        pinned=True,
    ),
    DemoEntry(
        250,
        "أُغلق نفق الكورنيش أمام السيارات بعد ارتفاع منسوب المياه فيه إلى نصف متر تقريبًا. "
        "شرطة المرور تنصح بسلوك شارع الجامعة بدلًا منه.",
    ),
    DemoEntry(
        235,
        "لا نطلب من الناس إلا البقاء في بيوتهم ما لم يكن خروجهم ضروريًا. فرقنا منتشرة في كل "
        "الأحياء المنخفضة وجاهزة للتدخّل.",
        quote="العقيد سامر البنّاء، مدير الدفاع المدني",
        author="عمر ناصر",
    ),
    DemoEntry(
        220,
        "سكان في حي السوق القديم يرفعون بضائع محالّهم إلى الرفوف العليا تحسّبًا لدخول المياه. "
        "يقول بائع الأقمشة أبو خليل إن المشهد يذكّره بشتاء عام 2009.",
        author="سمير الخطيب",
    ),
    DemoEntry(
        205,
        "أعلنت بلدية المرجان فتح قاعتين في مركز الشباب وملعب المدينة لإيواء أي عائلة تضطر إلى "
        "مغادرة منزلها، مع وجبات وبطانيات.",
        title="مراكز إيواء مؤقتة",
    ),
    DemoEntry(
        190,
        "الدفاع المدني: تلقّينا حتى الآن 37 بلاغًا عن تجمّع مياه داخل منازل، وأُنجزت معالجة 29 "
        "منها. لا إصابات بشرية.",
        breaking=True,
    ),
    DemoEntry(
        170,
        "شركة الكهرباء: انقطاع جزئي في ثلاثة أحياء شرقية بسبب غمر محطة تحويل فرعية، والعمل جارٍ "
        "لإعادة التيار خلال ساعتين.",
        author="عمر ناصر",
    ),
    DemoEntry(
        150,
        "مطار المرجان يعمل بشكل طبيعي حتى الآن، مع تأخير لا يتجاوز 40 دقيقة في رحلتين.",
    ),
    DemoEntry(
        130,
        "أُغلق جسر السوق القديم احترازيًا بعد أن اقترب مستوى الوادي من حافة الجسر. المهندسون "
        "يفحصون الدعامات الآن.",
        title="إغلاق جسر السوق القديم",
        breaking=True,
    ),
    DemoEntry(
        110,
        "متطوعون من جمعية الكشافة يوزّعون أكياس الرمل على المحال في شارع الصاغة. شاهدنا نحو "
        "ثلاثين شابًا يعملون تحت المطر منذ ساعة.",
        author="سمير الخطيب",
    ),
    DemoEntry(
        90,
        "مديرية الصحة: المستشفيات الثلاثة في المدينة على أهبة الاستعداد، وقسم الطوارئ في "
        "مستشفى المرجان العام لم يستقبل أي حالة مرتبطة بالأمطار.",
    ),
    DemoEntry(
        70,
        "الأرصاد ترفع الكمية المسجّلة في حي الميناء إلى 64 ملم، وهي الأعلى منذ ست سنوات في "
        "مثل هذا الشهر.",
        author="عمر ناصر",
    ),
    DemoEntry(
        50,
        "عاد التيار الكهربائي إلى حيّين من الأحياء الثلاثة، وما زال حي التلال بلا كهرباء.",
    ),
    DemoEntry(
        30,
        "تخفّ شدّة الهطول تدريجيًا فوق الأحياء الغربية، لكن الأرصاد تحذّر من موجة ثانية بعد العصر.",
        title="هدوء حذر",
    ),
    DemoEntry(
        12,
        "ننصح القرّاء بعدم عبور الأودية والطرق المغمورة بالسيارات مهما بدا منسوب المياه "
        "منخفضًا. أرسلوا لنا صوركم وملاحظاتكم عبر صفحة اتصل بنا.",
        pinned=True,
    ),
]

METRO = [
    DemoEntry(
        1560,
        "نبدأ تغطيتنا المباشرة لافتتاح الخط الأول من مترو المرجان. الاحتفال في محطة الجامعة "
        "بعد ساعة.",
        author="ليلى الحداد",
    ),
    DemoEntry(
        1530,
        "وصل أول قطار إلى رصيف محطة الجامعة وسط تصفيق الحاضرين. القطار من أربع عربات ويتّسع "
        "لستمئة راكب.",
        title="القطار الأول",
    ),
    DemoEntry(
        1500,
        "هذا الخط وعدٌ قطعناه قبل أربع سنوات، واليوم نسلّمه لأهل المدينة.",
        quote="رئيس بلدية المرجان في كلمة الافتتاح",
    ),
    DemoEntry(
        1470,
        "الرحلة الكاملة من الجامعة إلى الميناء استغرقت 22 دقيقة كما وُعد. جرّبناها بأنفسنا.",
        author="سمير الخطيب",
    ),
    DemoEntry(
        1440,
        "الركوب مجاني طوال الأسبوع الأول، ثم تذكرة موحّدة بنصف دينار لأي مسافة.",
        breaking=True,
    ),
    DemoEntry(
        1400,
        "بهذا نختتم تغطيتنا المباشرة لافتتاح المترو. شكرًا لمتابعتكم، وتجدون الملخص أعلى الصفحة.",
    ),
]


def _entries(coverage: Coverage, items: list[DemoEntry], now: datetime) -> None:
    from akhbar.live.services import text_to_html

    Entry.objects.bulk_create(
        Entry(
            coverage=coverage,
            kind=Entry.Kind.QUOTE if item.quote else Entry.Kind.TEXT,
            title=item.title,
            body=text_to_html(item.text),
            quote_source=item.quote,
            is_breaking=item.breaking,
            is_pinned=item.pinned,
            author_name=item.author,
            created_at=now - timedelta(minutes=item.minutes_ago),
        )
        for item in sorted(items, key=lambda e: -e.minutes_ago)
    )


def _article(slug: str, title: str, excerpt: str, category: str, hours_ago: float) -> Article:
    author = Author.objects.filter(display_name="ليلى الحداد").first()
    section = Category.objects.filter(slug=category).first() or Category.objects.first()
    article = Article(
        slug=slug,
        title=title,
        excerpt=excerpt,
        body=f"<p>{excerpt}</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=hours_ago),
        category=section,
        author=author,
    )
    article.save()
    return article


def load_live_demo() -> int:
    """Create the two demo coverages when missing; returns how many were created."""
    if Category.objects.count() == 0:
        return 0  # the newsroom demo comes first
    created = 0
    now = timezone.now()
    with transaction.atomic():
        if not Article.objects.filter(slug=RAIN_SLUG).exists():
            article = _article(
                RAIN_SLUG,
                "مباشر: أمطار غزيرة على المرجان وتعليق الدوام في المدارس",
                "تغطية مباشرة لموجة الأمطار الغزيرة على مدينة المرجان: الطرق المغلقة ومراكز "
                "الإيواء وآخر بيانات الأرصاد والدفاع المدني.",
                "local",
                5.2,
            )
            coverage = Coverage.objects.create(
                article=article, summary=RAIN_SUMMARY, started_at=now - timedelta(minutes=302)
            )
            _entries(coverage, RAIN, now)
            Coverage.objects.filter(pk=coverage.pk).update(version=len(RAIN))
            created += 1
        if not Article.objects.filter(slug=METRO_SLUG).exists():
            article = _article(
                METRO_SLUG,
                "مباشر: افتتاح الخط الأول لمترو المرجان",
                "تابعنا مباشرة افتتاح أول خط مترو في المرجان: القطار الأول، كلمة الافتتاح، "
                "والرحلة الأولى من الجامعة إلى الميناء.",
                "local",
                26,
            )
            coverage = Coverage.objects.create(
                article=article,
                summary=METRO_SUMMARY,
                state=Coverage.State.ENDED,
                started_at=now - timedelta(minutes=1565),
                ended_at=now - timedelta(minutes=1395),
            )
            _entries(coverage, METRO, now)
            Coverage.objects.filter(pk=coverage.pk).update(version=len(METRO))
            created += 1
    return created
