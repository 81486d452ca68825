"""Only editors credit others, set «عاجل» or back-date; readers cannot comment as the
newsroom, an author or a staff member, even with look-alike letters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from akhbar.antispam.models import AntispamSettings
from akhbar.comments.models import Comment
from akhbar.newsroom import services
from akhbar.newsroom.forms import ArticleAdminForm
from akhbar.newsroom.models import Article, Author
from tests import factories as f
from tests.comments.test_posting import JSON, form_data, post
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db


def draft(user, **kw) -> Article:
    return Article(**{"title": "خبر", "body": "<p>نص</p>", "category": f.category(),
                      "status": "draft", **kw})  # fmt: skip


@pytest.fixture
def people():
    return {
        "contributor": make_user("contributor", "imp-contrib"),
        "author": make_user("author", "imp-author"),
        "editor": make_user("editor", "imp-editor"),
        "other": Author.objects.create(display_name="سلمى الحسن", slug="salma-h"),
    }


@pytest.mark.parametrize("role", ["contributor", "author"])
def test_crediting_another_writer_needs_the_editor_role(people, role):
    user = people[role]
    with pytest.raises(PermissionDenied, match="كاتب آخر"):
        services.save_article(draft(user, author=people["other"]), user)
    own = services.save_article(draft(user, author=user.author_profile), user)
    assert own.pk
    services.save_article(draft(people["editor"], author=people["other"]), people["editor"])


def test_breaking_and_backdating_need_the_editor_role(people, settings):
    settings.AKHBAR = {**settings.AKHBAR, "BACKDATE_LIMIT_HOURS": 24}
    author = people["author"]
    old = timezone.now() - timedelta(days=5 * 365)
    with pytest.raises(PermissionDenied, match="عاجل"):
        services.save_article(draft(author, is_breaking=True), author)
    with pytest.raises(PermissionDenied, match="24 ساعة"):
        services.save_article(
            draft(author, status="published", published_at=old, excerpt="x"), author
        )
    recent = timezone.now() - timedelta(hours=3)
    ok = services.save_article(draft(author, published_at=recent), author)
    assert ok.pk
    editor = people["editor"]
    services.save_article(draft(editor, is_breaking=True, published_at=old), editor)


def test_a_flag_set_by_an_editor_does_not_block_the_author_later(people):
    author, editor = people["author"], people["editor"]
    article = services.save_article(draft(author, author=author.author_profile), author)
    article.is_breaking = True
    services.save_article(article, editor)
    article.title = "عنوان مصحح"
    services.save_article(article, author)  # unchanged flag: fine


def test_the_admin_form_explains_in_arabic(people):
    author = people["author"]
    form_class = type("F", (ArticleAdminForm,), {"user": author})
    form = form_class(
        data={
            "title": "خبر عاجل مزعوم", "body": "<p>نص</p>", "status": "draft",
            "category": f.category().pk, "author": people["other"].pk, "is_breaking": "on",
            "comments_open": "on",
        }
    )  # fmt: skip
    assert not form.is_valid()
    assert "كاتب آخر" in str(form.errors["author"])
    assert "عاجل" in str(form.errors["is_breaking"])


@pytest.fixture
def article():
    s = AntispamSettings.current()
    s.hold_first_time_commenters = False
    s.save()
    Author.objects.create(display_name="سلمى الحسن", slug="salma-hassan")
    return f.article()


@pytest.mark.parametrize(
    "name",
    [
        "فريق التحرير", "فریق التحریر", "فَرِيقُ الـتـحـريـر", "ف\u200dريق التحرير",
        "فريق التحرير الرسمي", "أخبار", "سلمى الحسن", "سلمی الحسن", "Admin", "Аdmіn",
        "imp-staff",
    ],
)  # fmt: skip
def test_reserved_names_are_refused_to_readers(article, name):
    make_user("editor", "imp-staff")
    c = Client(enforce_csrf_checks=True)
    r = post(c, article, form_data(c, article, author_name=name), **JSON)
    assert r.status_code == 400
    assert "محجوز" in r.json()["errors"]["author_name"][0]
    r = post(c, article, form_data(c, article, author_name=name))
    assert r.status_code == 400 and "مقال ممتاز" in r.content.decode()  # text kept
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("name", ["سلمى", "أحمد التحريري", "Adam", "فريق الكرة"])
def test_ordinary_names_are_fine(article, name):
    c = Client(enforce_csrf_checks=True)
    r = post(c, article, form_data(c, article, author_name=name), **JSON)
    assert r.status_code == 200, r.content


def test_staff_may_use_their_own_name(article):
    editor = make_user("editor", "imp-signed")
    c = Client(enforce_csrf_checks=True)
    c.force_login(editor)
    r = post(c, article, form_data(c, article, author_name="فريق التحرير"), **JSON)
    assert r.status_code == 200


def test_a_new_author_name_is_reserved_at_once(article):
    c = Client(enforce_csrf_checks=True)
    assert (
        post(c, article, form_data(c, article, author_name="نادر الخطيب"), **JSON).status_code
        == 200
    )
    Author.objects.create(display_name="نادر الخطيب", slug="nader")
    r = post(c, article, form_data(c, article, author_name="نادر الخطيب"), **JSON)
    assert r.status_code == 400 and "محجوز" in r.json()["errors"]["author_name"][0]
