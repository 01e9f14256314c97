"""The organisation picker: its search endpoint (scoped, diacritics ignored, at most 20) and its field."""

import pytest
from django.urls import reverse

from conftest import make_org
from hoptac.awards.forms import RecipientForm
from hoptac.awards.widgets import code_from_text

pytestmark = pytest.mark.django_db


def options(client, q):
    response = client.get(reverse("awards:org_search"), {"q": q})
    assert response.status_code == 200
    return response.context["organizations"], response.content.decode()


def test_search_ignores_diacritics_and_case_and_finds_codes(client, staff, org_tan_yen, org_hiep_hoa):
    client.force_login(staff)
    found, html = options(client, "quang tien")
    assert found == [org_tan_yen]
    assert f'data-pk="{org_tan_yen.pk}"' in html and f"({org_tan_yen.code})" in html
    assert options(client, "RAU AN TOÀN")[0] == [org_hiep_hoa]
    assert options(client, "2400000002")[0] == [org_hiep_hoa]
    assert options(client, "htx thanh van")[0] == [org_hiep_hoa]
    assert options(client, "   ")[0] == []


def test_search_is_limited_to_what_the_user_sees(client, officer, org_tan_yen, org_hiep_hoa):
    client.force_login(officer)  # Tân Yên's officer
    assert options(client, "hop tac xa")[0] == [org_tan_yen]


def test_search_shows_at_most_20_and_says_so(client, staff, commune_tan_yen):
    for i in range(25):
        make_org(commune_tan_yen, name=f"Hợp tác xã Rau sạch số {i:02d}")
    client.force_login(staff)
    found, html = options(client, "rau sach")
    assert len(found) == 20 and "20" in html


def test_search_leaves_out_archived_organisations(client, staff, org_tan_yen):
    from hoptac.registry.services import organization_archive

    organization_archive(organization=org_tan_yen, by=staff, reason="Trùng")
    client.force_login(staff)
    assert options(client, "quang tien")[0] == []


def test_search_needs_a_login(client):
    assert client.get(reverse("awards:org_search"), {"q": "htx"}).status_code == 302


def test_the_field_takes_the_chosen_pk_or_a_typed_code(staff, org_tan_yen, org_hiep_hoa, officer):
    def cleaned(data, user=staff):
        form = RecipientForm({"kind": "collective", **data}, user=user)
        form.is_valid()
        return form

    assert cleaned({"organization": org_tan_yen.pk}).cleaned_data["organization"] == org_tan_yen
    assert cleaned({"organization_text": " 2400000002 "}).cleaned_data["organization"] == org_hiep_hoa
    label = f"{org_hiep_hoa.name} ({org_hiep_hoa.code})"
    assert cleaned({"organization_text": label}).cleaned_data["organization"] == org_hiep_hoa
    assert cleaned({}).cleaned_data["organization"] is None
    unknown = cleaned({"organization_text": "Hợp tác xã gì đó"})
    assert "organization" in unknown.errors and "Hợp tác xã gì đó" in str(unknown.errors["organization"])
    # An organisation outside the user's area is refused whether picked or typed.
    assert "organization" in cleaned({"organization": org_hiep_hoa.pk}, user=officer).errors
    assert "organization" in cleaned({"organization_text": "2400000002"}, user=officer).errors


def test_the_widget_renders_the_search_url_and_the_chosen_label(staff, org_tan_yen):
    form = RecipientForm(user=staff, initial={"organization": org_tan_yen.pk})
    html = str(form["organization"])
    assert f'hx-get="{reverse("awards:org_search")}"' in html
    assert 'id="id_organization"' in html and 'name="organization_text"' in html
    assert f'value="{org_tan_yen.name} ({org_tan_yen.code})"' in html
    assert f'name="organization" value="{org_tan_yen.pk}"' in html


def test_code_from_text():
    assert code_from_text("Hợp tác xã A (2400000001)") == "2400000001"
    assert code_from_text(" 2400000001 ") == "2400000001"
    assert code_from_text("") == ""
