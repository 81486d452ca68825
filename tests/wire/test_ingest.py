"""Wire ingest: Arabic NewsML-G2 and ninjs (embargo, update, kill), IPTC examples, folders, push,
hostile input. Real database, real files, real HTTP client against the test server."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from akhbar.newsroom.models import Article
from akhbar.wire import ingest, parsers
from akhbar.wire.models import SubjectRule, WireItem, WireLog, WireSource
from tests import factories as f
from tests.conftest import SHARED

DATA = Path(__file__).parent / "data"
IPTC = SHARED / "fixtures" / "iptc"
pytestmark = pytest.mark.django_db


@pytest.fixture
def source(settings, tmp_path):
    settings.AKHBAR_WIRE = {**settings.AKHBAR_WIRE, "ROOT": str(tmp_path), "FETCH_PHOTOS": False}
    return WireSource.objects.create(
        name="الوكالة",
        kind="folder",
        folder="wakala",
        credit="وكالة الأنباء التجريبية",
        default_category=f.category("عام"),
        auto_publish=True,
    )


def _file(name: str, embargo=None) -> bytes:
    text = (DATA / name).read_text(encoding="utf-8")
    when = embargo or (timezone.now() + timedelta(hours=3))
    return text.replace("__EMBARGO__", when.strftime("%Y-%m-%dT%H:%M:%SZ")).encode()


def test_newsml_embargo_update_kill(source):
    econ = f.category("اقتصاد")
    tag = f.tag("مصارف")
    SubjectRule.objects.create(match="medtop:04000000", category=econ)
    SubjectRule.objects.create(match="المصرف", tag=tag)
    r = ingest.ingest_bytes(source, _file("wafa_embargo_v1.xml"), filename="a.xml")
    assert r.created == 1 and not r.errors
    a = Article.objects.get()
    assert a.category == econ and list(a.tags.all()) == [tag]
    assert a.source_name == "وكالة الأنباء التجريبية" and a.author.display_name.startswith("مراسل")
    assert "عمّان، الأحد" in a.body
    assert a.is_scheduled and not Article.objects.published().exists()  # embargo respected
    r = ingest.ingest_bytes(source, _file("wafa_update_v2.xml"), filename="b.xml")
    assert r.updated == 1
    a.refresh_from_db()
    assert "مزيدًا من الخفض" in a.title
    note = a.notes.get()
    assert note.kind == "update" and "تصريح المحافظ" in note.text
    again = ingest.ingest_bytes(source, _file("wafa_update_v2.xml"), filename="b2.xml")
    assert again.skipped == 1  # same version twice
    r = ingest.ingest_bytes(source, _file("wafa_kill_v3.xml"), filename="c.xml")
    assert r.killed == 1
    a.refresh_from_db()
    assert a.status == "archived" and a.notes.filter(kind="withdrawal").exists()
    levels = list(WireLog.objects.values_list("level", flat=True))
    assert levels.count("ok") == 3 and "skipped" in levels


def test_ninjs_embargo_update_kill(source):
    r = ingest.ingest_bytes(source, _file("ninjs_v1.json"))
    assert r.created == 1, r.errors
    a = Article.objects.get()
    assert a.is_scheduled and "بيروت" in a.body and a.author.display_name == "قسم الصحة"
    assert ingest.ingest_bytes(source, _file("ninjs_update_v2.json")).updated == 1
    assert ingest.ingest_bytes(source, _file("ninjs_kill_v3.json")).killed == 1
    a.refresh_from_db()
    assert a.status == "archived"


def test_drafts_get_the_embargo_as_their_time(source):
    source.auto_publish = False
    source.save()
    ingest.ingest_bytes(source, _file("wafa_embargo_v1.xml"))
    a = Article.objects.get()
    assert a.status == "draft" and a.published_at > timezone.now()


def test_news_message_items_each_on_their_own(source):
    r = ingest.ingest_bytes(source, (DATA / "message_nitf.xml").read_bytes())
    assert r.created == 1
    assert r.errors == [
        "urn:newsml:wakala.example:2026:no-headline: missing headline (contentMeta/headline)"
    ]
    a = Article.objects.get()
    assert a.author.display_name == "سامر العلي" and "نصف النهائي" in a.body


def test_cross_agency_duplicate_is_flagged(source, django_capture_on_commit_callbacks):
    other = WireSource.objects.create(
        name="أخرى", kind="push", credit="وكالة أخرى", default_category=source.default_category
    )
    with django_capture_on_commit_callbacks(execute=True):
        ingest.ingest_bytes(
            source, _file("wafa_embargo_v1.xml", timezone.now() - timedelta(hours=1))
        )
    with django_capture_on_commit_callbacks(execute=True):
        ingest.ingest_bytes(other, (DATA / "ninjs2_other_agency.json").read_bytes())
    item = WireItem.objects.get(source=other)
    assert item.duplicate_of == WireItem.objects.get(source=source).article
    assert "near-duplicate" in WireLog.objects.filter(source=other).first().message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'><unclosed>", "malformed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g">&xxe;</newsItem>',
            "DOCTYPE",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'  # noqa: E501
            b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">&b;</newsItem>',
            "DOCTYPE",
        ),
        (b"<newsItem xmlns='http://example.com/not-g2'/>", "unexpected namespace"),
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe garbage", "unknown format"),
        (
            b"<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/' guid='g' version='x'/>",
            "invalid version",
        ),
    ],
)
def test_bad_files_fail_clearly_and_import_nothing(source, data, reason):
    r = ingest.ingest_bytes(source, data, filename="bad")
    assert not Article.objects.exists()
    text = r.fatal + " ".join(r.errors)
    assert reason in text
    assert reason in WireLog.objects.get().message


def test_huge_file_refused_before_parsing(source, settings):
    settings.AKHBAR_WIRE = {**settings.AKHBAR_WIRE, "MAX_BYTES": 1024 * 1024}
    r = ingest.ingest_bytes(source, b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a>")
    assert "larger than" in r.fatal and not Article.objects.exists()


def test_embargo_too_far_and_in_the_past(source):
    far = ingest.ingest_bytes(
        source, _file("wafa_embargo_v1.xml", timezone.now() + timedelta(days=400))
    )
    assert "too far in the future" in far.errors[0] and not Article.objects.exists()
    past = ingest.ingest_bytes(
        source, _file("wafa_embargo_v1.xml", timezone.now() - timedelta(days=1))
    )
    assert past.created == 1 and Article.objects.published().exists()
    assert "embargo already passed" in WireLog.objects.filter(level="ok").get().message


def test_duplicate_guid_in_one_file(source):
    doc = (DATA / "ninjs2_other_agency.json").read_text(encoding="utf-8")
    r = ingest.ingest_bytes(source, f"[{doc}, {doc}]".encode())
    assert r.created == 1 and "duplicate guid" in r.errors[0]


def test_folder_watcher_moves_files_with_reasons(source):
    folder = ingest.source_dir(source)
    folder.mkdir(parents=True)
    (folder / "good.xml").write_bytes(_file("wafa_embargo_v1.xml"))
    (folder / "bad.json").write_bytes(b"{oops")
    (folder / "still-uploading.xml.part").write_bytes(b"<")
    done = dict(ingest.watch_folder(source))
    assert set(done) == {"good.xml", "bad.json"}
    assert (folder / "done" / "good.xml").exists()
    assert (folder / "failed" / "bad.json").exists()
    assert "invalid JSON" in (folder / "failed" / "bad.json.reason.txt").read_text()
    assert (folder / "still-uploading.xml.part").exists()


def test_wire_ingest_command_lists_each_file_and_ends_with_a_summary(source):
    import io

    from django.core.management import call_command

    folder = ingest.source_dir(source)
    folder.mkdir(parents=True)
    (folder / "good.xml").write_bytes(_file("wafa_embargo_v1.xml"))
    (folder / "bad.json").write_bytes(b"{oops")
    out = io.StringIO()
    call_command("wire_ingest", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("الوكالة/good.xml: created 1") for line in lines)
    assert any(line.startswith("الوكالة/bad.json: created 0") for line in lines)
    assert lines[-1] == (
        "1 sources, 2 files or polls: created 1, updated 0, killed 0, skipped 0, errors 1"
    )


def test_push_endpoint_checks_the_secret(client, source):
    push = WireSource.objects.create(
        name="دفع", kind="push", credit="وكالة", default_category=source.default_category
    )
    body = (DATA / "ninjs2_other_agency.json").read_bytes()
    url = f"/wire/push/{push.pk}/"
    assert client.post(url, body, content_type="application/json").status_code == 401
    forged = client.post(
        url, body, content_type="application/json", HTTP_X_AKHBAR_SIGNATURE="sha256=00"
    )
    assert forged.status_code == 401
    sig = "sha256=" + hmac.new(push.secret.encode(), body, hashlib.sha256).hexdigest()
    ok = client.post(url, body, content_type="application/json", HTTP_X_AKHBAR_SIGNATURE=sig)
    assert ok.status_code == 200 and ok.json()["created"] == 1
    bad = b"{broken"
    sig = "sha256=" + hmac.new(push.secret.encode(), bad, hashlib.sha256).hexdigest()
    r = client.post(url, bad, content_type="application/json", HTTP_X_AKHBAR_SIGNATURE=sig)
    assert r.status_code == 422 and "invalid JSON" in r.json()["error"]


def test_rss_still_works(source):
    rss = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
        "<item><guid>rss-1</guid><title>خبر من خلاصة</title><description>&lt;p&gt;نص الخبر&lt;/p&gt;"  # noqa: E501
        "</description></item></channel></rss>"
    ).encode()
    assert ingest.ingest_bytes(source, rss).created == 1


@pytest.mark.shared  # the IPTC examples in ../shared
def test_every_iptc_example_imports_or_fails_with_a_reason(source):
    files = sorted((IPTC / "newsml-g2" / "examples").glob("*.xml"))
    files += sorted((IPTC / "ninjs" / "examples").rglob("*.json"))
    assert len(files) > 60
    imported = failed = 0
    for path in files:
        r = ingest.ingest_bytes(source, path.read_bytes(), filename=path.name)
        if r.created or r.updated or r.killed or r.skipped:
            imported += 1
        else:
            failed += 1
            reason = r.fatal or "; ".join(r.errors)
            assert reason.strip(), path.name
            print(f"{path.name}: {reason[:110]}")
    assert imported >= 25 and failed >= 10
    assert WireLog.objects.filter(level="error").exclude(message="").count() >= failed


@pytest.mark.shared  # the IPTC examples in ../shared
def test_parser_reads_nitf_byline_and_subjects():
    story = parsers.parse(
        (IPTC / "newsml-g2/examples/LISTING_2_NewsML-G2_Text_Document.xml").read_bytes()
    ).items[0]
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert (
        story.version == 11
        and ("medtop:04000000", "economy, business and finance") in story.subjects
    )
    assert story.byline == "Meredith Jameson" and "<p>" in story.body_html


def test_photo_item_from_the_folder_with_rights(source, settings, tmp_path):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path / "media")
    folder = ingest.source_dir(source)
    folder.mkdir(parents=True)
    out = io.BytesIO()
    Image.new("RGB", (800, 500), (200, 120, 40)).save(out, "JPEG")
    (folder / "harbour.jpg").write_bytes(out.getvalue())
    (folder / "photo_item.xml").write_bytes((DATA / "photo_item.xml").read_bytes())
    results = dict(ingest.watch_folder(source))
    assert results["photo_item.xml"].created == 1
    a = Article.objects.get()
    assert a.featured_image and "للاستخدام التحريري فقط" in a.image_credit
    assert a.image_alt.startswith("قوارب الصيد") and "قوارب الصيد" in a.body
    assert (folder / "done" / "harbour.jpg").exists() and not (folder / "harbour.jpg").exists()


# --- A folder scan is one delivery -----------------------------------------------------------

STORIES = [
    "قرر المجلس البلدي توسيع شبكة النقل العام لتشمل الأحياء الشرقية خلال العام المقبل",
    "افتتح معرض الكتاب أبوابه بمشاركة مئتي دار نشر من عشرين دولة عربية وأجنبية",
    "أعلن الاتحاد المحلي لكرة القدم جدول الموسم الجديد بعد تأجيل دام أسبوعين",
    "حذرت هيئة الأرصاد من موجة حر تبلغ فيها الحرارة خمسا وأربعين درجة مئوية",
]


def _ninjs(guid: str, version: int, text: str, **extra) -> bytes:
    import json

    body = "".join(f"<p>{text}، {word}.</p>" for word in ("أولا", "ثانيا", "ثالثا"))
    doc = {
        "uri": guid,
        "type": "text",
        "version": str(version),
        "language": "ar",
        "headlines": [{"role": "main", "value": text[:60]}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": body}],
        **extra,
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def _refuse_insert(table: str, column: str, value: str) -> None:
    """A real database refusal (a trigger) for one row: a failure no input check catches."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION akhbar_test_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by the test trigger'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER akhbar_test_refuse BEFORE INSERT ON {table} FOR EACH ROW "
                f"WHEN (NEW.{column} = '{value}') EXECUTE FUNCTION akhbar_test_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER akhbar_test_refuse BEFORE INSERT ON {table} "
                f"WHEN NEW.{column} = '{value}' "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
            )


@pytest.fixture
def article_batches():
    from akhbar.core import events

    batches: list[tuple] = []
    events.subscribe(events.ArticlePublished, batches.append, name="test-wire", batch=True)
    yield batches
    events.unsubscribe(events.ArticlePublished, name="test-wire")


def test_folder_scan_is_one_delivery_and_a_failing_item_rolls_back_alone(source, article_batches):
    folder = ingest.source_dir(source)
    folder.mkdir(parents=True)
    (folder / "1.json").write_bytes(_ninjs("urn:t:1", 1, STORIES[0]))
    (folder / "2.json").write_bytes(_ninjs("urn:t:2", 1, STORIES[1]))
    (folder / "3.json").write_bytes(_ninjs("urn:t:1", 2, STORIES[0] + " وأكد ذلك الوزير"))
    (folder / "4.json").write_bytes(_ninjs("urn:t:bad", 1, STORIES[2]))  # refused when stored
    (folder / "5.json").write_bytes(_ninjs("urn:t:3", 1, STORIES[3]))
    (folder / "6.json").write_bytes(_ninjs("urn:t:2", 1, STORIES[1]))  # same version again
    _refuse_insert("wire_wireitem", "guid", "urn:t:bad")  # after its article was saved
    results = dict(ingest.watch_folder(source))
    outcome = {
        name: (r.created, r.updated, r.skipped, bool(r.errors)) for name, r in results.items()
    }
    assert outcome == {
        "1.json": (1, 0, 0, False),
        "2.json": (1, 0, 0, False),
        "3.json": (0, 1, 0, False),  # the update of 1.json, in the same delivery
        "4.json": (0, 0, 0, True),
        "5.json": (1, 0, 0, False),
        "6.json": (0, 0, 1, False),
    }
    assert "refused by the test trigger" in results["4.json"].errors[0]
    # The failing item's article went with its savepoint; the others stayed.
    assert (
        Article.objects.count() == 3
        and not Article.objects.filter(title__startswith=STORIES[2][:20]).exists()
    )
    updated = WireItem.objects.get(guid="urn:t:1")
    assert updated.version == 2 and "وأكد ذلك الوزير" in updated.article.body
    assert updated.article.notes.get().kind == "update"
    # One delivery: subscribers heard of the three new articles in one batch (one cache bump).
    assert [len(b) for b in article_batches] == [3]
    levels = dict(WireLog.objects.values_list("filename", "level"))
    assert levels == {
        "1.json": "ok", "2.json": "ok", "3.json": "ok", "4.json": "error", "5.json": "ok",
        "6.json": "skipped",
    }  # fmt: skip
    assert sorted(p.name for p in (folder / "done").iterdir()) == [
        "1.json", "2.json", "3.json", "5.json", "6.json"
    ]  # fmt: skip
    assert (folder / "failed" / "4.json").exists()
    assert "refused" in (folder / "failed" / "4.json.reason.txt").read_text()


def test_folder_scan_in_batches_of_the_configured_size(source, settings, article_batches):
    settings.AKHBAR_WIRE = {**settings.AKHBAR_WIRE, "BATCH_FILES": 2}
    folder = ingest.source_dir(source)
    folder.mkdir(parents=True)
    for i, text in enumerate(STORIES):
        (folder / f"{i}.json").write_bytes(_ninjs(f"urn:t:{i}", 1, text))
    assert all(r.created == 1 for _, r in ingest.watch_folder(source))
    assert [len(b) for b in article_batches] == [2, 2]


def test_a_delivery_the_database_refuses_is_imported_again_file_by_file(source):
    """Should the delivery's transaction fail as a whole (here: its log lines are refused
    when written at the end), nothing of it stays, and each file is imported again on its
    own, so only the file concerned fails."""
    folder = ingest.source_dir(source)
    folder.mkdir(parents=True)
    for i, text in enumerate(STORIES[:3]):
        (folder / f"{i}.json").write_bytes(_ninjs(f"urn:t:{i}", 1, text))
    _refuse_insert("wire_wirelog", "filename", "1.json")
    results = dict(ingest.watch_folder(source))
    assert results["0.json"].created == 1 and results["2.json"].created == 1
    assert results["1.json"].created == 0 and "not imported" in results["1.json"].fatal
    assert set(WireItem.objects.values_list("guid", flat=True)) == {"urn:t:0", "urn:t:2"}
    assert Article.objects.count() == 2
    assert (folder / "failed" / "1.json").exists() and (folder / "done" / "0.json").exists()
