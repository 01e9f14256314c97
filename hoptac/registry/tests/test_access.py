import pytest
from django.contrib.auth.models import AnonymousUser

from hoptac.registry.selectors import can_edit, can_manage_registry, organizations_for

pytestmark = pytest.mark.django_db


def visible(user):
    return set(organizations_for(user).values_list("name", flat=True))


def test_alliance_sees_every_organisation(admin, staff, org_tan_yen, org_hiep_hoa):
    assert visible(admin) == visible(staff) == {org_tan_yen.name, org_hiep_hoa.name}


def test_area_officer_sees_only_their_area(officer, org_tan_yen, org_hiep_hoa):
    assert visible(officer) == {org_tan_yen.name}
    assert can_edit(officer, org_tan_yen) and not can_edit(officer, org_hiep_hoa)


def test_area_officer_keeps_their_area_across_the_2025_reform(officer, tan_yen):
    from conftest import make_org
    from hoptac.geo.models import AdminUnit

    # Xã Quang Trung (Tân Yên) as it was in March 2025, after Quang Tiến was renamed.
    quang_trung = AdminUnit.objects.get(level=3, name="Xã Quang Trung", parent=tan_yen)
    org = make_org(quang_trung, founded_on=__import__("datetime").date(2025, 3, 1), name="HTX Quang Trung")
    assert org.name in visible(officer)


def test_cooperative_account_sees_only_its_own(coop_user, org_tan_yen, org_hiep_hoa, make_org_other=None):
    assert visible(coop_user) == {org_tan_yen.name}
    assert can_edit(coop_user, org_tan_yen) and not can_edit(coop_user, org_hiep_hoa)
    assert not can_manage_registry(coop_user)


def test_anonymous_and_inactive_users_see_nothing(officer, org_tan_yen):
    assert visible(AnonymousUser()) == set()
    officer.is_active = False
    assert visible(officer) == set()


def test_area_officer_sees_organisations_founded_after_the_2025_reform_in_their_former_area(officer, tan_yen):
    import datetime

    from conftest import make_org
    from hoptac.geo.models import AdminUnit

    quang_tien = AdminUnit.objects.get(level=3, name="Xã Quang Tiến", parent=tan_yen)
    today_commune = quang_tien.current
    assert today_commune.parent.level == 1  # no district level any more
    org = make_org(today_commune, founded_on=datetime.date(2025, 9, 1), name="HTX Thành lập sau cải cách")
    assert org.name in visible(officer)
