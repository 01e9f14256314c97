"""The status periods (registry/periods.py) give the same "active on a date" as the events.

The periods are derived data: these tests hold them to the events on every path that writes
events or founding dates (services, the Excel import, the demo, the national generator, the
migration that fills them).
"""

import datetime

import pytest

from conftest import make_org
from hoptac.registry import periods, services
from hoptac.registry.models import EventKind, LifecycleEvent, Organization, StatusPeriod
from hoptac.registry.periods import periods_of

D = datetime.date
A, S, DG, DS = "active", "suspended", "dissolving", "dissolved"


# ---------------------------------------------------------------- the rule, without a database


def test_no_event_active_from_the_founding_date():
    assert periods_of(D(2015, 1, 5), []) == [(A, D(2015, 1, 5), None)]


def test_each_change_ends_a_period_and_starts_the_next():
    assert periods_of(D(2015, 1, 5), [(D(2019, 4, 1), S), (D(2020, 3, 2), A), (D(2022, 6, 1), DS)]) == [
        (A, D(2015, 1, 5), D(2019, 4, 1)),
        (S, D(2019, 4, 1), D(2020, 3, 2)),
        (A, D(2020, 3, 2), D(2022, 6, 1)),
        (DS, D(2022, 6, 1), None),
    ]


def test_of_two_events_on_one_day_the_later_counts():
    assert periods_of(D(2015, 1, 5), [(D(2019, 4, 1), DG), (D(2019, 4, 1), DS)]) == [
        (A, D(2015, 1, 5), D(2019, 4, 1)),
        (DS, D(2019, 4, 1), None),
    ]
    # Suspended and resumed the same day: it never stopped.
    assert periods_of(D(2015, 1, 5), [(D(2019, 4, 1), S), (D(2019, 4, 1), A)]) == [(A, D(2015, 1, 5), None)]


def test_a_change_to_the_same_status_starts_nothing():
    assert periods_of(D(2015, 1, 5), [(D(2019, 4, 1), A)]) == [(A, D(2015, 1, 5), None)]


def test_an_event_on_or_before_the_founding_date_sets_the_first_status():
    assert periods_of(D(2015, 1, 5), [(D(2015, 1, 5), S)]) == [(S, D(2015, 1, 5), None)]
    assert periods_of(D(2015, 1, 5), [(D(2014, 12, 1), S), (D(2016, 1, 1), A)]) == [
        (S, D(2015, 1, 5), D(2016, 1, 1)),
        (A, D(2016, 1, 1), None),
    ]


# ---------------------------------------------------------------- kept up to date with the records


def stored(org) -> list[tuple]:
    return list(
        StatusPeriod.objects.filter(organization=org)
        .order_by("valid_from")
        .values_list("status", "valid_from", "valid_to")
    )


@pytest.mark.django_db
def test_services_keep_the_periods(commune_tan_yen, staff):
    org = make_org(commune_tan_yen, founded_on=D(2015, 1, 5))
    assert stored(org) == [(A, D(2015, 1, 5), None)]
    services.event_record(organization=org, kind=EventKind.SUSPENDED, on=D(2019, 4, 1), by=staff)
    services.event_record(organization=org, kind=EventKind.RESUMED, on=D(2020, 3, 2), by=staff)
    assert stored(org) == [
        (A, D(2015, 1, 5), D(2019, 4, 1)),
        (S, D(2019, 4, 1), D(2020, 3, 2)),
        (A, D(2020, 3, 2), None),
    ]

    org.refresh_from_db()
    services.organization_update(
        organization=org, by=staff, data={"founded_on": D(2014, 7, 1)}, expected_version=org.version
    )
    assert stored(org)[0] == (A, D(2014, 7, 1), D(2019, 4, 1))
    assert periods.mismatches([D(2014, 6, 30), D(2014, 7, 1), D(2019, 4, 1), D(2020, 3, 1), D(2020, 3, 2)]) == []


@pytest.mark.django_db
def test_a_removed_event_is_removed_from_the_periods(commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2015, 1, 5))
    event = services.event_record(organization=org, kind=EventKind.DISSOLVED, on=D(2020, 5, 1))
    assert not Organization.objects.active_on(D(2021, 1, 1)).filter(pk=org.pk).exists()
    LifecycleEvent.objects.get(pk=event.pk).delete()
    assert stored(org) == [(A, D(2015, 1, 5), None)]


@pytest.mark.django_db
def test_rebuilding_everything_gives_the_same_periods(commune_tan_yen, commune_hiep_hoa):
    orgs = [make_org(commune_tan_yen, founded_on=D(2010 + i, 1, 5)) for i in range(4)]
    services.event_record(organization=orgs[0], kind=EventKind.SUSPENDED, on=D(2019, 4, 1))
    services.event_record(organization=orgs[1], kind=EventKind.DISSOLUTION_STARTED, on=D(2019, 4, 1))
    services.event_record(organization=orgs[1], kind=EventKind.DISSOLVED, on=D(2020, 1, 2))
    before = sorted(StatusPeriod.objects.values_list("organization_id", "status", "valid_from", "valid_to"))
    StatusPeriod.objects.all().delete()
    assert periods.rebuild_many() == len(before)
    assert sorted(StatusPeriod.objects.values_list("organization_id", "status", "valid_from", "valid_to")) == before


@pytest.mark.django_db
def test_a_wrong_period_is_found(commune_tan_yen):
    """The check the other tests rely on can fail."""
    org = make_org(commune_tan_yen, founded_on=D(2015, 1, 5))
    StatusPeriod.objects.filter(organization=org).update(valid_from=D(2016, 1, 1))
    assert periods.mismatches([D(2015, 6, 1)]) == [(D(2015, 6, 1), org.pk)]


def event_days() -> list[datetime.date]:
    """Every day an organisation was founded or changed status, the day before each, and today."""
    days = set(Organization.objects.values_list("founded_on", flat=True))
    days |= set(LifecycleEvent.objects.values_list("on", flat=True))
    days |= {d - datetime.timedelta(days=1) for d in days}
    return sorted(days | {datetime.date.today()})


@pytest.mark.django_db
def test_the_demo_register_agrees_with_its_events():
    from hoptac.registry import demo

    demo.load()
    assert Organization.objects.count() > 500
    days = event_days()
    # Every 7th day keeps the test under a few seconds; the edges of the report's quarter always.
    sample = days[::7] + [D(2020, 12, 31), D(2021, 1, 1), D(2021, 3, 15), D(2021, 3, 31)]
    assert periods.mismatches(sample) == []
