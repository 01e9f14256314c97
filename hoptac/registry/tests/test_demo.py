"""The demo register: the Q1-2021 report's figures exactly, a believable history, working accounts."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from hoptac.core.models import AuditEntry, Role, User
from hoptac.geo.models import REFORM_2025, Level
from hoptac.registry import demo
from hoptac.registry.models import STATUS_AFTER, EventKind, Membership, Organization, OrgKind, Status
from hoptac.registry.selectors import organizations_for, registry_statistics
from hoptac.registry.services import ALLOWED_FROM
from hoptac.registry.tests.test_stats import assert_drilldowns_match

pytestmark = pytest.mark.django_db
D = datetime.date
REPORT_DAY = D(2021, 3, 15)


def load_demo(*args) -> str:
    out = io.StringIO()
    # Tests run with DEBUG off, where the command asks for confirmation of the public passwords.
    call_command("load_demo", "--public-passwords-ok", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db):
    load_demo()


def test_demo_reproduces_the_q1_2021_report(loaded):
    stats = registry_statistics(as_of=REPORT_DAY, date_from=D(2021, 1, 1))
    assert stats.active["HTX"] == 830
    assert stats.active["QTDND"] == 20
    assert stats.founded["HTX"] == 12
    assert stats.active["LHHTX"] == 6
    assert 120 <= stats.active["THT"] <= 180
    founded_q1 = Organization.objects.filter(kind=OrgKind.HTX, founded_on__range=(D(2021, 1, 1), REPORT_DAY))
    assert founded_q1.active_on(REPORT_DAY).count() == 12
    # Every district-level unit of 2021 has cooperatives, the fruit and hill districts most.
    areas = {a["area"]: a["by_kind"]["HTX"] for a in stats.areas}
    assert len(areas) == 10 and all(areas.values())
    assert areas["Huyện Lục Ngạn"] > areas["Thành phố Bắc Giang"]
    assert stats.active_by_group["nong_nghiep"] > stats.active_by_group["phi_nong_nghiep"]
    for grouping in ("then", "now"):
        assert_drilldowns_match(registry_statistics(as_of=REPORT_DAY, date_from=D(2021, 1, 1), grouping=grouping))

    out = io.StringIO()
    call_command("stats", "--as-of", "2021-03-15", "--from", "2021-01-01", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["active"]["HTX"] == 830 and data["active"]["QTDND"] == 20 and data["founded"]["HTX"] == 12


def test_demo_history_is_believable_and_keeps_the_services_invariants(loaded):
    orgs = list(Organization.objects.select_related("commune", "commune__parent").prefetch_related("events"))
    assert len(orgs) > 1200
    assert len({o.code for o in orgs}) == len(orgs)
    assert len({o.name for o in orgs}) == len(orgs)
    for org in orgs:
        assert org.commune.is_valid_on(org.founded_on), org
        assert org.founded_on <= demo.LAST_DAY
        search = org.search_text
        org.refresh_search_text()
        assert org.search_text == search
        status = Status.ACTIVE
        for event in sorted(org.events.all(), key=lambda e: (e.on, e.id)):
            assert event.status_after == STATUS_AFTER.get(event.kind, "")
            assert org.founded_on <= event.on <= demo.LAST_DAY
            assert status in ALLOWED_FROM[event.kind], (org, event)
            status = STATUS_AFTER.get(event.kind, status)
        if org.kind == OrgKind.HTX:
            assert 7 <= org.official_members <= 300
            assert 50_000_000 <= org.charter_capital <= 20_000_000_000
            assert org.registration_office.startswith("Phòng")
        if org.kind != OrgKind.THT:
            assert org.registration_law in ("2003", "2012", "2023")
            assert org.code.startswith("24") and len(org.code) == 10
        assert org.representative and org.phone.startswith("0")

    by_kind = Counter(e.kind for o in orgs for e in o.events.all())
    assert by_kind[EventKind.REGISTERED] == len(orgs)
    for kind in (
        EventKind.RE_REGISTERED,
        EventKind.SUSPENDED,
        EventKind.RESUMED,
        EventKind.DISSOLUTION_STARTED,
        EventKind.DISSOLVED,
        EventKind.REVOKED,
        EventKind.MERGED,
    ):
        assert by_kind[kind] > 0, kind
    assert all(e.merged_into_id for o in orgs for e in o.events.all() if e.kind == EventKind.MERGED)

    # The statuses the report's readers ask about, on the report day.
    on_report_day = Counter(s for s in Organization.objects.with_status_on(REPORT_DAY).values_list("status", flat=True))
    for state in (Status.SUSPENDED, Status.DISSOLVING, Status.DISSOLVED, Status.REVOKED, Status.NOT_FOUNDED):
        assert on_report_day[state] > 0, state
    dissolved_2022 = Organization.objects.filter(events__kind=EventKind.DISSOLVED, events__on__year=2022)
    assert dissolved_2022.exists()
    assert dissolved_2022.active_on(D(2020, 12, 31)).exists()
    not_reregistered = Organization.objects.active_on(REPORT_DAY).filter(kind=OrgKind.HTX, registration_law="2003")
    assert not_reregistered.exists()  # "HTX chưa tổ chức đăng ký lại theo Luật HTX năm 2012"

    # A few founded after the 2025 reform, in communes of the new province (code 24 again).
    after = Organization.objects.filter(founded_on__gte=REFORM_2025).select_related("commune__parent")
    assert after.exists()
    for org in after:
        assert org.commune.valid_from == REFORM_2025 and org.commune.parent.level == Level.PROVINCE
        assert org.commune.parent.code == "24"
    assert registry_statistics(as_of=D(2025, 12, 31), grouping="now").active["HTX"] > 830

    # Most cooperatives are members of the alliance; nobody leaves before joining.
    members = Membership.objects.filter(organization__kind=OrgKind.HTX).values("organization").distinct().count()
    assert members > 0.7 * Organization.objects.filter(kind=OrgKind.HTX).count()
    assert not Membership.objects.filter(left_on__lt=F("joined_on")).exists()
    assert AuditEntry.objects.filter(action="registry.organization.created").count() == len(orgs)


def test_demo_accounts_one_per_role(loaded):
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "canbo", "tanyen", "htx"])}
    assert {u: users[u].role for u in users} == {
        "admin": Role.ADMIN,
        "canbo": Role.STAFF,
        "tanyen": Role.AREA_OFFICER,
        "htx": Role.COOPERATIVE,
    }
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in users.values())
    assert [a.name for a in users["tanyen"].areas.all()] == ["Huyện Tân Yên"]
    cooperative = users["htx"].organization
    assert cooperative.kind == OrgKind.HTX and cooperative.commune.parent.name == "Huyện Tân Yên"
    assert cooperative.status_on(REPORT_DAY) == Status.ACTIVE
    seen = organizations_for(users["tanyen"])
    assert (
        seen.exists()
        and not seen.exclude(commune__parent__name="Huyện Tân Yên")
        .filter(founded_on__lt=datetime.date(2025, 7, 1))
        .exists()
    )
    # After the 2025 reform, communes hang under the province; the officer keeps those
    # that Tân Yên's communes became, and no others.
    tan_yen_now = set(
        Organization.objects.filter(commune__parent__name="Huyện Tân Yên").values_list("commune__current", flat=True)
    )
    assert all(o.commune_id in tan_yen_now for o in seen.filter(founded_on__gte=datetime.date(2025, 7, 1)))

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert all(name in text for name in users) and demo.DEMO_PASSWORD in text


def test_load_demo_if_empty_does_nothing_the_second_time_and_refuses_without_it(loaded):
    count = Organization.objects.count()
    assert "không nạp" in load_demo("--if-empty")
    assert Organization.objects.count() == count
    with pytest.raises(CommandError):
        load_demo()


def test_load_demo_refuses_with_debug_off_unless_confirmed(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not Organization.objects.exists()


def test_demo_logins_without_demo_accounts(db):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "load_demo" in out.getvalue()


def test_the_same_seed_gives_the_same_register(db):
    geography = demo.Geography()

    def summary(seed):
        return [
            (p.kind, p.name, p.code, p.founded_on, p.commune.pk, tuple((k, on) for k, on, _ in p.events))
            for p in demo.generate(seed, geography)
        ]

    first = summary(2021)
    assert first == summary(2021)
    assert first != summary(7)
