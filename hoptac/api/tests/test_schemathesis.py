"""Schemathesis against /api/v1/openapi.json, in process (Django's WSGI app, no network).

Every operation is called with generated parameters and bodies (valid ones, and invalid
ones that must be refused) with an administrator's token, and the public operations also
anonymously; no answer may be a server error, and every answer must match the schema (status
code, content type, headers, body). Examples are limited and derandomized: the run is the
same every time and takes about 35 s.

The schema is generated when the module is collected (pytest parametrizes by operation
before any database exists), by the same generator the /api/v1/openapi.json view runs;
``test_the_schema_tested_is_the_one_served`` checks they are the same document.
Schemathesis's fixture loader (``from_fixture``) is not used: with pytest 9 it fails on a
renamed pytest internal (schemathesis 4.32.5).
"""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import make_org

from .conftest import token_of

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def served_schema() -> dict:
    """What GET /api/v1/openapi.json answers, built without a request or a database."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = get_wsgi_application()
# Anonymous calls to the token endpoints all answer 401 (tested elsewhere); only the public ones are explored.
PUBLIC_TAGS = ["directory", "statistics", "reports", "units"]
public = schema.include(tag=PUBLIC_TAGS)


@pytest.fixture(autouse=True)
def data(db, settings, commune_tan_yen, commune_hiep_hoa):
    # The limits are not what is under test here; every call must reach its endpoint.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    make_org(commune_tan_yen, code="2400555001", name="Hợp tác xã Lược Đồ")
    make_org(commune_hiep_hoa, code="2400555002", name="Quỹ tín dụng Lược Đồ", kind="QTDND", sector="tin_dung")
    # Called straight through WSGI, Django would close the test's database connection after each
    # request; its own test client stops that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_schema_tested_is_the_one_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response.json() == served_schema()


@public.parametrize()
@EXAMPLES
def test_anonymous_calls_conform_to_the_schema(case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def admin_token(admin):
    return token_of(admin)


@schema.parametrize()
@EXAMPLES
def test_an_administrators_calls_conform_to_the_schema(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)
