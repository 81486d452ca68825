"""Tests for the streaming WXR reader (pure Python, no Django).

Counts for the big WordPress fixtures are computed independently with the
standard library's ElementTree so the reader is checked against a second
implementation, not against numbers copied from its own output.
"""

from __future__ import annotations

import collections
import io
import re
import sys
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from akhbar.importers.wxr import (
    WxrAuthor,
    WxrCategory,
    WxrComment,
    WxrError,
    WxrItem,
    WxrRecord,
    WxrSite,
    WxrTag,
    WxrTerm,
    read_wxr,
)
from tests.conftest import SHARED, shared_file

FIXTURES = SHARED / "fixtures" / "wordpress"
THEME = FIXTURES / "themeunittestdata.wordpress.xml"
BLOCKS = FIXTURES / "64-block-test-data.xml"
IMPORTER = FIXTURES / "importer"

needs_fixtures = pytest.mark.shared


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Shadow the project-wide Django cache fixture: these tests need no Django settings."""
    yield


def fixture(path: Path) -> Path:
    """Return ``path`` or skip visibly when the shared fixture file is absent."""
    return shared_file(path)


def read_all(source: object) -> list[WxrRecord]:
    return list(read_wxr(source))  # type: ignore[arg-type]


def read_until_error(source: object) -> tuple[list[WxrRecord], WxrError | None]:
    """Collect records until the reader raises; only WxrError is acceptable."""
    records: list[WxrRecord] = []
    try:
        for record in read_wxr(source):  # type: ignore[arg-type]
            records.append(record)
    except WxrError as exc:
        return records, exc
    return records, None


def of_type(records: list[WxrRecord], kind: type) -> list:
    return [r for r in records if isinstance(r, kind)]


WXR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/">\n'
    "<channel>\n<title>Test</title>\n<link>https://example.org</link>\n"
    "<language>ar</language>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
    "<wp:base_site_url>https://example.org</wp:base_site_url>\n"
    "<wp:base_blog_url>https://example.org</wp:base_blog_url>\n"
)
WXR_TAIL = "</channel>\n</rss>\n"


def item_xml(post_id: int, content: str = "body", **wp: str) -> str:
    fields = {"post_type": "post", "status": "publish", **wp}
    extra = "".join(f"<wp:{k}>{v}</wp:{k}>" for k, v in fields.items())
    return (
        f"<item><title>Post {post_id}</title><dc:creator>admin</dc:creator>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>{extra}</item>\n"
    )


# --------------------------------------------------------------------------
# Theme unit test data, checked against an independent ElementTree count
# --------------------------------------------------------------------------


def _wp_ns(root: ET.Element) -> str:
    for el in root.iter():
        match = re.match(r"\{(https?://wordpress\.org/export/\d+\.\d+/)\}", el.tag)
        if match:
            return "{" + match.group(1) + "}"
    raise AssertionError("no wp namespace in fixture")


def _thread_depth(parents: dict[str, str]) -> int:
    """Deepest reply chain given comment_id -> comment_parent ("0" = top level)."""

    def depth(cid: str) -> int:
        level = 1
        while parents.get(cid, "0") not in ("0", ""):
            cid = parents[cid]
            level += 1
        return level

    return max((depth(c) for c in parents), default=0)


def independent_counts(path: Path) -> dict[str, object]:
    root = ET.parse(path).getroot()
    wp = _wp_ns(root)
    channel = root.find("channel")
    assert channel is not None
    items = channel.findall("item")
    depth = 0
    comments = 0
    for item in items:
        parents = {
            c.findtext(wp + "comment_id", "").strip(): c.findtext(
                wp + "comment_parent", "0"
            ).strip()
            for c in item.findall(wp + "comment")
        }
        comments += len(item.findall(wp + "comment"))
        depth = max(depth, _thread_depth(parents))
    return {
        "by_type_status": collections.Counter(
            (i.findtext(wp + "post_type", "").strip(), i.findtext(wp + "status", "").strip())
            for i in items
        ),
        "authors": len(channel.findall(wp + "author")),
        "categories": len(channel.findall(wp + "category")),
        "tags": len(channel.findall(wp + "tag")),
        "terms": len(channel.findall(wp + "term")),
        "comments": comments,
        "depth": depth,
        "sticky": sum(i.findtext(wp + "is_sticky", "").strip() == "1" for i in items),
        "postmeta": sum(len(i.findall(wp + "postmeta")) for i in items),
    }


def reader_counts(records: list[WxrRecord]) -> dict[str, object]:
    items = of_type(records, WxrItem)
    depth = 0
    for item in items:
        parents = {str(c.id): str(c.parent_id or 0) for c in item.comments}
        depth = max(depth, _thread_depth(parents))
    return {
        "by_type_status": collections.Counter((i.post_type, i.status) for i in items),
        "authors": len(of_type(records, WxrAuthor)),
        "categories": len(of_type(records, WxrCategory)),
        "tags": len(of_type(records, WxrTag)),
        "terms": len(of_type(records, WxrTerm)),
        "comments": sum(len(i.comments) for i in items),
        "depth": depth,
        "sticky": sum(i.is_sticky for i in items),
        "postmeta": sum(len(v) for i in items for v in i.postmeta.values()),
    }


@needs_fixtures
def test_theme_unit_test_counts_match_independent_parse() -> None:
    path = fixture(THEME)
    records = read_all(path)
    expected = independent_counts(path)
    assert reader_counts(records) == expected

    by_type: collections.Counter[str] = collections.Counter()
    for (post_type, _status), n in expected["by_type_status"].items():  # type: ignore[union-attr]
        by_type[post_type] += n
    # The numbers published in the theme unit test README.
    assert by_type["post"] == 58
    assert by_type["page"] == 21
    assert by_type["attachment"] == 37
    assert by_type["nav_menu_item"] == 70
    assert expected["comments"] == 33
    assert expected["depth"] == 10
    assert expected["sticky"] == 1


@needs_fixtures
def test_theme_unit_test_records() -> None:
    records = read_all(fixture(THEME))
    site = records[0]
    assert isinstance(site, WxrSite)
    assert site.wxr_version == "1.2"  # declared under the https:// namespace form
    assert site.title == "Theme Unit Test Data"
    assert site.base_blog_url == "https://wpthemetestdata.wordpress.com"
    assert site.warnings == ()
    assert not any(isinstance(r, WxrSite) for r in records[1:])

    items = of_type(records, WxrItem)
    assert all(i.post_id is not None for i in items)
    draft = next(i for i in items if i.status == "draft")
    assert draft.post_date is not None and draft.post_date.tzinfo is None
    for item in items:
        if item.post_date_gmt is not None:
            assert item.post_date_gmt.tzinfo is UTC
    attachments = [i for i in items if i.post_type == "attachment"]
    assert all(a.attachment_url.startswith("https://") for a in attachments)
    featured = [i for i in items if "_thumbnail_id" in i.postmeta]
    assert featured, "featured images are referenced via _thumbnail_id postmeta"
    attachment_ids = {a.post_id for a in attachments}
    assert any(int(i.postmeta["_thumbnail_id"][0]) in attachment_ids for i in featured)

    sticky = [i for i in items if i.is_sticky]
    assert len(sticky) == 1
    domains = {d for i in items for d, _, _ in i.categories}
    assert {"category", "post_tag", "nav_menu", "post_format"} <= domains

    comments = [c for i in items for c in i.comments]
    assert all(isinstance(c, WxrComment) for c in comments)
    assert {c.approved for c in comments} <= {"0", "1", "spam", "trash"}
    assert any("Γιάννης" in c.author for c in comments)
    assert any(c.type in {"pingback", "trackback"} for c in comments)

    nav_terms = [t for t in of_type(records, WxrTerm) if t.taxonomy == "nav_menu"]
    assert nav_terms


@needs_fixtures
def test_block_test_data_counts_match_independent_parse() -> None:
    path = fixture(BLOCKS)
    records = read_all(path)
    assert reader_counts(records) == independent_counts(path)
    assert records[0].wxr_version == "1.2"  # type: ignore[union-attr]
    items = of_type(records, WxrItem)
    assert any("<!-- wp:" in i.content for i in items)


# --------------------------------------------------------------------------
# The importer fixture set
# --------------------------------------------------------------------------

# What each file really is (checked by hand, see the report):
#   crazy-cdata.xml     "]]>" in character data after a CDATA section: not XML.
#   malformed*.xml      mismatched / missing closing tags.
#   namespace-edge-cases.xml  a non-ASCII namespace URI that libxml2 rejects; the
#                       error is only reported after the whole file was read.
EXPECTED_ERRORS = {
    "crazy-cdata.xml": 18,
    "malformed.xml": 90,
    "malformed-simple.xml": 14,
    "namespace-edge-cases.xml": 84,
}


def importer_files() -> list[Path]:
    # Without ../shared: one placeholder, skipped by the `shared` marker.
    return sorted(IMPORTER.glob("*.xml")) if IMPORTER.is_dir() else [IMPORTER / "(no ../shared)"]


@needs_fixtures
@pytest.mark.parametrize("path", importer_files(), ids=lambda p: p.name)
def test_every_importer_fixture_parses_or_raises_wxr_error(path: Path) -> None:
    records, error = read_until_error(path)
    if path.name in EXPECTED_ERRORS:
        assert error is not None, f"{path.name} should be rejected"
        assert error.line == EXPECTED_ERRORS[path.name]
        assert f"line {error.line}" in str(error)
    else:
        assert error is None, f"{path.name}: {error}"
        assert isinstance(records[0], WxrSite)
    for record in records:
        assert not isinstance(record, WxrSite) or record is records[0]


@needs_fixtures
def test_importer_fixture_set_is_complete() -> None:
    names = {p.name for p in importer_files()}
    if not names:
        pytest.skip("importer/*.xml fixtures not found")
    assert set(EXPECTED_ERRORS) <= names


@needs_fixtures
def test_wxr_1_0() -> None:
    records = read_all(fixture(IMPORTER / "valid-wxr-1.0.xml"))
    site = records[0]
    assert isinstance(site, WxrSite) and site.wxr_version == "1.0"
    categories = of_type(records, WxrCategory)
    assert {c.nicename for c in categories} == {"alpha", "beta", "parent", "uncategorized", "child"}
    assert all(c.term_id is None for c in categories)  # WXR 1.0 had no term ids
    assert next(c for c in categories if c.nicename == "child").parent_nicename == "parent"
    assert next(c for c in categories if c.nicename == "alpha").description == "The alpha category"
    assert len(of_type(records, WxrTag)) == 4
    items = of_type(records, WxrItem)
    assert len(items) == 6
    hello = next(i for i in items if i.post_id == 1)
    # Nicename-less duplicates are ignored and 1.0's domain="tag" is normalised.
    assert ("category", "uncategorized", "Uncategorized") in hello.categories
    all_refs = [ref for i in items for ref in i.categories]
    assert all(ref.nicename for ref in all_refs)
    assert "tag" not in {ref.domain for ref in all_refs}
    assert "post_tag" in {ref.domain for ref in all_refs}


@needs_fixtures
def test_wxr_1_1() -> None:
    records = read_all(fixture(IMPORTER / "valid-wxr-1.1.xml"))
    assert records[0].wxr_version == "1.1"  # type: ignore[union-attr]
    author = of_type(records, WxrAuthor)[0]
    assert (author.id, author.login, author.display_name) == (2, "john", "John Doe")
    term = of_type(records, WxrTerm)[0]
    assert (term.taxonomy, term.slug, term.description) == (
        "post_tax",
        "bieup",
        "The bieup post_tax",
    )
    assert len(of_type(records, WxrItem)) == 2


@needs_fixtures
def test_utf8_challenges_keep_arabic_and_emoji() -> None:
    records = read_all(fixture(IMPORTER / "wxr-utf-8-challenges.xml"))
    site = records[0]
    assert isinstance(site, WxrSite)
    assert "🚀" in site.title and "مرحبا" in site.title
    author = of_type(records, WxrAuthor)[0]
    assert author.first_name == "🅰️"
    item = of_type(records, WxrItem)[0]
    assert "السلام عليكم" in item.content
    assert "🚀🌟💫" in item.content
    assert "🌲" in item.title
    assert "💫" in item.post_name
    assert item.categories[0].name.endswith("🎭")
    assert "خدسنگ" in item.excerpt
    assert item.postmeta["_utf8_test"][0].startswith("🚀 Test")
    assert item.post_date_gmt == datetime(2024, 6, 5, 16, 4, 48, tzinfo=UTC)


@needs_fixtures
@pytest.mark.parametrize("name", ["missing-version-tag.xml", "invalid-version-tag.xml"])
def test_bad_version_tag(name: str) -> None:
    path = fixture(IMPORTER / name)
    # Clearly WXR (rss/channel + the WordPress namespace): read with a warning...
    records = read_all(path)
    site = records[0]
    assert isinstance(site, WxrSite)
    assert site.wxr_version == "1.1"  # inferred from xmlns:wp=".../export/1.1/"
    assert site.warnings and "WXR" in site.warnings[0]
    assert len(of_type(records, WxrCategory)) == 21
    # ...unless the caller asks for WordPress's own strictness.
    records, error = read_until_error_strict(path)
    assert records == [] and error is not None
    assert "wxr_version" in str(error) or "WXR version" in str(error)


def read_until_error_strict(path: Path) -> tuple[list[WxrRecord], WxrError | None]:
    records: list[WxrRecord] = []
    try:
        records.extend(read_wxr(path, strict_version=True))
    except WxrError as exc:
        return records, exc
    return records, None


@needs_fixtures
def test_cdata_variants() -> None:
    escaped = of_type(read_all(fixture(IMPORTER / "crazy-cdata-escaped.xml")), WxrItem)[0]
    assert escaped.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert escaped.postmeta["Closing CDATA"] == ["]]>"]
    assert escaped.postmeta["Alot of CDATA"] == [
        "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"
    ]
    edge = of_type(read_all(fixture(IMPORTER / "cdata-edge.xml")), WxrItem)[0]
    assert edge.content == "ends with sequence ]] >"
    multi = of_type(read_all(fixture(IMPORTER / "multiple-cdata.xml")), WxrItem)[0]
    assert multi.content.strip() == "line oneline twoline three"


@needs_fixtures
def test_backslashes_and_slashes_are_kept_verbatim() -> None:
    item = of_type(read_all(fixture(IMPORTER / "backslashes.xml")), WxrItem)[0]
    assert item.content == r"C:\xampp\htdocs\wp-content"
    records = read_all(fixture(IMPORTER / "slashes.xml"))
    item = of_type(records, WxrItem)[0]
    assert item.content == r"Slashes aren\'t \"cool\""
    assert item.comments[0].content == r"\o/ ¯\_(ツ)_/¯"
    assert of_type(records, WxrTag)[0].name == r"foo\'bar"


@needs_fixtures
def test_term_formats() -> None:
    records = read_all(fixture(IMPORTER / "term-formats.xml"))
    assert [c.nicename for c in of_type(records, WxrCategory)] == ["category-name", "cat-2"]
    assert [t.slug for t in of_type(records, WxrTag)] == ["a-tag", "a-color", "another-tag"]
    terms = of_type(records, WxrTerm)
    assert [(t.term_id, t.taxonomy) for t in terms] == [(6, "custom-taxonomy"), (7, "nav_menu")]


@needs_fixtures
def test_namespace_edge_cases_match_by_uri_not_prefix() -> None:
    records, error = read_until_error(fixture(IMPORTER / "namespace-edge-cases.xml"))
    assert error is not None and error.line == 84
    logins = [a.login for a in of_type(records, WxrAuthor)]
    assert logins == ["real_user", "version_conflict"]  # fake and custom namespaces ignored
    items = {i.title: i for i in of_type(records, WxrItem)}
    assert items["Mixed Namespaces"].post_id == 1  # first occurrence wins over alt:post_id
    assert items["Mixed Namespaces"].postmeta == {"normal_key": ["normal_value"]}
    assert items["No Prefix"].post_id == 2  # default-namespace form of wp:post_id
    hijacked = items["Hijacked Namespace"]
    assert (hijacked.post_id, hijacked.post_type, hijacked.postmeta) == (None, "", {})
    assert items["Namespace Bomb"].content.startswith("&lol1;")  # CDATA: literal text
    assert [t.term_id for t in of_type(records, WxrTerm)] == [100, 102]


@needs_fixtures
def test_small_export() -> None:
    records = read_all(fixture(IMPORTER / "small-export.xml"))
    items = of_type(records, WxrItem)
    assert len(items) == 11
    assert len(of_type(records, WxrAuthor)) == 3
    assert all(isinstance(i.menu_order, int) for i in items)


# --------------------------------------------------------------------------
# Synthetic documents: errors, versions, dates
# --------------------------------------------------------------------------


def test_records_before_a_syntax_error_are_yielded_first() -> None:
    body = "".join(item_xml(n) for n in range(1, 4))
    broken = WXR_HEAD + body + "<item><title>broken</titl></item>\n" + WXR_TAIL
    records, error = read_until_error(io.BytesIO(broken.encode()))
    assert [i.post_id for i in of_type(records, WxrItem)] == [1, 2, 3]
    assert error is not None
    assert error.line == broken.count("\n", 0, broken.index("</titl>")) + 1
    assert "not well-formed" in str(error)


def test_records_before_a_late_syntax_error_are_yielded(tmp_path: Path) -> None:
    """The fault sits far beyond lxml's first read buffer."""
    path = tmp_path / "late-error.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write(WXR_HEAD)
        for n in range(1, 2001):
            out.write(item_xml(n, "x" * 200))
        out.write("<item><wp:post_id>9999</wp:post_id>\n<oops></item>\n" + WXR_TAIL)
    records, error = read_until_error(path)
    assert len(of_type(records, WxrItem)) == 2000
    assert error is not None and error.line is not None and error.line > 2000


def test_plain_rss_feed_is_not_wxr() -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        "<item><title>A</title><link>https://example.org/a</link></item></channel></rss>"
    )
    records, error = read_until_error(io.BytesIO(feed.encode()))
    assert records == []
    assert error is not None and "WXR" in str(error)


def test_non_rss_document_is_rejected_immediately() -> None:
    records, error = read_until_error(io.BytesIO(b"<html><body>hi</body></html>"))
    assert records == [] and error is not None
    assert "<html>" in str(error) and error.line == 1


@pytest.mark.parametrize(
    "namespace",
    [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "http://wordpress.org/export/1.2/",
        "https://wordpress.org/export/1.2/",
    ],
)
def test_all_wp_namespace_forms(namespace: str) -> None:
    version = namespace.rstrip("/").rsplit("/", 1)[1]
    doc = (
        f'<rss version="2.0" xmlns:wp="{namespace}"><channel><title>T</title>'
        f"<wp:wxr_version>{version}</wp:wxr_version>"
        "<wp:tag><wp:tag_slug>s</wp:tag_slug><wp:tag_name>n</wp:tag_name></wp:tag>"
        "<item><wp:post_id>5</wp:post_id><wp:post_type>page</wp:post_type></item>"
        "</channel></rss>"
    )
    records = read_all(io.BytesIO(doc.encode()))
    assert records[0].wxr_version == version  # type: ignore[union-attr]
    assert of_type(records, WxrTag)[0].slug == "s"
    assert of_type(records, WxrItem)[0].post_type == "page"


def test_dates_and_comment_fields() -> None:
    comment = (
        "<wp:comment><wp:comment_id>7</wp:comment_id>"
        "<wp:comment_author><![CDATA[قارئ]]></wp:comment_author>"
        "<wp:comment_author_email>r@example.org</wp:comment_author_email>"
        "<wp:comment_author_url>https://r.example.org</wp:comment_author_url>"
        "<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>"
        "<wp:comment_date>2024-03-01 15:00:00</wp:comment_date>"
        "<wp:comment_date_gmt>2024-03-01 12:00:00</wp:comment_date_gmt>"
        "<wp:comment_content><![CDATA[شكراً]]></wp:comment_content>"
        "<wp:comment_approved>spam</wp:comment_approved>"
        "<wp:comment_type>comment</wp:comment_type>"
        "<wp:comment_parent>3</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
        "<wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key>"
        "<wp:meta_value>true</wp:meta_value></wp:commentmeta>"
        "</wp:comment>"
    )
    doc = (
        WXR_HEAD
        + item_xml(
            1,
            post_date="2024-03-01 15:00:00",
            post_date_gmt="2024-03-01 12:00:00",
            post_parent="0",
            menu_order="4",
            is_sticky="1",
        ).replace("</item>", comment + "</item>")
        + item_xml(2, post_date="2024-03-02 10:00:00", post_date_gmt="0000-00-00 00:00:00")
        + WXR_TAIL
    )
    first, second = of_type(read_all(io.BytesIO(doc.encode())), WxrItem)
    assert first.post_date == datetime(2024, 3, 1, 15, 0)
    assert first.post_date_gmt == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert (first.menu_order, first.is_sticky, first.post_parent) == (4, True, 0)
    assert first.creator == "admin"
    (c,) = first.comments
    assert (c.id, c.author, c.approved, c.type, c.parent_id, c.user_id) == (
        7,
        "قارئ",
        "spam",
        "comment",
        3,
        0,
    )
    assert c.date_gmt == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert c.meta == {"akismet_result": ["true"]}
    assert second.post_date_gmt is None  # WordPress's "never published" marker
    assert second.post_date == datetime(2024, 3, 2, 10, 0)


def test_records_are_frozen() -> None:
    doc = WXR_HEAD + item_xml(1) + WXR_TAIL
    item = of_type(read_all(io.BytesIO(doc.encode())), WxrItem)[0]
    with pytest.raises(AttributeError):
        item.title = "changed"  # type: ignore[misc]


# --------------------------------------------------------------------------
# Hostile input
# --------------------------------------------------------------------------


def test_xxe_is_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    doc = (
        '<?xml version="1.0"?>\n'
        "<!DOCTYPE rss [\n"
        '  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
        f'  <!ENTITY leak SYSTEM "{secret.as_uri()}">\n'
        "]>\n"
        + WXR_HEAD.split("\n", 1)[1]
        + "<item><title>&xxe;&leak;</title><wp:post_id>1</wp:post_id>"
        "<content:encoded>before &xxe; &leak; after</content:encoded>"
        "<wp:post_type>post</wp:post_type></item>\n" + WXR_TAIL
    )
    records, error = read_until_error(io.BytesIO(doc.encode()))
    text = repr(records) + str(error)
    assert "root:" not in text
    assert "TOP-SECRET-MARKER" not in text
    if error is None:
        item = of_type(records, WxrItem)[0]
        assert item.content == "before   after"
        assert "&xxe;" not in item.title


def test_billion_laughs_does_not_blow_up() -> None:
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">')
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        + "\n".join(entities)
        + "\n]>\n"
        + WXR_HEAD.split("\n", 1)[1]
        + "<item><title>&lol9;</title><wp:post_id>1</wp:post_id>"
        "<content:encoded>&lol9;&lol9;</content:encoded></item>\n" + WXR_TAIL
    )
    started = time.process_time()  # CPU, not wall clock: immune to a loaded machine
    tracemalloc.start()
    try:
        records, _error = read_until_error(io.BytesIO(doc.encode()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.process_time() - started < 5
    assert peak < 20 * 1024 * 1024
    for item in of_type(records, WxrItem):
        assert len(item.content) < 1000 and len(item.title) < 1000


@pytest.mark.parametrize(
    "bad_bytes",
    [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82"],
    ids=["ff-fe", "bad-continuation", "utf8-surrogate", "truncated"],
)
def test_broken_utf8_raises_wxr_error_or_is_replaced(bad_bytes: bytes) -> None:
    doc = (
        (WXR_HEAD + item_xml(1)).encode()
        + b"<item><title>bad "
        + bad_bytes
        + b" bytes</title><wp:post_id>2</wp:post_id></item>\n"
        + WXR_TAIL.encode()
    )
    records, error = read_until_error(io.BytesIO(doc))
    if error is None:
        titles = [i.title for i in of_type(records, WxrItem)]
        assert any("\ufffd" in t for t in titles)
    else:
        assert error.line is not None
        assert [i.post_id for i in of_type(records, WxrItem)] == [1]


def test_empty_and_non_xml_input() -> None:
    for data in [b"", b"not xml at all", b"\x00\x01\x02"]:
        records, error = read_until_error(io.BytesIO(data))
        assert records == [] and error is not None


# --------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------


def _rss_bytes() -> int | None:
    """Current resident set size on Linux, else ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


@pytest.mark.slow
def test_streaming_memory_stays_bounded(tmp_path: Path) -> None:
    """A ~30 MB export is read with a tracemalloc peak well under 50 MB.

    tracemalloc only sees Python allocations, while lxml's tree lives in
    libxml2's malloc heap, so resident memory is sampled as well.  A full
    ``etree.parse`` of this file grows RSS by roughly 45 MB, so the 20 MB bound
    fails if the clear-and-delete pattern ever stops working (streaming measures
    about 1 MB).
    """
    path = tmp_path / "big.xml"
    paragraph = ("<p>" + "خبر عاجل من المراسل في القاهرة. " * 20 + "</p>\n") * 3
    comment = (
        "<wp:comment><wp:comment_id>{n}</wp:comment_id><wp:comment_content>"
        "<![CDATA[تعليق]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
        "</wp:comment>"
    )
    with path.open("w", encoding="utf-8") as out:
        out.write(WXR_HEAD)
        n = 0
        while out.tell() < 30 * 1024 * 1024:
            n += 1
            xml = item_xml(n, paragraph, post_date="2024-01-01 10:00:00")
            out.write(xml.replace("</item>", comment.format(n=n) + "</item>"))
        out.write(WXR_TAIL)
    size = path.stat().st_size
    assert size >= 30 * 1024 * 1024

    rss_before = _rss_bytes()
    rss_peak = rss_before or 0
    count = 0
    tracemalloc.start()
    try:
        for record in read_wxr(path):
            if isinstance(record, WxrItem):
                count += 1
                if count % 500 == 0 and rss_before is not None:
                    rss_peak = max(rss_peak, _rss_bytes() or 0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == n
    assert peak < 20 * 1024 * 1024, f"tracemalloc peak {peak / 2**20:.1f} MiB"
    if rss_before is not None and sys.platform.startswith("linux"):
        growth = rss_peak - rss_before
        assert growth < 20 * 1024 * 1024, f"RSS grew by {growth / 2**20:.1f} MiB"
