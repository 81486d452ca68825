"""Wire output validated against the official IPTC schemas (ninjs JSON Schema, NewsML-G2 XSD)."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from akhbar.newsroom import services as newsroom
from tests import factories as f
from tests.conftest import SHARED

IPTC = SHARED / "fixtures" / "iptc"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.shared,  # the IPTC schemas in ../shared
]


def _ninjs_validator(version: str):
    import jsonschema
    from referencing import Registry, Resource

    spec = IPTC / "ninjs" / "specification"
    schema = json.loads((spec / f"ninjs-schema_{version}.json").read_text())
    geo = json.loads((spec / "GeoJSON.json").read_text())
    registry = Registry().with_resource(
        "https://geojson.org/schema/GeoJSON.json", Resource.from_contents(geo)
    )
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def _article():
    a = f.article(title="قمة عربية في الرياض", tags=[f.tag("سياسة")], author=f.author("ليلى"))
    a.source_name = "وكالة الأنباء"
    a.save()
    newsroom.add_article_note(a, "update", "أضيفت تصريحات الوزير")
    return a


@pytest.mark.parametrize("version", ["2.0", "2.1", "2.2", "3.0", "3.1"])
def test_ninjs_validates(client, version):
    a = _article()
    r = client.get(f"/api/v1/wire/ninjs/{a.pk}.json?version={version}")
    assert r.status_code == 200
    doc = r.json()
    errors = list(_ninjs_validator(version).iter_errors(doc))
    assert not errors, [e.message for e in errors[:5]]
    assert doc["headlines"][0]["value"] == "قمة عربية في الرياض"
    feed = client.get(f"/api/v1/wire/ninjs/feed.json?version={version}").json()
    for item in feed["items"]:
        assert not list(_ninjs_validator(version).iter_errors(item))


def _xsd():
    path = IPTC / "newsml-g2" / "examples" / "NewsML-G2_2.24-spec-All-Core.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def test_newsml_g2_validates(client):
    a = _article()
    r = client.get(f"/api/v1/wire/newsml/{a.pk}.xml")
    assert r.status_code == 200
    doc = etree.fromstring(r.content)
    schema = _xsd()
    assert schema.validate(doc), schema.error_log
    feed = etree.fromstring(client.get("/api/v1/wire/newsml/feed.xml").content)
    assert schema.validate(feed), schema.error_log
    assert "قمة عربية في الرياض" in r.content.decode()


def test_our_output_reads_back_through_our_ingest(client):
    from akhbar.wire import parsers

    a = _article()
    story = parsers.parse(client.get(f"/api/v1/wire/newsml/{a.pk}.xml").content).items[0]
    assert story.headline == a.title and "<p>" in story.body_html and story.byline == "ليلى"
    again = parsers.parse(client.get(f"/api/v1/wire/ninjs/{a.pk}.json").content).items[0]
    assert again.headline == a.title and again.version == 2
