"""Every error has one shape, {"error": {"code", "message", "fields"}}, with Vietnamese messages."""

import pytest
from django.urls import reverse

from .conftest import as_user

pytestmark = pytest.mark.django_db


def error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_an_unknown_address_under_the_api_is_a_json_404(api, db):
    e = error(api.get("/api/v1/khong-co/"), 404)
    assert e["code"] == "not_found" and e["message"] == "Không có địa chỉ này trong API."


def test_a_page_past_the_last_is_a_404(api, db):
    assert error(api.get(reverse("api:directory"), {"page": 99}), 404)["code"] == "not_found"


def test_field_messages_are_in_vietnamese(api, db):
    e = error(api.get(reverse("api:units"), {"level": "9", "parent": "x", "valid_on": "32/13/2021"}), 400)

    assert e["message"] == "Một số giá trị bị từ chối; xem từng trường."
    assert e["fields"]["parent"] == ["Cần một số nguyên hợp lệ."]
    assert e["fields"]["level"] == ["“9” không phải là một lựa chọn hợp lệ."]
    assert e["fields"]["valid_on"][0].startswith("Ngày sai định dạng")


def test_english_when_the_client_chose_it(api, db):
    api.cookies["django_language"] = "en"
    e = error(api.get(reverse("api:units"), {"parent": "x"}), 400)
    assert e["message"] == "Some values were refused; see each field."
    assert e["fields"]["parent"] == ["A valid integer is required."]


def test_a_body_that_is_not_json_is_refused(staff, db):
    client = as_user(staff)
    url = reverse("api:organizations")

    assert error(client.post(url, "{không phải json", content_type="application/json"), 400)["code"] == "parse_error"
    assert error(client.post(url, "a=1", content_type="application/x-www-form-urlencoded"), 415)["code"] == (
        "unsupported_media_type"
    )
    assert error(client.post(url, [1, 2], format="json"), 400)["code"] == "validation_error"


def test_a_method_an_endpoint_does_not_have_is_405(api, db):
    e = error(api.delete(reverse("api:directory")), 405)
    assert e["code"] == "method_not_allowed" and "DELETE" in e["message"]


def test_a_rule_across_fields_is_the_message_itself(staff, org_tan_yen):
    response = as_user(staff).post(
        reverse("api:events", args=[org_tan_yen.pk]), {"kind": "resumed", "on": "2020-01-01"}, format="json"
    )
    e = error(response, 400)
    assert "kind" in e["fields"]
