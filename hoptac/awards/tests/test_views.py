"""Awards pages: who may read and write, recording a decision and its recipients, counts, exports."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

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
    from hoptac.awards import services

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


def test_awards_officer_creates_movement_bloc_and_covenant(client, awards_staff, org_tan_yen, org_hiep_hoa):
    client = as_user(client, awards_staff)
    client.post(
        reverse("awards:movement_create"), {"year": 2021, "name": "Phong trào 2021", "launched_on": "25/02/2021"}
    )
    movement = Movement.objects.get()
    client.post(
        reverse("awards:bloc_create"),
        {"name": "Khối thi đua các HTX", "year": 2021, "members": [org_tan_yen.pk, org_hiep_hoa.pk]},
    )
    bloc = Bloc.objects.get()
    assert bloc.members.count() == 2
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


def test_org_awards_include_renders(decision, org_hiep_hoa):
    from django.template.loader import render_to_string

    from hoptac.awards.selectors import awards_of

    html = render_to_string("awards/_org_awards.html", {"awards": awards_of(org_hiep_hoa)})
    assert decision.number in html and "Trần Thị Lan" in html
