"""Token access by role and scope: the API sees and changes what the account sees and changes in the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_org
from hoptac.core.models import AuditEntry, Department, Role, User
from hoptac.registry.models import Organization
from hoptac.registry.services import organization_archive

from .conftest import as_user

pytestmark = pytest.mark.django_db
D = datetime.date


def codes(client, url="api:organizations", **params) -> list[str]:
    response = client.get(reverse(url), params)
    assert response.status_code == 200, response.content
    return [o["code"] for o in response.json()["results"]]


# ---------------------------------------------------------------- reading the registry


def test_each_role_lists_the_organisations_it_may_see(org_tan_yen, org_hiep_hoa, admin, staff, officer, coop_user):
    both = ["2400000001", "2400000002"]
    fund = User.objects.create_user("quy", role=Role.STAFF, department=Department.FUND)

    assert codes(as_user(admin)) == both
    assert codes(as_user(staff)) == both
    assert codes(as_user(fund)) == both
    assert codes(as_user(officer)) == ["2400000001"]
    assert codes(as_user(coop_user)) == ["2400000001"]


def test_the_registry_api_shows_every_field_to_those_who_may_see_them(org_tan_yen, staff):
    body = as_user(staff).get(reverse("api:organization", args=[org_tan_yen.pk])).json()

    assert body["representative"] == "Nguyễn Văn An" and body["phone"] == "0912 345 678"
    assert body["charter_capital"] == 500_000_000 and body["status"] == "active" and body["version"] == 1
    assert body["commune"]["name"] == "Xã Quang Tiến" and body["commune"]["parent"]["name"] == "Huyện Tân Yên"


def test_an_organisation_outside_the_scope_is_not_found(org_tan_yen, org_hiep_hoa, officer, coop_user):
    for user in (officer, coop_user):
        client = as_user(user)
        response = client.get(reverse("api:organization", args=[org_hiep_hoa.pk]))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert client.get(reverse("api:events", args=[org_hiep_hoa.pk])).status_code == 404
        assert (
            client.patch(reverse("api:organization", args=[org_hiep_hoa.pk]), {"version": 1}, format="json").status_code
            == 404
        )


def test_anonymous_clients_get_401_on_the_registry_and_the_fund(api, org_tan_yen):
    for url in (
        reverse("api:organizations"),
        reverse("api:organization", args=[org_tan_yen.pk]),
        reverse("api:organization_statistics"),
        reverse("api:loans"),
        reverse("api:me"),
    ):
        response = api.get(url)
        assert response.status_code == 401, url
    assert api.post(reverse("api:organizations"), {}, format="json").status_code == 401


def test_list_filters_and_status_on_a_date(org_tan_yen, org_hiep_hoa, staff, commune_tan_yen):
    client = as_user(staff)
    young = make_org(commune_tan_yen, name="Hợp tác xã Non Trẻ", founded_on=D(2022, 6, 1))

    assert young.code not in codes(client, as_of="2021-03-15")
    assert codes(client, as_of="2021-03-15", status="inactive", q="non tre") == [young.code]
    assert codes(client, q="thanh van") == ["2400000002"]


def test_registry_list_queries_do_not_grow_with_the_page(staff, commune_tan_yen, django_assert_max_num_queries):
    client = as_user(staff)
    for i in range(3):
        make_org(commune_tan_yen, name=f"Hợp tác xã Đếm {i:02d}")
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("api:organizations"))
    for i in range(3, 30):
        make_org(commune_tan_yen, name=f"Hợp tác xã Đếm {i:02d}")
    with django_assert_max_num_queries(len(three)):
        assert client.get(reverse("api:organizations")).json()["count"] == 30


# ---------------------------------------------------------------- writing the registry


def new_org(commune, **extra):
    return {
        "kind": "HTX",
        "sector": "nong_nghiep",
        "code": "2400999001",
        "name": "Hợp tác xã Qua API",
        "commune": commune.pk,
        "founded_on": "2020-02-03",
        "charter_capital": 300_000_000,
        **extra,
    }


def test_staff_register_an_organisation_through_the_service(staff, commune_hiep_hoa):
    response = as_user(staff).post(reverse("api:organizations"), new_org(commune_hiep_hoa), format="json")

    assert response.status_code == 201, response.json()
    org = Organization.objects.get(code="2400999001")
    assert response["Location"] == reverse("api:organization", args=[org.pk])
    assert response.json()["status"] == "active"
    assert org.created_by == staff and "qua api" in org.search_text
    assert AuditEntry.objects.filter(action="registry.organization.created", object_id=str(org.pk), user=staff).exists()


def test_an_area_officer_registers_only_in_their_area(officer, commune_tan_yen, commune_hiep_hoa):
    client = as_user(officer)

    refused = client.post(reverse("api:organizations"), new_org(commune_hiep_hoa), format="json")
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["commune"]
    assert not Organization.objects.filter(code="2400999001").exists()

    assert client.post(reverse("api:organizations"), new_org(commune_tan_yen), format="json").status_code == 201


def test_a_cooperative_account_may_not_register_organisations(coop_user, commune_tan_yen):
    response = as_user(coop_user).post(reverse("api:organizations"), new_org(commune_tan_yen), format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_the_services_rules_answer_400_in_vietnamese_and_nothing_is_saved(staff, commune_tan_yen):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = as_user(staff).post(
        reverse("api:organizations"), new_org(commune_tan_yen, founded_on=future), format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"]["founded_on"] == ["Ngày thành lập không được sau ngày hôm nay."]
    assert not Organization.objects.filter(code="2400999001").exists()


def test_a_duplicate_code_or_an_unknown_field_is_refused(staff, org_tan_yen, commune_tan_yen):
    client = as_user(staff)
    duplicate = client.post(reverse("api:organizations"), new_org(commune_tan_yen, code="2400000001"), format="json")
    assert duplicate.status_code == 400 and "code" in duplicate.json()["error"]["fields"]

    unknown = client.post(reverse("api:organizations"), new_org(commune_tan_yen, secret=1), format="json")
    assert unknown.status_code == 400 and list(unknown.json()["error"]["fields"]) == ["secret"]


def test_an_update_needs_the_version_read_and_refuses_a_stale_one(staff, org_tan_yen):
    client = as_user(staff)
    url = reverse("api:organization", args=[org_tan_yen.pk])

    missing = client.patch(url, {"name": "Tên mới"}, format="json")
    assert missing.status_code == 400 and list(missing.json()["error"]["fields"]) == ["version"]

    saved = client.patch(url, {"name": "Hợp tác xã Tên Mới", "version": 1}, format="json")
    assert saved.status_code == 200 and saved.json()["version"] == 2 and saved.json()["name"] == "Hợp tác xã Tên Mới"
    assert AuditEntry.objects.filter(action="registry.organization.changed", user=staff).exists()

    stale = client.patch(url, {"name": "Ghi đè", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    org_tan_yen.refresh_from_db()
    assert org_tan_yen.name == "Hợp tác xã Tên Mới"


def test_a_cooperative_changes_only_its_contacts_and_size(coop_user, org_tan_yen):
    client = as_user(coop_user)
    url = reverse("api:organization", args=[org_tan_yen.pk])

    refused = client.patch(url, {"name": "Đổi tên", "version": 1}, format="json")
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["name"]

    saved = client.patch(url, {"phone": "0240 3855 123", "employees": 15, "version": 1}, format="json")
    assert saved.status_code == 200
    org_tan_yen.refresh_from_db()
    assert org_tan_yen.phone == "0240 3855 123" and org_tan_yen.employees == 15


def test_an_archived_record_is_not_edited(staff, org_tan_yen):
    organization_archive(organization=org_tan_yen, by=staff, reason="Nhập trùng")
    response = as_user(staff).patch(
        reverse("api:organization", args=[org_tan_yen.pk]), {"name": "x", "version": 2}, format="json"
    )
    assert response.status_code == 409


def test_lifecycle_events_are_recorded_by_managers_in_date_order(officer, coop_user, org_tan_yen):
    url = reverse("api:events", args=[org_tan_yen.pk])

    assert as_user(coop_user).post(url, {"kind": "suspended", "on": "2020-01-01"}, format="json").status_code == 403

    client = as_user(officer)
    created = client.post(url, {"kind": "suspended", "on": "2020-01-01", "document": "12/QĐ"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status_after"] == "suspended"
    refused = client.post(url, {"kind": "suspended", "on": "2020-06-01"}, format="json")
    assert refused.status_code == 400 and "kind" in refused.json()["error"]["fields"]
    assert [e["kind"] for e in client.get(url).json()["results"]] == ["suspended"]


def test_scoped_statistics_count_only_what_the_account_sees(org_tan_yen, org_hiep_hoa, officer, api):
    scoped = as_user(officer).get(reverse("api:organization_statistics")).json()
    public = api.get(reverse("api:statistics")).json()

    assert scoped["active_total"] == 1 and public["active_total"] == 2


# ---------------------------------------------------------------- the fund


@pytest.fixture
def loan(org_tan_yen, fund_staff):
    from hoptac.fund.models import LoanProduct
    from hoptac.fund.tests.conftest import disbursed_loan

    product = LoanProduct.objects.create(
        code="HTX-60", name="Cho vay", eligible_kinds=["HTX"], max_amount=10**9, max_term_months=60, annual_rate=7
    )
    return disbursed_loan(org_tan_yen, product, fund_staff, amount=500_000_000, on=D(2021, 1, 15))


def test_loans_are_read_with_their_position_by_role(loan, fund_staff, officer, coop_user, org_hiep_hoa):
    other_coop = User.objects.create_user("hiephoa", role=Role.COOPERATIVE, organization=org_hiep_hoa)

    for user in (fund_staff, officer, coop_user):
        body = as_user(user).get(reverse("api:loans"), {"as_of": "2021-03-15"}).json()
        assert [row["code"] for row in body["results"]] == ["VAY-001"], user
        assert body["results"][0]["position"]["disbursed"] == 500_000_000
    assert as_user(other_coop).get(reverse("api:loans")).json()["count"] == 0
    assert as_user(other_coop).get(reverse("api:loan", args=[loan.pk])).status_code == 404


def test_a_loans_position_follows_the_date(loan, fund_staff):
    client = as_user(fund_staff)
    before = client.get(reverse("api:loan", args=[loan.pk]), {"as_of": "2021-01-01"}).json()["position"]
    after = client.get(reverse("api:loan", args=[loan.pk]), {"as_of": "2021-03-15"}).json()["position"]

    assert before["disbursed"] == 0 and before["outstanding"] == 0
    assert after["disbursed"] == 500_000_000 and after["next_due_on"]


def test_loan_list_queries_do_not_grow_with_the_loans(loan, org_tan_yen, fund_staff, django_assert_max_num_queries):
    from hoptac.fund.tests.conftest import disbursed_loan

    client = as_user(fund_staff)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("api:loans"))
    for i in range(4):
        disbursed_loan(org_tan_yen, loan.product, fund_staff, amount=100_000_000, code=f"VAY-1{i}")
    with django_assert_max_num_queries(len(one)):
        assert client.get(reverse("api:loans")).json()["count"] == 5
