"""Award counts and their drill-down: every count is the length of its list."""

import datetime

import pytest

from hoptac.awards import selectors, services
from hoptac.awards.models import AwardForm, Issuer, RecipientKind

pytestmark = pytest.mark.django_db
D = datetime.date


def assert_drilldowns_match(rows, date_from, date_to, user=None):
    for row in rows:
        listed = selectors.award_recipients(date_from, date_to, row.issuer, row.form, row.kind, user=user)
        assert row.count == len(listed) > 0
    total = selectors.award_recipients(date_from, date_to, user=user)
    assert sum(r.count for r in rows) == len(total)


def test_counts_by_issuer_form_and_kind(decision, org_tan_yen, awards_staff):
    later = services.award_decision_create(
        number="15/QĐ-LMHTX", on=D(2021, 3, 20), issuer=Issuer.ALLIANCE, form=AwardForm.COMMENDATION, by=awards_staff
    )
    services.award_recipient_add(decision=later, kind=RecipientKind.COLLECTIVE, organization=org_tan_yen)
    rows = selectors.award_counts(date_from=D(2021, 1, 1), date_to=D(2021, 3, 15))
    assert [(r.issuer, r.form, r.kind, r.count) for r in rows] == [
        ("province", "merit", "collective", 2),
        ("province", "merit", "individual", 1),
    ]
    assert_drilldowns_match(rows, D(2021, 1, 1), D(2021, 3, 15))
    # Both ends of the period count.
    rows = selectors.award_counts(date_from=D(2021, 1, 28), date_to=D(2021, 3, 20))
    assert sum(r.count for r in rows) == 4
    assert_drilldowns_match(rows, D(2021, 1, 28), D(2021, 3, 20))
    assert selectors.award_counts(date_from=D(2021, 1, 29), date_to=D(2021, 3, 19)) == []


def test_area_officer_counts_only_organisations_they_see(decision, officer, admin):
    # The officer's area is Tân Yên: one collective, not Hiệp Hòa's two recipients.
    rows = selectors.award_counts(date_from=D(2021, 1, 1), date_to=D(2021, 12, 31), user=officer)
    assert [(r.kind, r.count) for r in rows] == [("collective", 1)]
    assert_drilldowns_match(rows, D(2021, 1, 1), D(2021, 12, 31), user=officer)
    assert (
        sum(r.count for r in selectors.award_counts(date_from=D(2021, 1, 1), date_to=D(2021, 12, 31), user=admin)) == 3
    )


def test_awards_of_an_organisation(decision, org_hiep_hoa, org_tan_yen):
    assert [str(r) for r in selectors.awards_of(org_hiep_hoa)] == [org_hiep_hoa.name, "Trần Thị Lan"]
    assert len(selectors.awards_of(org_tan_yen)) == 1


def test_who_may_manage(admin, staff, awards_staff, training_staff, officer, coop_user):
    assert selectors.can_manage_awards(admin) and selectors.can_manage_awards(awards_staff)
    for user in (staff, training_staff, officer, coop_user):
        assert not selectors.can_manage_awards(user)


def test_cooperative_sees_only_decisions_awarding_it(decision, coop_user, awards_staff, org_hiep_hoa):
    other = services.award_decision_create(
        number="58/QĐ-LMHTXVN", on=D(2021, 1, 22), issuer=Issuer.VCA, form=AwardForm.FLAG, by=awards_staff
    )
    services.award_recipient_add(decision=other, kind=RecipientKind.COLLECTIVE, organization=org_hiep_hoa)
    assert list(selectors.decisions_for(coop_user)) == [decision]
    assert selectors.recipients_for(coop_user).count() == 1
