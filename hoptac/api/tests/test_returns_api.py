"""Returns through the API: opened, filled and submitted through hoptac.returns.services, by role."""

import pytest
from django.urls import reverse

from hoptac.core.audit import entries_for
from hoptac.core.models import Department, Role, User
from hoptac.returns.models import Return

from .conftest import as_user

pytestmark = pytest.mark.django_db

# An annual report that passes every check (the returns app's own test values).
VALID = {
    "model": "services",
    "qualification_chair": "university",
    "qualification_director": "intermediate",
    "qualification_supervisor": "elementary",
    "members_start": "12",
    "members_end": "15",
    "employees": 8,
    "employees_members": 6,
    "charter_capital": 500_000_000,
    "total_assets": "1.200.000.000",
    "revenue": "2.500.000.000",
    "profit": "150.000.000",
    "taxes": "20.000.000",
    "avg_income": "60.000.000",
    "member_services": "75,5",
}


def open_annual(client, org, year=2024):
    return client.post(
        reverse("api:returns"), {"form": "annual_htx", "organization": org.pk, "year": year}, format="json"
    )


def test_the_forms_in_use_are_listed(coop_user):
    codes = [f["code"] for f in as_user(coop_user).get(reverse("api:return_forms")).json()]
    assert "annual_htx" in codes


def test_a_cooperative_opens_fills_and_submits_its_annual_report(coop_user, org_tan_yen):
    client = as_user(coop_user)

    opened = open_annual(client, org_tan_yen)
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    assert body["status"] == "draft" and body["values"] == {} and body["revision"] == 1
    assert {"charter_capital", "employees"} <= {f["code"] for f in body["form_fields"]}
    url = reverse("api:return", args=[body["id"]])
    assert opened["Location"] == url

    saved = client.patch(
        url, {"values": {"employees": 8, "charter_capital": "500.000.000"}, "revision": 1}, format="json"
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["values"] == {"employees": 8, "charter_capital": 500_000_000}
    assert saved.json()["revision"] == 2

    missing = client.post(reverse("api:return_submit", args=[body["id"]]), {"revision": 2}, format="json")
    assert missing.status_code == 400
    assert "values.revenue" in missing.json()["error"]["fields"]
    assert Return.objects.get(pk=body["id"]).status == "draft"

    submitted = client.post(
        reverse("api:return_submit", args=[body["id"]]), {"values": VALID, "revision": 2}, format="json"
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted" and submitted.json()["values"]["member_services"] == "75.50"
    ret = Return.objects.get(pk=body["id"])
    assert [e.action for e in entries_for(ret)][:2] == ["returns.return.submitted", "returns.return.saved"]

    locked = client.patch(url, {"values": {"employees": 9}, "revision": ret.revision}, format="json")
    assert locked.status_code == 400 and locked.json()["error"]["fields"] == {}


def test_values_are_refused_by_field_and_a_stale_revision_is_a_conflict(coop_user, org_tan_yen):
    client = as_user(coop_user)
    ret_id = open_annual(client, org_tan_yen).json()["id"]
    url = reverse("api:return", args=[ret_id])

    bad = client.patch(url, {"values": {"employees": "tám", "nope": 1}, "revision": 1}, format="json")
    assert bad.status_code == 400 and list(bad.json()["error"]["fields"]) == ["values.nope"]
    bad = client.patch(url, {"values": {"employees": "tám", "charter_capital": -5}, "revision": 1}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"values.employees", "values.charter_capital"}

    assert client.patch(url, {"values": {"employees": 8}, "revision": 1}, format="json").status_code == 200
    stale = client.patch(url, {"values": {"employees": 9}, "revision": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert client.get(url).json()["values"] == {"employees": 8}


def test_who_sees_and_who_fills(coop_user, org_tan_yen, org_hiep_hoa, officer, staff):
    ret_id = open_annual(as_user(coop_user), org_tan_yen).json()["id"]
    url = reverse("api:return", args=[ret_id])
    other_coop = User.objects.create_user("hiephoa", role=Role.COOPERATIVE, organization=org_hiep_hoa)
    fund = User.objects.create_user("quy", role=Role.STAFF, department=Department.FUND)

    assert as_user(other_coop).get(url).status_code == 404
    assert as_user(officer).get(url).status_code == 200  # Tân Yên is in the officer's area
    assert as_user(officer).patch(url, {"values": {"employees": 3}, "revision": 1}, format="json").status_code == 200
    # Alliance staff of another department read every return but do not enter them.
    assert as_user(fund).get(url).status_code == 200
    assert as_user(fund).patch(url, {"values": {"employees": 4}, "revision": 2}, format="json").status_code == 403
    assert [r["id"] for r in as_user(staff).get(reverse("api:returns"), {"form": "annual_htx"}).json()["results"]] == [
        ret_id
    ]


def test_opening_for_an_organisation_one_may_not_see_or_twice_is_refused(coop_user, org_tan_yen, org_hiep_hoa):
    client = as_user(coop_user)

    hidden = open_annual(client, org_hiep_hoa)
    assert hidden.status_code == 400 and list(hidden.json()["error"]["fields"]) == ["organization"]
    unknown = client.post(
        reverse("api:returns"), {"form": "khong_co", "organization": org_tan_yen.pk, "year": 2024}, format="json"
    )
    assert list(unknown.json()["error"]["fields"]) == ["form"]

    assert open_annual(client, org_tan_yen).status_code == 201
    twice = open_annual(client, org_tan_yen)
    assert twice.status_code == 400 and twice.json()["error"]["message"] == "Báo cáo này đã được lập."
