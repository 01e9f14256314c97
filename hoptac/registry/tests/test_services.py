import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import make_org
from hoptac.core.audit import entries_for
from hoptac.registry import services
from hoptac.registry.models import EventKind, Organization, Status

pytestmark = pytest.mark.django_db


def test_create_is_audited_and_searchable(commune_tan_yen, staff):
    org = make_org(commune_tan_yen, name="Hợp tác xã Vải thiều Phúc Hòa", by=staff)
    entry = entries_for(org).get()
    assert entry.action == "registry.organization.created" and entry.user == staff
    assert entry.changes["name"] == [None, "Hợp tác xã Vải thiều Phúc Hòa"]
    assert Organization.objects.search("htx vai thieu quang tien tan yen").get() == org


def test_update_audits_old_and_new_values_and_bumps_version(org_tan_yen, staff):
    services.organization_update(
        organization=org_tan_yen, by=staff, data={"employees": 25, "charter_capital": 750_000_000}
    )
    org_tan_yen.refresh_from_db()
    assert org_tan_yen.version == 2
    entry = entries_for(org_tan_yen).first()
    assert entry.action == "registry.organization.changed"
    assert entry.changes == {"employees": [None, 25], "charter_capital": [500_000_000, 750_000_000]}


def test_update_without_changes_writes_nothing(org_tan_yen, staff):
    services.organization_update(organization=org_tan_yen, by=staff, data={"name": org_tan_yen.name})
    assert entries_for(org_tan_yen).count() == 1


def test_stale_edit_is_refused_with_what_changed(org_tan_yen, staff, admin):
    seen = Organization.objects.get(pk=org_tan_yen.pk)  # the second person opens the form
    services.organization_update(organization=org_tan_yen, by=admin, data={"representative": "Trần Thị Bình"})
    with pytest.raises(services.StaleEdit) as err:
        services.organization_update(organization=seen, by=staff, data={"employees": 3}, expected_version=seen.version)
    assert err.value.changes == {"representative": ["Nguyễn Văn An", "Trần Thị Bình"]}
    org_tan_yen.refresh_from_db()
    assert org_tan_yen.employees is None


def test_commune_must_exist_on_the_founding_date(commune_tan_yen):
    # Xã Quang Tiến was renamed Quang Trung on 01/01/2025.
    with pytest.raises(ValidationError) as err:
        make_org(commune_tan_yen, founded_on=datetime.date(2025, 3, 1))
    assert "commune" in err.value.message_dict


def test_negative_capital_and_future_founding_are_refused(commune_tan_yen):
    with pytest.raises(ValidationError):
        make_org(commune_tan_yen, charter_capital=-1)
    with pytest.raises(ValidationError):
        make_org(commune_tan_yen, founded_on=datetime.date.today() + datetime.timedelta(days=1))
    assert not Organization.objects.exists()


def test_code_is_unique(commune_tan_yen):
    make_org(commune_tan_yen, code="2400123456")
    with pytest.raises(ValidationError):
        make_org(commune_tan_yen, code="2400123456")


def test_archive_needs_a_reason_and_keeps_the_record(org_tan_yen, staff):
    with pytest.raises(ValidationError):
        services.organization_archive(organization=org_tan_yen, by=staff, reason=" ")
    services.organization_archive(organization=org_tan_yen, by=staff, reason="Nhập trùng")
    assert Organization.objects.filter(pk=org_tan_yen.pk, archived_on__isnull=False).exists()
    assert not Organization.objects.current().filter(pk=org_tan_yen.pk).exists()
    services.organization_restore(organization=org_tan_yen, by=staff, reason="Nhầm")
    assert Organization.objects.current().filter(pk=org_tan_yen.pk).exists()
    assert [e.action for e in entries_for(org_tan_yen)][:2] == [
        "registry.organization.restored",
        "registry.organization.archived",
    ]


def test_events_must_follow_the_history(org_tan_yen, staff):
    d = datetime.date
    with pytest.raises(ValidationError):
        services.event_record(organization=org_tan_yen, kind=EventKind.RESUMED, on=d(2019, 1, 1), by=staff)
    with pytest.raises(ValidationError):
        services.event_record(organization=org_tan_yen, kind=EventKind.SUSPENDED, on=d(2010, 1, 1), by=staff)
    services.event_record(organization=org_tan_yen, kind=EventKind.SUSPENDED, on=d(2019, 1, 1), by=staff)
    services.event_record(organization=org_tan_yen, kind=EventKind.RESUMED, on=d(2019, 6, 1), by=staff)
    services.event_record(organization=org_tan_yen, kind=EventKind.DISSOLVED, on=d(2022, 4, 1), by=staff)
    with pytest.raises(ValidationError):
        services.event_record(organization=org_tan_yen, kind=EventKind.SUSPENDED, on=d(2020, 1, 1), by=staff)
    with pytest.raises(ValidationError):
        services.event_record(organization=org_tan_yen, kind=EventKind.DISSOLVED, on=d(2023, 1, 1), by=staff)
    assert org_tan_yen.status_on(d(2019, 3, 1)) == Status.SUSPENDED
    assert org_tan_yen.status_on(d(2020, 12, 31)) == Status.ACTIVE
    assert org_tan_yen.status_on(d(2022, 4, 1)) == Status.DISSOLVED


def test_dissolved_in_2022_is_still_active_on_31_12_2020(org_tan_yen, staff):
    services.event_record(organization=org_tan_yen, kind=EventKind.DISSOLVED, on=datetime.date(2022, 5, 10), by=staff)
    assert Organization.objects.active_on(datetime.date(2020, 12, 31)).filter(pk=org_tan_yen.pk).exists()
    assert not Organization.objects.active_on(datetime.date(2022, 5, 10)).filter(pk=org_tan_yen.pk).exists()


def test_membership_periods(org_tan_yen, staff):
    services.membership_start(organization=org_tan_yen, joined_on=datetime.date(2016, 1, 1), by=staff)
    with pytest.raises(ValidationError):
        services.membership_start(organization=org_tan_yen, joined_on=datetime.date(2017, 1, 1), by=staff)
    with pytest.raises(ValidationError):
        services.membership_end(organization=org_tan_yen, left_on=datetime.date(2015, 1, 1), by=staff)
    services.membership_end(organization=org_tan_yen, left_on=datetime.date(2020, 1, 1), by=staff)
    assert org_tan_yen.memberships.get().left_on == datetime.date(2020, 1, 1)
