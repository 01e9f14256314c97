"""Awards pages: who may read and write, recording a decision and its recipients, counts, exports."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoptac.awards import services
from hoptac.awards.models import Bloc, Decision, Movement, Recipient

pytestmark = pytest.mark.django_db
D = datetime.date

READ_PAGES = ["awards:decisions", "awards:counts", "awards:movements", "awards:blocs", "awards:registrations"]
WRITE_PAGES = ["awards:decision_create", "awards:movement_create", "awards:bloc_create", "awards:registration_create"]


def as_user(client, user):
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("awards:decisions"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_every_signed_in_user_reads_the_lists(client, staff, name):
    assert as_user(client, staff).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_training_officer_cannot_write(client, training_staff, name):
    assert as_user(client, training_staff).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_awards_officer_opens_the_forms(client, awards_staff, name):
    assert as_user(client, awards_staff).get(reverse(name)).status_code == 200


def test_training_officer_cannot_issue_a_decision(client, training_staff):
    response = as_user(client, training_staff).post(
        reverse("awards:decision_create"),
        {"number": "1/QĐ-LMHTX", "on": "05/03/2021", "issuer": "alliance", "form": "commendation"},
    )
    assert response.status_code == 403 and not Decision.objects.exists()


def test_training_officer_cannot_add_a_recipient(client, training_staff, decision, org_tan_yen):
    response = as_user(client, training_staff).post(
        reverse("awards:recipient_add", args=[decision.pk]), {"kind": "individual", "person_name": "Ai"}
    )
    assert response.status_code == 403 and decision.recipients.count() == 3


def test_awards_officer_records_a_decision_with_recipients(client, awards_staff, org_tan_yen):
    client = as_user(client, awards_staff)
    response = client.post(
        reverse("awards:decision_create"),
        {
            "number": "15/QĐ-LMHTX",
            "on": "05/03/2021",
            "issuer": "alliance",
            "form": "commendation",
            "title": "Giấy khen",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("awards:decision", args=[decision.pk])
    url = reverse("awards:recipient_add", args=[decision.pk])
    assert client.post(url, {"kind": "collective", "organization": org_tan_yen.pk}).status_code == 302
    assert (
        client.post(url, {"kind": "individual", "person_name": "Lê Văn Hải", "position": "Kế toán"}).status_code == 302
    )
    page = client.get(reverse("awards:decision", args=[decision.pk])).content.decode()
    assert org_tan_yen.name in page and "Lê Văn Hải" in page


def test_invalid_recipient_shows_the_error(client, awards_staff, decision):
    response = as_user(client, awards_staff).post(
        reverse("awards:recipient_add", args=[decision.pk]), {"kind": "collective"}
    )
    assert response.status_code == 400 and response.context["recipient_form"].errors
    assert decision.recipients.count() == 3


def test_future_decision_is_refused_on_the_form(client, awards_staff):
    response = as_user(client, awards_staff).post(
        reverse("awards:decision_create"),
        {"number": "9/QĐ", "on": "01/01/2099", "issuer": "vca", "form": "flag"},
    )
    assert response.status_code == 200 and response.context["form"].errors["on"]


def test_decision_list_filters(client, staff, decision):
    client = as_user(client, staff)
    assert decision.number in client.get(reverse("awards:decisions"), {"year": 2021}).content.decode()
    assert decision.number not in client.get(reverse("awards:decisions"), {"year": 2020}).content.decode()
    assert decision.number not in client.get(reverse("awards:decisions"), {"issuer": "vca"}).content.decode()
    assert decision.number in client.get(reverse("awards:decisions"), {"form": "merit"}).content.decode()


def test_area_officer_does_not_see_other_areas_decisions(client, officer, awards_staff, org_hiep_hoa):
    other = services.award_decision_create(number="58/QĐ", on=D(2021, 1, 22), issuer="vca", form="flag")
    services.award_recipient_add(decision=other, kind="collective", organization=org_hiep_hoa)
    assert as_user(client, officer).get(reverse("awards:decision", args=[other.pk])).status_code == 404


def test_counts_link_to_their_recipients(client, staff, decision):
    client = as_user(client, staff)
    response = client.get(reverse("awards:counts"), {"date_from": "01/01/2021", "date_to": "15/03/2021"})
    rows = response.context["rows"]
    assert [row.count for row, _ in rows] == [2, 1]
    for row, link in rows:
        listed = client.get(link).context["recipients"]
        assert len(listed) == row.count


def test_counts_default_to_this_year(client, staff):
    response = as_user(client, staff).get(reverse("awards:counts"))
    assert response.context["date_from"] == D(datetime.date.today().year, 1, 1)


def test_counts_export(client, staff, decision):
    response = as_user(client, staff).get(
        reverse("awards:counts_export"), {"date_from": "01/01/2021", "date_to": "15/03/2021"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in ws.iter_rows(min_row=4, values_only=True)]
    assert [v[3] for v in values] == [2, 1, 3]


def test_decision_export(client, staff, decision):
    response = as_user(client, staff).get(reverse("awards:decision_export", args=[decision.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 3 + Recipient.objects.filter(decision=decision).count()
    assert [c.value for c in ws[4]][:4] == [1, "Tập thể", "2400000001", "Hợp tác xã Nông nghiệp Quang Tiến Tân Yên"]


def test_awards_officer_creates_movement_bloc_and_covenant(client, awards_staff, org_tan_yen, org_hiep_hoa):
    client = as_user(client, awards_staff)
    response = client.post(
        reverse("awards:movement_create"), {"year": 2021, "name": "Phong trào 2021", "launched_on": "25/02/2021"}
    )
    movement = Movement.objects.get()
    assert response["Location"] == reverse("awards:movement", args=[movement.pk])
    response = client.post(
        reverse("awards:bloc_create"),
        {"name": "Khối thi đua các HTX", "year": 2021, "member_codes": f"{org_tan_yen.code}, {org_hiep_hoa.code}"},
    )
    bloc = Bloc.objects.get()
    assert response["Location"] == reverse("awards:bloc", args=[bloc.pk])
    assert bloc.members.count() == 2 and bloc.leader is None
    response = client.post(
        reverse("awards:registration_create"),
        {"movement": movement.pk, "bloc": bloc.pk, "targets": "Tăng doanh thu 10%", "signed_on": "05/03/2021"},
    )
    assert response.status_code == 302
    page = client.get(reverse("awards:registrations")).content.decode()
    assert "Khối thi đua các HTX" in page and "Tăng doanh thu 10%" in page
    # Both a bloc and an organisation: refused with the service's message.
    response = client.post(
        reverse("awards:registration_create"),
        {
            "movement": movement.pk,
            "bloc": bloc.pk,
            "organization": org_tan_yen.pk,
            "targets": "x",
            "signed_on": "05/03/2021",
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_unknown_member_codes_are_named_and_nothing_is_saved(client, awards_staff, org_tan_yen):
    response = as_user(client, awards_staff).post(
        reverse("awards:bloc_create"), {"name": "Khối A", "year": 2021, "member_codes": f"{org_tan_yen.code}\n999"}
    )
    assert response.status_code == 200 and "999" in str(response.context["form"].errors["member_codes"])
    assert not Bloc.objects.exists()


def test_a_collective_is_named_by_its_code_without_javascript(client, awards_staff, decision, commune_tan_yen):
    from conftest import make_org

    other = make_org(commune_tan_yen, name="Hợp tác xã Chè Liên Sơn", code="2400000009")
    response = as_user(client, awards_staff).post(
        reverse("awards:recipient_add", args=[decision.pk]),
        {"kind": "collective", "organization": "", "organization_text": "2400000009"},
    )
    assert response.status_code == 302 and decision.recipients.filter(organization=other).exists()


def test_decision_list_export_follows_the_filters(client, staff, decision):
    client = as_user(client, staff)
    ws = load_workbook(io.BytesIO(client.get(reverse("awards:decisions_export"), {"year": 2021}).content)).active
    assert [c.value for c in ws[4]][:2] == ["126/QĐ-UBND", "28/01/2021"] and ws[4][5].value == 3
    ws = load_workbook(io.BytesIO(client.get(reverse("awards:decisions_export"), {"year": 2020}).content)).active
    assert ws.max_row == 3


# ---------------------------------------------------------------- edit, archive, restore


def test_awards_officer_edits_a_decision(client, awards_staff, decision):
    client = as_user(client, awards_staff)
    form = client.get(reverse("awards:decision_edit", args=[decision.pk])).context["form"]
    assert form.initial["version"] == 1 and form.initial["number"] == decision.number
    data = {"number": "126/QĐ-UBND", "on": "29/01/2021", "issuer": "province", "form": "merit", "version": 1}
    response = client.post(reverse("awards:decision_edit", args=[decision.pk]), data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.on == D(2021, 1, 29) and decision.version == 2


def test_a_stale_decision_edit_answers_409_keeps_the_input_and_shows_the_change(client, awards_staff, decision):
    services.award_decision_update(decision=decision, expected_version=1, title="Bằng khen 2020")
    data = {"number": "126/QĐ-UBND", "on": "28/01/2021", "issuer": "province", "form": "flag", "version": 1}
    response = as_user(client, awards_staff).post(reverse("awards:decision_edit", args=[decision.pk]), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="stale-edit"' in page and "Bằng khen 2020" in page
    assert response.context["form"]["version"].value() == 2
    assert response.context["form"]["form"].value() == "flag"
    decision.refresh_from_db()
    assert decision.form == "merit"


def test_recipient_is_edited_archived_and_restored_through_the_pages(client, awards_staff, decision, org_tan_yen):
    client = as_user(client, awards_staff)
    recipient = decision.recipients.get(organization=org_tan_yen)
    response = client.post(
        reverse("awards:recipient_edit", args=[recipient.pk]),
        {"kind": "collective", "organization": org_tan_yen.pk, "reason": "Xuất sắc"},
    )
    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.reason == "Xuất sắc"
    assert client.post(reverse("awards:recipient_archive", args=[recipient.pk]), {"reason": ""}).status_code == 200
    client.post(reverse("awards:recipient_archive", args=[recipient.pk]), {"reason": "Nhập nhầm"})
    page = client.get(reverse("awards:decision", args=[decision.pk]))
    assert [r.pk for r in page.context["archived"]] == [recipient.pk]
    assert recipient.pk not in [r.pk for r in page.context["recipients"]]
    counts = client.get(reverse("awards:counts"), {"date_from": "01/01/2021", "date_to": "15/03/2021"})
    assert [row.count for row, _ in counts.context["rows"]] == [1, 1]
    client.post(reverse("awards:recipient_restore", args=[recipient.pk]), {"reason": ""})
    recipient.refresh_from_db()
    assert recipient.archived_on is None


def test_list_and_detail_pages_make_a_fixed_number_of_queries(
    client, staff, awards_staff, org_tan_yen, org_hiep_hoa, django_assert_max_num_queries
):
    movement = services.movement_create(year=2020, name="Phong trào 2020", launched_on=D(2020, 2, 1))
    bloc = services.bloc_create(name="Khối", year=2020, members=[org_tan_yen, org_hiep_hoa])
    for i in range(12):
        decision = services.award_decision_create(number=f"{i}/QĐ", on=D(2021, 1, 1 + i), issuer="vca", form="flag")
        services.award_recipient_add(decision=decision, kind="collective", organization=org_tan_yen)
        services.award_recipient_add(decision=decision, kind="individual", person_name=f"Người {i}")
        proposal = services.proposal_create(
            title=f"Tờ trình {i}", year=2020, issuer="vca", form="flag", drafted_on=D(2021, 1, 1), movement=movement
        )
        services.nominee_add(proposal=proposal, kind="collective", organization=org_hiep_hoa)
        other = services.movement_create(year=2020, name=f"Phong trào {i}", launched_on=D(2020, 2, 1))
        services.registration_create(movement=other, organization=org_tan_yen, targets="x", signed_on=D(2020, 3, 1))
        services.bloc_create(name=f"Khối {i}", year=2021, leader=org_hiep_hoa, members=[org_tan_yen])
    for org in (org_tan_yen, org_hiep_hoa):
        services.registration_create(movement=movement, organization=org, targets="x", signed_on=D(2020, 3, 1))
    pages = [
        reverse("awards:decisions"),
        reverse("awards:proposals"),
        reverse("awards:registrations"),
        reverse("awards:blocs"),
        reverse("awards:movements"),
        reverse("awards:counts") + "?date_from=01/01/2021&date_to=31/12/2021",
        reverse("awards:recipients") + "?date_from=01/01/2021&date_to=31/12/2021",
        reverse("awards:bloc", args=[bloc.pk]),
        reverse("awards:movement", args=[movement.pk]),
        reverse("awards:decision", args=[decision.pk]),
        reverse("awards:proposal", args=[proposal.pk]),
    ]
    reader = as_user(client, staff)
    for url in pages:
        with django_assert_max_num_queries(14):
            assert reader.get(url).status_code == 200, url
    officer = as_user(client, awards_staff)
    for url in pages[-4:]:
        with django_assert_max_num_queries(20):
            assert officer.get(url).status_code == 200, url


def test_org_awards_include_renders(decision, org_hiep_hoa):
    from django.template.loader import render_to_string

    from hoptac.awards.selectors import awards_of

    html = render_to_string("awards/_org_awards.html", {"awards": awards_of(org_hiep_hoa)})
    assert decision.number in html and "Trần Thị Lan" in html
