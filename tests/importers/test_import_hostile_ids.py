"""A WXR id beyond a 64-bit column skips that item instead of aborting the import."""

from __future__ import annotations

import pytest

from akhbar.importers.wordpress import import_wordpress
from akhbar.newsroom.models import Article
from tests.importers.conftest import ARABIC

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["99999999999999999999", "-99999999999999999999", "1" * 5000])
def test_overflowing_post_id_skips_that_post(tmp_path, bad):
    path = tmp_path / "export.xml"
    path.write_text(
        ARABIC.read_text().replace(
            "<wp:post_id>101</wp:post_id>", f"<wp:post_id>{bad}</wp:post_id>"
        )
    )
    report = import_wordpress(path)
    assert report.skipped[("post", "no valid wp:post_id")] == 1
    assert Article.objects.count() == 3  # the other posts of the file


def test_overflowing_comment_ids_do_not_abort(tmp_path):
    text = ARABIC.read_text()
    path = tmp_path / "export.xml"
    path.write_text(text.replace("<wp:comment_parent>", "<wp:comment_parent>99999999999999999999"))
    import_wordpress(path)
    assert Article.objects.count() == 4
