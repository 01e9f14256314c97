"""Status on a date is derived from the dated events: the row, the queryset and the list agree."""

import datetime

import pytest

from conftest import make_org
from hoptac.registry.models import EventKind, Organization, Status
from hoptac.registry.services import event_record

pytestmark = pytest.mark.django_db
D = datetime.date


def status(org, day):
    """The status four ways: on the row, annotated, active_on (from the periods) and from the events."""
    on_row = org.status_on(day)
    annotated = Organization.objects.with_status_on(day).get(pk=org.pk).status
    active = Organization.objects.active_on(day).filter(pk=org.pk).exists()
    assert on_row == annotated
    assert active == Organization.objects.active_on_by_events(day).filter(pk=org.pk).exists()
    assert active == (on_row == Status.ACTIVE)
    return on_row


def test_active_from_the_founding_day(commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2018, 6, 1))
    assert status(org, D(2018, 5, 31)) == Status.NOT_FOUNDED
    assert status(org, D(2018, 6, 1)) == Status.ACTIVE


def test_suspended_is_not_active_and_resumed_is_active_again(commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2015, 1, 5))
    event_record(organization=org, kind=EventKind.SUSPENDED, on=D(2019, 4, 1))
    event_record(organization=org, kind=EventKind.RESUMED, on=D(2020, 3, 2))
    assert status(org, D(2019, 3, 31)) == Status.ACTIVE
    assert status(org, D(2019, 4, 1)) == Status.SUSPENDED
    assert status(org, D(2020, 3, 1)) == Status.SUSPENDED
    assert status(org, D(2020, 3, 2)) == Status.ACTIVE
    assert status(org, D(2021, 3, 15)) == Status.ACTIVE


def test_dissolution_started_is_not_active_until_nothing_more_happens(commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2010, 2, 1))
    event_record(organization=org, kind=EventKind.DISSOLUTION_STARTED, on=D(2020, 11, 20))
    assert status(org, D(2020, 11, 19)) == Status.ACTIVE
    assert status(org, D(2021, 3, 15)) == Status.DISSOLVING


def test_dissolved_in_2022_still_counts_as_active_on_31_12_2020(commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2012, 9, 10))
    event_record(organization=org, kind=EventKind.DISSOLUTION_STARTED, on=D(2021, 10, 4))
    event_record(organization=org, kind=EventKind.DISSOLVED, on=D(2022, 6, 30))
    assert status(org, D(2020, 12, 31)) == Status.ACTIVE
    assert status(org, D(2021, 12, 31)) == Status.DISSOLVING
    assert status(org, D(2022, 6, 30)) == Status.DISSOLVED
    assert status(org, D(2024, 1, 1)) == Status.DISSOLVED


def test_revoked_and_merged_are_not_active(commune_tan_yen, commune_hiep_hoa):
    revoked = make_org(commune_tan_yen, founded_on=D(2005, 3, 1))
    event_record(organization=revoked, kind=EventKind.REVOKED, on=D(2017, 8, 1))
    target = make_org(commune_hiep_hoa, founded_on=D(2004, 3, 1))
    merged = make_org(commune_hiep_hoa, founded_on=D(2006, 3, 1))
    event_record(organization=merged, kind=EventKind.MERGED, on=D(2019, 1, 2), merged_into=target)
    assert status(revoked, D(2021, 3, 15)) == Status.REVOKED
    assert status(merged, D(2021, 3, 15)) == Status.MERGED
    assert status(target, D(2021, 3, 15)) == Status.ACTIVE


def test_re_registration_does_not_change_the_status(commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2001, 5, 2), registration_law="2003")
    event_record(organization=org, kind=EventKind.RE_REGISTERED, on=D(2015, 2, 3), law="2012")
    assert status(org, D(2015, 2, 3)) == Status.ACTIVE


def test_not_founded_yet_is_not_counted_on_earlier_dates(commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2021, 3, 16))
    assert status(org, D(2021, 3, 15)) == Status.NOT_FOUNDED
    assert status(org, D(2021, 3, 16)) == Status.ACTIVE
