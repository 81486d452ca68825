"""Plain text from article HTML: what search, excerpts and feeds are built from."""

from akhbar.newsroom.html import html_to_text, sanitize_html


def test_block_boundaries_become_spaces():
    html = "<p>الفقرة الأولى.</p><p>الثانية<br>سطر</p><ul><li>أ</li><li>ب</li></ul><h2>عنوان</h2>"
    assert html_to_text(html) == "الفقرة الأولى. الثانية سطر أ ب عنوان"


def test_entities_and_scripts():
    assert (
        html_to_text("<p>&laquo;خبر&raquo; &amp; تعليق</p><script>x()</script>") == "«خبر» & تعليق"
    )
    assert "<script" not in sanitize_html("<script>alert(1)</script><p>نص</p>")
