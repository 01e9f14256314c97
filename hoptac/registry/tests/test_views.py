import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_org
from hoptac.core.models import AuditEntry
from hoptac.geo.models import AdminUnit, Level
from hoptac.registry.models import LifecycleEvent, Membership, Organization
from hoptac.registry.services import (
    event_record,
    membership_start,
    organization_update,
)

pytestmark = pytest.mark.django_db

D2021 = datetime.date(2021, 3, 15)


def list_names(client, **params) -> list[str]:
    response = client.get(reverse("registry:list"), params)
    assert response.status_code == 200
    return [org.name for org in response.context["page_obj"].object_list]


def edit_data(org: Organization, **changes) -> dict:
    """The edit form as a browser would post it, opened now."""
    client_form = {
        "kind": org.kind,
        "sector": org.sector,
        "code": org.code,
        "name": org.name,
        "commune": org.commune_id,
        "street": org.street,
        "founded_on": org.founded_on.isoformat(),
        "registration_number": org.registration_number,
        "registration_date": "",
        "registration_office": org.registration_office,
        "registration_law": org.registration_law,
        "representative": org.representative,
        "official_members": org.official_members or "",
        "associate_members": org.associate_members or "",
        "employees": org.employees or "",
        "charter_capital": org.charter_capital or "",
        "business_lines": org.business_lines,
        "phone": org.phone,
        "email": org.email,
        "website": org.website,
        "version": org.version,
    }
    client_form.update(changes)
    return client_form


def opened_form(client, org) -> dict:
    """Open the edit page and take the hidden fields it carries."""
    form = client.get(reverse("registry:edit", args=[org.pk])).context["form"]
    return {"version": form["version"].value(), "seen": form["seen"].value()}


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    "name, args",
    [
        ("registry:list", []),
        ("registry:create", []),
        ("registry:detail", [1]),
        ("registry:edit", [1]),
        ("registry:event_create", [1]),
        ("registry:archive", [1]),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_area_officer_cannot_see_another_area(client, officer, org_tan_yen, org_hiep_hoa):
    client.force_login(officer)
    assert client.get(reverse("registry:detail", args=[org_tan_yen.pk])).status_code == 200
    assert client.get(reverse("registry:detail", args=[org_hiep_hoa.pk])).status_code == 404
    assert client.get(reverse("registry:edit", args=[org_hiep_hoa.pk])).status_code == 404
    assert list_names(client, status="all") == [org_tan_yen.name]


def test_cooperative_account_sees_only_its_own_record(client, coop_user, org_tan_yen, org_hiep_hoa):
    client.force_login(coop_user)
    assert client.get(reverse("registry:detail", args=[org_tan_yen.pk])).status_code == 200
    assert client.get(reverse("registry:detail", args=[org_hiep_hoa.pk])).status_code == 404
    assert list_names(client) == [org_tan_yen.name]


def test_posts_on_another_area_are_404_and_change_nothing(client, officer, org_hiep_hoa):
    client.force_login(officer)
    pk = org_hiep_hoa.pk
    before = Organization.objects.get(pk=pk)
    audits = AuditEntry.objects.count()
    posts = [
        ("registry:edit", edit_data(org_hiep_hoa, name="Bị sửa trái phép")),
        ("registry:archive", {"reason": "Thử"}),
        ("registry:restore", {"reason": "Thử"}),
        ("registry:event_create", {"kind": "suspended", "on": "2021-01-01"}),
        ("registry:membership", {"action": "start", "on": "2021-01-01"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[pk]), data).status_code == 404, name
    after = Organization.objects.get(pk=pk)
    assert (after.name, after.version, after.archived_on) == (before.name, before.version, None)
    assert not LifecycleEvent.objects.filter(organization_id=pk).exists()
    assert not Membership.objects.filter(organization_id=pk).exists()
    assert AuditEntry.objects.count() == audits


def test_cooperative_account_may_not_manage_its_record(client, coop_user, org_tan_yen):
    client.force_login(coop_user)
    pk = org_tan_yen.pk
    assert client.get(reverse("registry:create")).status_code == 403
    assert client.post(reverse("registry:archive", args=[pk]), {"reason": "x"}).status_code == 403
    assert (
        client.post(reverse("registry:event_create", args=[pk]), {"kind": "suspended", "on": "2021-01-01"}).status_code
        == 403
    )
    assert (
        client.post(reverse("registry:membership", args=[pk]), {"action": "start", "on": "2021-01-01"}).status_code
        == 403
    )
    assert Organization.objects.get(pk=pk).archived_on is None


# ---------------------------------------------------------------- list


def test_list_search_ignores_diacritics(client, staff, org_tan_yen, org_hiep_hoa):
    client.force_login(staff)
    assert list_names(client, q="hop tac xa nong nghiep quang tien") == [org_tan_yen.name]
    assert list_names(client, q="RAU AN TOAN") == [org_hiep_hoa.name]
    assert list_names(client, q="thanh van") == [org_hiep_hoa.name]


def test_a_search_with_more_matches_than_the_cap_lists_the_first_and_asks_to_narrow_it(
    client, staff, org_tan_yen, org_hiep_hoa, monkeypatch
):
    from hoptac.registry import views

    client.force_login(staff)
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 1)
    response = client.get(reverse("registry:list"), {"q": "hop tac xa"})
    html = response.content.decode()
    assert "Hơn 1 tổ chức khớp" in html and "thu hẹp tìm kiếm" in html
    assert len(response.context["page_obj"].object_list) == 1
    # Within the cap, and without a search term, the count is exact.
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 2)
    response = client.get(reverse("registry:list"), {"q": "hop tac xa"})
    assert "2 tổ chức, trạng thái tại ngày" in response.content.decode()
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 1)
    response = client.get(reverse("registry:list"))
    assert "2 tổ chức, trạng thái tại ngày" in response.content.decode()


def test_list_filters(client, staff, org_tan_yen, org_hiep_hoa, commune_tan_yen, tan_yen, hiep_hoa):
    tht = make_org(
        commune_tan_yen,
        kind="THT",
        sector="thuong_mai",
        name="Tổ hợp tác Thương mại Quang Tiến",
        founded_on=datetime.date(2022, 6, 1),
    )
    membership_start(organization=org_hiep_hoa, joined_on=datetime.date(2019, 1, 1))
    client.force_login(staff)

    assert list_names(client, kind="THT") == [tht.name]
    assert list_names(client, sector="thuong_mai") == [tht.name]
    assert set(list_names(client, district=tan_yen.pk, as_of="2021-03-15")) == {org_tan_yen.name}
    assert list_names(client, district=hiep_hoa.pk, as_of="2021-03-15") == [org_hiep_hoa.name]
    assert list_names(client, member="yes") == [org_hiep_hoa.name]
    assert org_hiep_hoa.name not in list_names(client, member="no")
    # Not yet founded on 15/03/2021: inactive then, active now.
    assert tht.name not in list_names(client, as_of="2021-03-15")
    assert tht.name in list_names(client, as_of="15/03/2021", status="inactive")
    assert tht.name in list_names(client)
    now = AdminUnit.objects.get(pk=commune_tan_yen.current_id)
    assert set(list_names(client, commune_now=now.pk)) == {org_tan_yen.name, tht.name}


def test_list_status_defaults_to_active_today(client, staff, org_tan_yen, org_hiep_hoa):
    event_record(organization=org_hiep_hoa, kind="dissolved", on=datetime.date(2022, 1, 10))
    client.force_login(staff)
    assert list_names(client) == [org_tan_yen.name]
    assert list_names(client, as_of="2021-12-31") == [org_tan_yen.name, org_hiep_hoa.name]
    assert list_names(client, status="inactive") == [org_hiep_hoa.name]
    assert len(list_names(client, status="all")) == 2


def test_list_ignores_a_bad_filter_value(client, staff, org_tan_yen):
    client.force_login(staff)
    assert list_names(client, kind="NOPE", as_of="31/02/2021", district="abc") == [org_tan_yen.name]


def test_list_districts_follow_the_date(client, staff):
    client.force_login(staff)
    response = client.get(reverse("registry:list"), {"as_of": "2021-03-15"})
    assert response.context["form"].fields["district"].queryset.count() == 10
    response = client.get(reverse("registry:list"), {"as_of": "2025-03-15"})
    names = {u.name for u in response.context["form"].fields["district"].queryset}
    assert "Huyện Yên Dũng" not in names and "Thị xã Chũ" in names


def test_list_is_paginated_and_links_keep_the_filters(client, staff, commune_tan_yen):
    for i in range(55):
        make_org(commune_tan_yen, name=f"Hợp tác xã Số {i:02d}")
    client.force_login(staff)
    response = client.get(reverse("registry:list"), {"q": "so", "kind": "HTX"})
    page = response.context["page_obj"]
    assert page.paginator.count == 55 and len(page.object_list) == 50
    html = response.content.decode()
    assert 'href="?q=so&amp;kind=HTX&amp;page=2"' in html
    response = client.get(reverse("registry:list"), {"q": "so", "kind": "HTX", "page": 2})
    assert len(response.context["page_obj"].object_list) == 5


def test_list_links_exports_with_the_same_filters(client, staff, org_tan_yen):
    client.force_login(staff)
    html = client.get(reverse("registry:list"), {"kind": "HTX", "page": "1"}).content.decode()
    export = reverse("registry:export")
    assert f'href="{export}?kind=HTX&amp;format=xlsx"' in html
    assert f'href="{export}?kind=HTX&amp;format=csv"' in html


def test_list_answers_htmx_with_the_results_only(client, staff, org_tan_yen):
    client.force_login(staff)
    response = client.get(reverse("registry:list"), {"q": "quang tien"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert org_tan_yen.name in html
    assert "<html" not in html and 'class="filters"' not in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("registry:list"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.content.decode()


def test_list_query_count_does_not_grow_with_the_page(
    client, staff, commune_tan_yen, commune_hiep_hoa, django_assert_max_num_queries
):
    client.force_login(staff)

    def make(n):
        for i in range(n):
            org = make_org(commune_tan_yen if i % 2 else commune_hiep_hoa, name=f"Hợp tác xã Đếm {i:02d}")
            if i % 3 == 0:
                event_record(organization=org, kind="suspended", on=datetime.date(2020, 1, 1))
            if i % 4 == 0:
                membership_start(organization=org, joined_on=datetime.date(2019, 1, 1))

    url = reverse("registry:list")
    params = {"status": "all", "member": "", "as_of": "2021-03-15"}
    make(3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url, params).status_code == 200
    make(27)
    with django_assert_max_num_queries(len(three)):
        response = client.get(url, params)
    assert len(response.context["page_obj"].object_list) == 30


# ---------------------------------------------------------------- detail


def test_detail_shows_the_record_and_a_merged_timeline(client, staff, org_tan_yen):
    organization_update(organization=org_tan_yen, by=staff, data={"official_members": 20, "phone": "0204 3854 000"})
    event_record(organization=org_tan_yen, kind="suspended", on=datetime.date(2020, 2, 1), by=staff, document="12/QĐ")
    membership_start(organization=org_tan_yen, joined_on=datetime.date(2018, 1, 1), by=staff)
    client.force_login(staff)

    response = client.get(reverse("registry:detail", args=[org_tan_yen.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "500.000.000đ" in html  # charter capital in đồng
    assert "04/05/2015" in html  # founding date dd/mm/yyyy
    assert "Xã Quang Tiến" in html and "Xã Quang Trung" in html  # as recorded, and as now
    assert "12/QĐ" in html
    timeline = response.context["timeline"]
    kinds = [item["kind"] for item in timeline]
    assert kinds.count("event") == 1 and kinds.count("audit") == 4
    # Newest first: the audit entries of today come before the 2020 event.
    assert timeline[-1]["kind"] == "event"
    change = next(i for i in timeline if i.get("entry") and i["entry"].action == "registry.organization.changed")
    assert {(c["name"], c["old"], c["new"]) for c in change["changes"]} == {
        ("official_members", "12", "20"),
        ("phone", "0912 345 678", "0204 3854 000"),
    }
    assert change["entry"].user == staff


def test_detail_status_today_follows_events(client, staff, org_tan_yen):
    event_record(organization=org_tan_yen, kind="suspended", on=datetime.date(2020, 2, 1))
    client.force_login(staff)
    response = client.get(reverse("registry:detail", args=[org_tan_yen.pk]))
    assert response.context["org"].status_value == "suspended"


# ---------------------------------------------------------------- create / edit


def test_staff_create_an_organisation(client, staff, commune_tan_yen):
    client.force_login(staff)
    data = edit_data(
        Organization(
            kind="HTX",
            sector="nong_nghiep",
            code="2400099999",
            name="Hợp tác xã Mới Lập",
            commune=commune_tan_yen,
            founded_on=datetime.date(2020, 7, 1),
        ),
        charter_capital="1.200.000.000",
        official_members="9",
    )
    response = client.post(reverse("registry:create"), data)
    org = Organization.objects.get(code="2400099999")
    assert response.status_code == 302 and response["Location"] == reverse("registry:detail", args=[org.pk])
    assert org.charter_capital == 1_200_000_000
    assert org.created_by == staff


def test_create_shows_service_errors_beside_the_fields(client, staff, commune_tan_yen):
    # Xã Quang Tiến was renamed on 01/01/2025: it cannot hold a cooperative founded in 2025-06.
    client.force_login(staff)
    data = edit_data(
        Organization(
            kind="HTX",
            sector="nong_nghiep",
            code="2400088888",
            name="Hợp tác xã Sai Xã",
            commune=commune_tan_yen,
            founded_on=datetime.date(2025, 6, 1),
        )
    )
    response = client.post(reverse("registry:create"), data)
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not Organization.objects.filter(code="2400088888").exists()


def test_commune_choices_are_grouped_and_limited_for_area_officers(client, staff, officer, tan_yen):
    client.force_login(staff)
    field = client.get(reverse("registry:create")).context["form"].fields["commune"]
    assert field.queryset.count() > 300
    labels = [label for group, options in field.choices[1:] for _pk, label in options]
    assert any(label.startswith("Xã Quang Tiến – Huyện Tân Yên (") for label in labels)
    client.force_login(officer)
    field = client.get(reverse("registry:create")).context["form"].fields["commune"]
    parents = set(field.queryset.values_list("parent__name", "parent__level"))
    # Tân Yên's communes of every era, and after 07/2025 the province's communes they became.
    assert ("Huyện Tân Yên", Level.DISTRICT) in parents
    assert {name for name, level in parents if level == Level.DISTRICT} == {"Huyện Tân Yên"}
    hiep_hoa_commune = AdminUnit.objects.filter(level=Level.COMMUNE, parent__name="Huyện Hiệp Hòa").first()
    data = edit_data(
        Organization(
            kind="HTX",
            sector="nong_nghiep",
            code="2400077777",
            name="Hợp tác xã Ngoài Vùng",
            commune=hiep_hoa_commune,
            founded_on=datetime.date(2020, 7, 1),
        )
    )
    response = client.post(reverse("registry:create"), data)
    assert "commune" in response.context["form"].errors
    assert not Organization.objects.filter(code="2400077777").exists()


def test_edit_saves_through_the_service_with_the_version(client, officer, org_tan_yen):
    client.force_login(officer)
    data = edit_data(org_tan_yen, name="Hợp tác xã Quang Tiến Mới", **opened_form(client, org_tan_yen))
    response = client.post(reverse("registry:edit", args=[org_tan_yen.pk]), data)
    assert response.status_code == 302
    org = Organization.objects.get(pk=org_tan_yen.pk)
    assert org.name == "Hợp tác xã Quang Tiến Mới" and org.version == 2 and org.modified_by == officer


def test_stale_edit_is_refused_with_the_changes_and_the_typed_values(client, staff, admin, org_tan_yen):
    client.force_login(staff)
    hidden = opened_form(client, org_tan_yen)
    # Meanwhile an administrator changes the representative.
    organization_update(organization=org_tan_yen, by=admin, data={"representative": "Trần Thị Bình"})

    data = edit_data(org_tan_yen, name="Tên do cán bộ gõ", representative="Nguyễn Văn An", **hidden)
    response = client.post(reverse("registry:edit", args=[org_tan_yen.pk]), data)

    assert response.status_code == 409
    org = Organization.objects.get(pk=org_tan_yen.pk)
    assert org.name == "Hợp tác xã Nông nghiệp Quang Tiến Tân Yên" and org.representative == "Trần Thị Bình"
    changes = response.context["stale_changes"]
    assert [(c["name"], c["old"], c["new"]) for c in changes] == [("representative", "Nguyễn Văn An", "Trần Thị Bình")]
    html = response.content.decode()
    assert "Trần Thị Bình" in html
    assert 'value="Tên do cán bộ gõ"' in html
    # The form now carries the new version: saving again applies the user's values knowingly.
    form = response.context["form"]
    assert int(form["version"].value()) == org.version
    again = dict(data, version=form["version"].value(), seen=form["seen"].value())
    assert client.post(reverse("registry:edit", args=[org_tan_yen.pk]), again).status_code == 302
    assert Organization.objects.get(pk=org_tan_yen.pk).name == "Tên do cán bộ gõ"


def test_edit_without_the_version_is_refused(client, staff, org_tan_yen):
    client.force_login(staff)
    data = edit_data(org_tan_yen, name="Không có phiên bản", version="")
    response = client.post(reverse("registry:edit", args=[org_tan_yen.pk]), data)
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert Organization.objects.get(pk=org_tan_yen.pk).name == org_tan_yen.name


def test_cooperative_account_cannot_post_to_another_record(client, coop_user, org_hiep_hoa):
    client.force_login(coop_user)
    response = client.post(reverse("registry:edit", args=[org_hiep_hoa.pk]), {"phone": "0000", "version": 1})
    assert response.status_code == 404
    assert Organization.objects.get(pk=org_hiep_hoa.pk).phone == org_hiep_hoa.phone


def test_cooperative_account_edits_contacts_and_size_only(client, coop_user, org_tan_yen):
    client.force_login(coop_user)
    form = client.get(reverse("registry:edit", args=[org_tan_yen.pk])).context["form"]
    assert "phone" in form.fields and "official_members" in form.fields
    for name in ("code", "kind", "commune", "founded_on", "name"):
        assert name not in form.fields
    data = {
        "phone": "0988 000 111",
        "official_members": "15",
        "charter_capital": "600.000.000",
        "street": "Thôn Đông",
        "code": "9999999999",
        "name": "Đổi tên",
        "founded_on": "2010-01-01",
        "version": form["version"].value(),
        "seen": form["seen"].value(),
    }
    assert client.post(reverse("registry:edit", args=[org_tan_yen.pk]), data).status_code == 302
    org = Organization.objects.get(pk=org_tan_yen.pk)
    assert (org.phone, org.official_members, org.charter_capital) == ("0988 000 111", 15, 600_000_000)
    assert (org.code, org.name, org.founded_on) == ("2400000001", org_tan_yen.name, org_tan_yen.founded_on)


# ---------------------------------------------------------------- events, archive, membership


def test_record_an_event(client, officer, org_tan_yen):
    client.force_login(officer)
    url = reverse("registry:event_create", args=[org_tan_yen.pk])
    response = client.post(url, {"kind": "suspended", "on": "2021-01-05", "document": "05/QĐ-UBND"})
    assert response.status_code == 302
    event = org_tan_yen.events.get()
    assert (event.kind, event.on, event.document, event.created_by) == (
        "suspended",
        datetime.date(2021, 1, 5),
        "05/QĐ-UBND",
        officer,
    )


def test_event_refused_by_the_service_is_shown_beside_the_field(client, staff, org_tan_yen):
    client.force_login(staff)
    url = reverse("registry:event_create", args=[org_tan_yen.pk])
    response = client.post(url, {"kind": "resumed", "on": "2021-01-05"})  # never suspended
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    response = client.post(url, {"kind": "suspended", "on": "2010-01-01"})  # before founding
    assert "on" in response.context["form"].errors
    assert not org_tan_yen.events.exists()


def test_merger_takes_the_code_of_the_other_organisation(client, staff, org_tan_yen, org_hiep_hoa):
    client.force_login(staff)
    url = reverse("registry:event_create", args=[org_tan_yen.pk])
    response = client.post(url, {"kind": "merged", "on": "2021-01-05", "merged_into": "0000"})
    assert "merged_into" in response.context["form"].errors
    response = client.post(url, {"kind": "merged", "on": "2021-01-05", "merged_into": org_hiep_hoa.code})
    assert response.status_code == 302
    assert org_tan_yen.events.get().merged_into == org_hiep_hoa


def test_archive_needs_a_reason_and_hides_the_record_from_the_list(client, staff, org_tan_yen):
    client.force_login(staff)
    url = reverse("registry:archive", args=[org_tan_yen.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Organization.objects.get(pk=org_tan_yen.pk).archived_on is None

    assert client.post(url, {"reason": "Nhập trùng với hồ sơ khác"}).status_code == 302
    assert org_tan_yen.name not in list_names(client, status="all")
    assert list_names(client, status="all", archived="on") == [org_tan_yen.name]
    detail = client.get(reverse("registry:detail", args=[org_tan_yen.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'id="archived-flag"' in html and "Nhập trùng với hồ sơ khác" in html
    # Archived records are not edited; restoring brings the record back.
    assert client.get(reverse("registry:edit", args=[org_tan_yen.pk])).status_code == 302
    assert client.post(reverse("registry:restore", args=[org_tan_yen.pk]), {"reason": "Nhầm"}).status_code == 302
    assert org_tan_yen.name in list_names(client, status="all")


def test_membership_start_and_end(client, staff, org_tan_yen):
    client.force_login(staff)
    url = reverse("registry:membership", args=[org_tan_yen.pk])
    assert client.post(url, {"action": "start", "on": "2019-04-01", "note": "Đại hội"}).status_code == 302
    assert client.post(url, {"action": "end", "on": "2018-01-01"}).status_code == 302  # refused: before joining
    membership = org_tan_yen.memberships.get()
    assert membership.left_on is None
    assert client.post(url, {"action": "end", "on": "2022-12-31"}).status_code == 302
    membership.refresh_from_db()
    assert (membership.joined_on, membership.left_on) == (datetime.date(2019, 4, 1), datetime.date(2022, 12, 31))
    assert client.get(url).status_code == 405
