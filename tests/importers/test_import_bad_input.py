"""Broken uploads: a clear English error with the position, a non-zero exit, no half items."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from akhbar.comments.models import Comment
from akhbar.importers.models import ImportedItem
from akhbar.newsroom.models import Article
from tests.conftest import REPO
from tests.importers.conftest import ARABIC

pytestmark = pytest.mark.django_db


def run(path: Path) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_wordpress", str(path), "--no-progress", stdout=out)
    return str(info.value), out.getvalue()


def test_truncated_file_keeps_whole_items_before_the_fault(tmp_path):
    text = ARABIC.read_text()
    cut = text.index("مبروك للجميع")  # inside the second post's comments
    path = tmp_path / "truncated.xml"
    path.write_text(text[:cut])
    message, out = run(path)
    assert "truncated.xml at line" in message
    assert "not well-formed" in message
    assert "were imported, each one complete" in message
    # The first post arrived whole, comments and all; the cut one left nothing behind.
    library = Article.objects.get(slug="افتتاح-مكتبة-جديدة-في-المدينة")
    assert library.comments.count() == 5
    assert Article.objects.count() == 1
    assert not Comment.objects.filter(author_name="مشجع").exists()
    assert "Created" in out  # the summary is printed even for a failed run


def test_rerun_after_fixing_the_file_completes(tmp_path):
    text = ARABIC.read_text()
    path = tmp_path / "export.xml"
    path.write_text(text[: text.index("مبروك للجميع")])
    run(path)
    path.write_text(text)
    call_command("import_wordpress", str(path), "--no-progress", stdout=StringIO())
    assert Article.objects.count() == 4
    assert ImportedItem.objects.filter(kind="post").count() == 4


def test_not_a_wordpress_export(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?>\n<html><body>hello</body></html>\n')
    message, _ = run(path)
    assert "not appear to be a WordPress export" in message and "line 2" in message
    assert "Nothing was imported" in message


def test_plain_rss_without_wxr_version(tmp_path):
    path = tmp_path / "rss.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        "<item><title>a</title></item></channel></rss>"
    )
    message, _ = run(path)
    assert "missing <wp:wxr_version>" in message
    assert Article.objects.count() == 0


def test_invalid_utf8(tmp_path):
    data = ARABIC.read_bytes()
    at = data.index("فوز الفريق المحلي".encode())
    path = tmp_path / "latin.xml"
    path.write_bytes(data[:at] + b"\xff\xfe\xc3\x28" + data[at:])
    message, _ = run(path)
    assert "line" in message and ("UTF-8" in message or "encoding" in message.lower())
    assert not Article.objects.filter(title__contains="فوز").exists()


def test_xml_bomb_is_refused_before_anything_is_read(tmp_path):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "' + f"&lol{n - 1};" * 10 + '">' for n in range(1, 10)
    ]
    text = ARABIC.read_text()
    head, body = text.split("<rss", 1)
    path = tmp_path / "bomb.xml"
    path.write_text(
        head
        + "<!DOCTYPE rss [\n"
        + "\n".join(entities)
        + "\n]>\n<rss"
        + body.replace("أخبار المدينة", "&lol9;", 1)
    )
    message, _ = run(path)
    assert "DTD" in message and "at line " in message
    assert Article.objects.count() == 0


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    message, _ = run(empty)
    assert "empty.xml" in message and "Nothing was imported" in message
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"), stdout=StringIO())


def test_cli_exit_code_and_no_traceback(tmp_path):
    path = tmp_path / "not-wxr.xml"
    path.write_text("<root/>")
    env = {
        **os.environ,
        "AKHBAR_DATA_DIR": str(tmp_path),
        "AKHBAR_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DATABASE_URL": "",
    }
    env.pop("DATABASE_URL")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", str(path), "--no-progress"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "CommandError: not-wxr.xml at line 1: This does not appear" in done.stderr
