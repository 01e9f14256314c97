import datetime

import pytest

from hoptac.core.models import User
from hoptac.geo.models import AdminUnit, Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "mat-khau-thu-nghiem-1", role="admin")


def test_administrator_adds_a_historic_unit_with_its_successor(client, superuser):
    client.force_login(superuser)
    province = AdminUnit.objects.valid_on(datetime.date(2021, 1, 1)).get(level=Level.PROVINCE, code="24")
    district = AdminUnit.objects.get(level=Level.DISTRICT, name="Huyện Tân Yên")
    survivor = AdminUnit.objects.valid_on(datetime.date(2021, 1, 1)).get(
        level=Level.COMMUNE, name="Xã Ngọc Thiện", parent=district
    )
    response = client.post(
        "/admin/geo/adminunit/add/",
        {
            "code": "07999",
            "name": "Xã Ngọc Cổ",
            "kind": "xa",
            "level": "3",
            "parent": district.pk,
            "valid_from": "",
            "valid_to": "31/12/2019",
            "successions-TOTAL_FORMS": "1",
            "successions-INITIAL_FORMS": "0",
            "successions-MIN_NUM_FORMS": "0",
            "successions-MAX_NUM_FORMS": "1000",
            "successions-0-successor": survivor.pk,
            "successions-0-on": "01/01/2020",
            "successions-0-kind": "merged",
            "successions-0-primary": "on",
            "successions-0-resolution": "813/NQ-UBTVQH14",
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][0].formset.forms],
    )
    unit = AdminUnit.objects.get(code="07999", name="Xã Ngọc Cổ")
    assert unit.valid_to == datetime.date(2019, 12, 31) and unit.parent == district
    assert unit.current_id == survivor.current_id is not None
    assert province.current_id is not None


def test_units_cannot_be_deleted(client, superuser):
    client.force_login(superuser)
    unit = AdminUnit.objects.filter(level=Level.COMMUNE).first()
    assert client.post(f"/admin/geo/adminunit/{unit.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AdminUnit.objects.filter(pk=unit.pk).exists()
