"""Movement, bloc and registration pages: details, edits, members, self-assessment, scores, exports."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from hoptac.awards import services

from .conftest import registration_of

pytestmark = pytest.mark.django_db


def scored(bloc, movement, *pairs):
    scores = {}
    for org, self_score, score in pairs:
        registration = registration_of(org, movement)
        services.registration_self_assess(
            registration=registration, self_score=Decimal(self_score), self_assessment="Hoàn thành"
        )
        scores[registration.pk] = Decimal(score)
    services.bloc_score(bloc=bloc, scores=scores)


def test_bloc_page_shows_members_ranking_and_who_has_not_registered(
    client, staff, bloc, movement, org_tan_yen, org_hiep_hoa, commune_tan_yen
):
    late = make_org(commune_tan_yen, name="Hợp tác xã Chè Liên Sơn", code="2400000003")
    bloc.members.add(late)
    scored(bloc, movement, (org_tan_yen, "95", "96"), (org_hiep_hoa, "99", "90"))
    client.force_login(staff)
    response = client.get(reverse("awards:bloc", args=[bloc.pk]))
    ranking = response.context["ranking"]
    assert [(row.registration.organization, row.rank) for row in ranking] == [(org_tan_yen, 1), (org_hiep_hoa, 2)]
    assert response.context["unregistered"] == [late]
    page = response.content.decode()
    assert "96,00" in page and late.name in page
    ws = load_workbook(io.BytesIO(client.get(reverse("awards:bloc_export", args=[bloc.pk])).content)).active
    assert [c.value for c in ws[4]] == [1, org_tan_yen.name, org_tan_yen.code, movement.name, 95, 96]


def test_awards_officer_adds_a_member_with_the_picker(client, awards_staff, bloc, commune_tan_yen):
    late = make_org(commune_tan_yen, name="Hợp tác xã Chè Liên Sơn", code="2400000003")
    client.force_login(awards_staff)
    url = reverse("awards:bloc_member_add", args=[bloc.pk])
    assert client.post(url, {"organization": late.pk}).status_code == 302
    assert bloc.members.filter(pk=late.pk).exists()
    response = client.post(url, {"organization": late.pk})
    assert response.status_code == 400 and response.context["member_form"].errors


def test_bloc_edit_sets_leader_and_members_from_codes(client, awards_staff, bloc, org_tan_yen, org_hiep_hoa):
    client.force_login(awards_staff)
    url = reverse("awards:bloc_edit", args=[bloc.pk])
    form = client.get(url).context["form"]
    assert form.initial["member_codes"].split() == [org_tan_yen.code, org_hiep_hoa.code]
    response = client.post(
        url, {"name": bloc.name, "year": 2020, "leader_text": org_tan_yen.code, "member_codes": org_tan_yen.code}
    )
    assert response.status_code == 302
    bloc.refresh_from_db()
    assert bloc.leader == org_tan_yen and list(bloc.members.all()) == [org_tan_yen]


def test_scoring_page_lists_members_and_ranks_after_saving(client, awards_staff, bloc, movement, org_tan_yen):
    registration = registration_of(org_tan_yen, movement)
    services.registration_self_assess(registration=registration, self_score=Decimal(90), self_assessment="Tốt")
    client.force_login(awards_staff)
    url = reverse("awards:bloc_scores", args=[bloc.pk])
    page = client.get(url).content.decode()
    assert "Tốt" in page and 'name="score_' in page
    response = client.post(url, {f"score_{registration.pk}": "87,5"}, follow=True)
    assert response.context["ranking"][0].rank == 1
    assert "87,50" in response.content.decode()


def test_self_assessment_page_validates_the_score(client, awards_staff, bloc, movement, org_tan_yen):
    registration = registration_of(org_tan_yen, movement)
    client.force_login(awards_staff)
    url = reverse("awards:self_assessment", args=[registration.pk])
    response = client.post(url, {"self_score": "120", "self_assessment": "Tốt"})
    assert response.status_code == 200 and response.context["form"].errors["self_score"]
    response = client.post(url, {"self_score": "", "self_assessment": ""})
    assert set(response.context["form"].errors) == {"self_score", "self_assessment"}
    registration.refresh_from_db()
    assert registration.self_score is None
    client.post(url, {"self_score": "88,25", "self_assessment": "Doanh thu tăng 6%"})
    page = client.get(reverse("awards:registration", args=[registration.pk])).content.decode()
    assert "88,25" in page and "Doanh thu tăng 6%" in page


def test_a_covenant_has_no_self_assessment_page(client, awards_staff, bloc, movement):
    covenant = services.registration_create(
        movement=movement, bloc=bloc, targets="Giao ước", signed_on=movement.launched_on
    )
    client.force_login(awards_staff)
    assert client.get(reverse("awards:self_assessment", args=[covenant.pk])).status_code == 403
    page = client.get(reverse("awards:bloc", args=[bloc.pk])).content.decode()
    assert "Giao ước" in page


def test_movement_and_registration_edit_pages(client, awards_staff, bloc, movement, org_tan_yen):
    client.force_login(awards_staff)
    response = client.post(
        reverse("awards:movement_edit", args=[movement.pk]),
        {"year": 2020, "name": "Phong trào “Đổi mới” 2020", "launched_on": "10/02/2020"},
    )
    assert response["Location"] == reverse("awards:movement", args=[movement.pk])
    registration = registration_of(org_tan_yen, movement)
    response = client.post(
        reverse("awards:registration_edit", args=[registration.pk]),
        {"movement": movement.pk, "targets": "Doanh thu tăng 9%", "signed_on": "12/03/2020"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("awards:registration", args=[registration.pk]))
    assert "Doanh thu tăng 9%" in detail.content.decode()
    assert [item["label"] for item in detail.context["history"]][0] == "Sửa"
    movement_page = client.get(reverse("awards:movement", args=[movement.pk])).content.decode()
    assert "Phong trào “Đổi mới” 2020" in movement_page and org_tan_yen.name in movement_page


def test_registration_list_filters_by_year_and_exports(client, staff, bloc, movement, org_tan_yen):
    later = services.movement_create(year=2021, name="Phong trào 2021", launched_on=movement.launched_on)
    services.registration_create(movement=later, organization=org_tan_yen, targets="x", signed_on=movement.launched_on)
    client.force_login(staff)
    listed = client.get(reverse("awards:registrations"), {"year": 2020}).context["page_obj"].object_list
    assert {r.movement for r in listed} == {movement}
    ws = load_workbook(io.BytesIO(client.get(reverse("awards:registrations_export"), {"year": 2021}).content)).active
    assert ws.max_row == 4 and ws["C4"].value == org_tan_yen.name
