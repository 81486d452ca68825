"""Property-based run of the OpenAPI schema against the app (schemathesis, in-process WSGI).

A bounded number of examples per operation keeps this well under two minutes; checks: no 5xx,
every documented response matches its schema, status codes and content types as documented.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from akhbar.newsroom import services as newsroom
from akhbar.site.models import Page
from akhbar.wsgi import application
from tests import factories as f


@pytest.fixture
def seeded(db, settings):
    # Called as a plain WSGI app, Django would close the test's database connection after
    # each request (close_old_connections); Django's own test client disconnects it too.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.AKHBAR_API = {**settings.AKHBAR_API, "ANON_PER_MINUTE": 0}
    tag = f.tag("طاقة")
    for i in range(3):
        a = f.article(tags=[tag], author=f.author(), is_breaking=i == 0, view_count=i + 1)
        f.comment(a)
    newsroom.add_article_note(a, "correction", "تصحيح تجريبي")
    Page.objects.create(title="من نحن", slug="about", body="<p>نحن</p>")
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loading the schema needs no database (the schema view runs no query).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema", application)


@schema.parametrize()
@hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, seeded):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
        ]
    )
