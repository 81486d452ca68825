"""An import never changes an existing account: a WXR author named like an existing user
(tested with ``admin``) becomes a new inactive contributor unless ``--map-author`` says
otherwise."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from akhbar.importers.wordpress import import_wordpress
from akhbar.newsroom.models import Article, Author
from tests.importers.conftest import ARABIC

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def hostile_export(tmp_path):
    """The Arabic export, with its author 'samira' renamed 'admin' and a hostile email."""
    path = tmp_path / "export.xml"
    text = ARABIC.read_text()
    text = text.replace("<![CDATA[samira]]>", "<![CDATA[admin]]>")
    text = text.replace("samira@example.org", "attacker@evil.example")
    path.write_text(text)
    return path


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("admin", "editor-in-chief@news.example", "سر-طويل-جداً-1")


def test_an_export_cannot_take_over_an_existing_account(hostile_export, admin_user):
    import_wordpress(hostile_export)
    admin_user.refresh_from_db()
    assert admin_user.email == "editor-in-chief@news.example"
    assert admin_user.first_name == "" and admin_user.last_name == ""
    assert admin_user.check_password("سر-طويل-جداً-1")
    assert not Author.objects.filter(user=admin_user).exists()
    new = User.objects.get(email="attacker@evil.example")
    assert new.username == "admin-wp" and not new.is_active and not new.is_superuser
    assert not new.has_usable_password()
    assert [g.name for g in new.groups.all()] in ([], ["مساهم"])
    article = Article.objects.filter(author__user=new).first()
    assert article is not None


def test_reimport_keeps_crediting_the_new_account(hostile_export, admin_user):
    import_wordpress(hostile_export)
    import_wordpress(hostile_export)
    assert User.objects.filter(username__startswith="admin").count() == 2
    admin_user.refresh_from_db()
    assert admin_user.email == "editor-in-chief@news.example"


def test_map_author_credits_the_existing_account_without_changing_it(hostile_export):
    salma = User.objects.create_user("salma", "salma@news.example", "سر-طويل-جداً-2")
    Author.objects.create(user=salma, display_name="سلمى من غرفة الأخبار", slug="salma")
    call_command(
        "import_wordpress", str(hostile_export), "--no-progress", "--map-author", "admin=salma",
        stdout=StringIO(),
    )  # fmt: skip
    salma.refresh_from_db()
    assert salma.email == "salma@news.example" and salma.is_active
    profile = Author.objects.get(user=salma)
    assert profile.display_name == "سلمى من غرفة الأخبار"
    assert Article.objects.filter(author=profile).exists()
    assert not User.objects.filter(email="attacker@evil.example").exists()


@pytest.mark.parametrize("value", ["admin", "admin=", "=salma", "admin=nobody"])
def test_bad_map_author_values_are_clear_errors(hostile_export, value):
    with pytest.raises(CommandError, match="--map-author"):
        call_command("import_wordpress", str(hostile_export), "--no-progress",
                     "--map-author", value, stdout=StringIO())  # fmt: skip
