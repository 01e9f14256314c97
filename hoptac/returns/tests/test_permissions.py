"""Who may fill, edit, review and reopen which return; the services refuse the others."""

import pytest
from django.core.exceptions import PermissionDenied

from hoptac.core.models import Role, User
from hoptac.returns import selectors, services
from hoptac.returns.models import Return, Status

from .conftest import PASSWORD, VALID, approve, submit


@pytest.fixture
def ret_tan_yen(annual, org_tan_yen):
    return services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)


@pytest.fixture
def ret_hiep_hoa(annual, org_hiep_hoa):
    return services.return_open(form=annual, organization=org_hiep_hoa, year=2020, by=None)


# ---------------------------------------------------------------- filling


def test_a_cooperative_fills_its_own_return(coop_user, annual, org_tan_yen):
    assert selectors.can_fill(coop_user, form=annual, organization=org_tan_yen)


def test_a_cooperative_cannot_fill_another_organisations_return(coop_user, annual, org_hiep_hoa):
    assert not selectors.can_fill(coop_user, form=annual, organization=org_hiep_hoa)


def test_an_area_officer_fills_on_behalf_of_organisations_in_the_area(officer, annual, org_tan_yen, org_hiep_hoa):
    assert selectors.can_fill(officer, form=annual, organization=org_tan_yen)
    assert not selectors.can_fill(officer, form=annual, organization=org_hiep_hoa)


def test_registry_staff_and_administrators_fill_for_every_organisation(staff, admin, annual, org_hiep_hoa):
    assert selectors.can_fill(staff, form=annual, organization=org_hiep_hoa)
    assert selectors.can_fill(admin, form=annual, organization=org_hiep_hoa)


def test_staff_of_other_departments_do_not_fill(fund_staff, annual, org_hiep_hoa):
    assert not selectors.can_fill(fund_staff, form=annual, organization=org_hiep_hoa)


def test_only_the_alliance_fills_its_own_quarterly_return(staff, officer, coop_user, quarterly):
    assert selectors.can_fill(staff, form=quarterly, organization=None)
    assert not selectors.can_fill(officer, form=quarterly, organization=None)
    assert not selectors.can_fill(coop_user, form=quarterly, organization=None)


def test_an_inactive_account_fills_nothing(coop_user, annual, org_tan_yen):
    coop_user.is_active = False
    assert not selectors.can_fill(coop_user, form=annual, organization=org_tan_yen)


def test_the_service_refuses_a_cooperative_opening_anothers_return(coop_user, annual, org_hiep_hoa):
    with pytest.raises(PermissionDenied):
        services.return_open(form=annual, organization=org_hiep_hoa, year=2020, by=coop_user)
    assert not Return.objects.exists()


def test_the_service_refuses_a_cooperative_saving_anothers_return(coop_user, ret_hiep_hoa):
    with pytest.raises(PermissionDenied):
        services.return_save(ret=ret_hiep_hoa, values={"employees": "3"}, revision=1, by=coop_user)


def test_an_officers_entry_is_marked_as_entered_on_behalf(officer, coop_user, annual, org_tan_yen):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    assert not ret.entered_on_behalf
    ret = services.return_save(ret=ret, values={"employees": "3"}, revision=ret.revision, by=officer)
    assert ret.entered_on_behalf


# ---------------------------------------------------------------- editing


def test_a_cooperative_edits_its_draft_but_not_once_submitted(coop_user, ret_tan_yen):
    assert selectors.can_edit(coop_user, ret_tan_yen)
    ret = services.return_submit(ret=ret_tan_yen, values=VALID, by=coop_user)
    assert not selectors.can_edit(coop_user, ret)


def test_a_cooperative_edits_a_returned_return(coop_user, staff, ret_tan_yen):
    ret = services.return_submit(ret=ret_tan_yen, values=VALID, by=coop_user)
    ret = services.return_send_back(ret=ret, comment="Sửa lợi nhuận", by=staff)
    assert selectors.can_edit(coop_user, ret)


def test_nobody_edits_an_approved_return(coop_user, staff, admin, annual, org_tan_yen):
    ret = approve(submit(annual, org_tan_yen, 2020))
    assert not any(selectors.can_edit(u, ret) for u in (coop_user, staff, admin))


# ---------------------------------------------------------------- reviewing


def test_reviewers(staff, admin, officer, coop_user, fund_staff, annual, org_tan_yen, org_hiep_hoa):
    tan_yen = submit(annual, org_tan_yen, 2020)
    hiep_hoa = submit(annual, org_hiep_hoa, 2020)
    assert selectors.can_review(staff, tan_yen) and selectors.can_review(admin, hiep_hoa)
    assert selectors.can_review(officer, tan_yen) and not selectors.can_review(officer, hiep_hoa)
    assert not selectors.can_review(coop_user, tan_yen)
    assert not selectors.can_review(fund_staff, tan_yen)


def test_the_service_refuses_a_cooperative_approving_its_own_return(coop_user, annual, org_tan_yen):
    ret = submit(annual, org_tan_yen, 2020)
    with pytest.raises(PermissionDenied):
        services.return_approve(ret=ret, by=coop_user)
    ret.refresh_from_db()
    assert ret.status == Status.SUBMITTED


def test_the_service_refuses_an_officer_sending_back_another_areas_return(officer, annual, org_hiep_hoa):
    ret = submit(annual, org_hiep_hoa, 2020)
    with pytest.raises(PermissionDenied):
        services.return_send_back(ret=ret, comment="Sai", by=officer)


# ---------------------------------------------------------------- reopening


def test_only_administrators_reopen(admin, staff, officer, coop_user, annual, org_tan_yen):
    ret = approve(submit(annual, org_tan_yen, 2020))
    assert selectors.can_reopen(admin, ret)
    assert not any(selectors.can_reopen(u, ret) for u in (staff, officer, coop_user))
    with pytest.raises(PermissionDenied):
        services.return_reopen(ret=ret, reason="Sai số liệu", by=staff)


# ---------------------------------------------------------------- seeing


def test_who_sees_which_returns(
    admin, staff, fund_staff, officer, coop_user, other_coop_user, ret_tan_yen, ret_hiep_hoa
):
    both = {ret_tan_yen.pk, ret_hiep_hoa.pk}
    assert set(selectors.returns_for(admin).values_list("pk", flat=True)) == both
    assert set(selectors.returns_for(staff).values_list("pk", flat=True)) == both
    assert set(selectors.returns_for(fund_staff).values_list("pk", flat=True)) == both
    assert list(selectors.returns_for(officer).values_list("pk", flat=True)) == [ret_tan_yen.pk]
    assert list(selectors.returns_for(coop_user).values_list("pk", flat=True)) == [ret_tan_yen.pk]
    assert list(selectors.returns_for(other_coop_user).values_list("pk", flat=True)) == [ret_hiep_hoa.pk]


def test_a_cooperative_account_without_an_organisation_sees_nothing(db, ret_tan_yen):
    orphan = User.objects.create_user("orphan", password=PASSWORD, role=Role.COOPERATIVE)
    assert not selectors.returns_for(orphan).exists()
    assert selectors.dashboard_for(orphan, ret_tan_yen.created_on.date()) is None


def test_lists_are_for_the_alliance_and_officers(admin, fund_staff, officer, coop_user):
    assert selectors.sees_return_lists(admin) and selectors.sees_return_lists(fund_staff)
    assert selectors.sees_return_lists(officer)
    assert not selectors.sees_return_lists(coop_user)
