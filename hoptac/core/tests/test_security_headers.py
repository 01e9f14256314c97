import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_security_headers(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_need_a_csrf_token(staff, org_tan_yen):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("registry:archive", args=[org_tan_yen.pk]), {"reason": "thử"})
    assert response.status_code == 403
    org_tan_yen.refresh_from_db()
    assert org_tan_yen.archived_on is None


def test_session_cookie_is_http_only(client, staff):
    from conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
