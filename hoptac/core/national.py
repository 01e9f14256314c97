"""A synthetic national dataset for benchmarks: every province, ten years of returns, a national fund.

``python manage.py generate_national --scale 1.0`` writes about 116.000 organisations (35.000
HTX, 150 LHHTX, 1.200 QTDND, 80.000 THT) over the 63 provinces of before the 2025 reform,
their lifecycle events and alliance memberships, the annual returns of 2016–2025 with their
values, 20.000 loans of the support fund with their schedules and repayments, award
decisions and training courses. Nothing is real; the figures are plausible and every row
keeps the invariants the services keep, so pages, statistics, search and the fund
statement read generated rows exactly as real ones:

- organisations: ``search_text`` as ``Organization.refresh_search_text`` builds it, a commune
  valid on the founding day (a legacy commune that still has a successor; from 01/07/2025
  the unit it became), events in an order the registry's transition table allows, with
  ``status_after`` filled as ``LifecycleEvent.save`` does;
- returns: filed by the organisations in the annual form's scope that year (active at the
  year's start or end), values drawn as the returns demo draws them (profit at most the
  revenue, members within the law's minimum), plausibility flags from the same check the
  entry page runs, one revision row with the values as filed;
- fund: one tranche per loan, the schedule ``fund.schedule.build`` gives, and on-time
  payments of exactly one instalment on its due date (which the allocation rule splits into
  that instalment's interest and principal, as ``fund.demo`` relies on too); a borrower in
  arrears stops paying, so a repayment never exceeds what is owed; loans repaid in full are
  closed on their last payment.

The generator is deterministic: ``random.Random(seed)`` streams consumed in a fixed order,
row ids assigned here, and a fixed horizon (31/12/2025) instead of "today". Audit entries
are not written for generated rows (one per row would double the volume for nothing a
benchmark reads). Rows are written with PostgreSQL's COPY when the database is PostgreSQL,
with ``bulk_create`` otherwise (SQLite, small scales only).
"""

import bisect
import datetime
import hashlib
import itertools
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from hoptac.awards.models import AwardForm, Decision, Issuer, Recipient, RecipientKind
from hoptac.core.models import Department, Role, User
from hoptac.core.text import normalize, search_text
from hoptac.fund import schedule as sched
from hoptac.fund.demo import PRODUCTS as FUND_PRODUCTS
from hoptac.fund.demo import SOURCES as FUND_SOURCES
from hoptac.fund.demo import product_on
from hoptac.fund.models import (
    Appraisal,
    CapitalMovement,
    CapitalSource,
    Disbursement,
    Instalment,
    Loan,
    LoanProduct,
    LoanStatus,
    Repayment,
    Schedule,
)
from hoptac.geo.models import REFORM_2025, AdminUnit, Level
from hoptac.registry.demo import DEMO_PASSWORD, Filler, event_document, first_certificate
from hoptac.registry.demo_plan import REREGISTERED_NOTE, RESOLVED_TO_DISSOLVE, in_sentence, law_on, short_name
from hoptac.registry.demo_vocabulary import BRANDS, PRODUCTS, THT_PRODUCTS, VILLAGES
from hoptac.registry.models import (
    STATUS_AFTER,
    EventKind,
    Law,
    LifecycleEvent,
    Membership,
    Organization,
    OrgKind,
    Sector,
    Status,
    StatusPeriod,
)
from hoptac.registry.periods import periods_of
from hoptac.returns import validation
from hoptac.returns.demo import COMMENTS, _base, _next_year
from hoptac.returns.models import Return, ReturnForm, ReturnRevision, Unit, Value
from hoptac.returns.models import Status as ReturnStatus
from hoptac.training.models import (
    BudgetSource,
    Course,
    CourseStatus,
    Gender,
    Participant,
    ParticipantRole,
    Plan,
    PlannedCourse,
    PlanStatus,
    TargetGroup,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
DEFAULT_SEED = 2016
HORIZON = D(2025, 12, 31)  # nothing happens after this day, whatever day the data are generated
LEGACY_DAY = D(2025, 6, 30)  # the last day of the 63 provinces
LAW_2012 = D(2013, 7, 1)
YEARS = range(2016, 2026)  # returns, loans, awards and training
MILLION = 1_000_000
ANALYST = "phantich"  # the national staff account benchmarks sign in with

# Organisations at scale 1.0.
KIND_TOTALS = {OrgKind.HTX: 35_000, OrgKind.LHHTX: 150, OrgKind.QTDND: 1_200, OrgKind.THT: 80_000}
LOANS = 20_000
AWARD_DECISIONS = 3_000
TRAINING_PLANS = 630  # one a year for each of the 63 provincial alliances
COURSES_PER_PLAN = 5

# Founding years: the 1997 conversion wave, slow years under the 2003 law, growth since 2013.
FOUNDING_YEARS = {
    OrgKind.HTX: {1997: 30, **dict.fromkeys(range(1998, 2003), 6), **dict.fromkeys(range(2003, 2013), 3)}
    | dict.fromkeys(range(2013, 2018), 4)
    | dict.fromkeys(range(2018, 2025), 7)
    | {2025: 5},
    OrgKind.LHHTX: dict.fromkeys(range(2000, 2013), 1) | dict.fromkeys(range(2013, 2026), 3),
    OrgKind.QTDND: dict.fromkeys(range(1995, 2001), 10) | dict.fromkeys(range(2001, 2016), 1),
    OrgKind.THT: dict.fromkeys(range(2000, 2010), 2) | dict.fromkeys(range(2010, 2026), 5),
}
# What happens to an organisation over its life, by kind: fate -> weight.
FATES = {
    OrgKind.HTX: {
        "plain": 62,
        "suspended_resumed": 5,
        "suspended": 4,
        "dissolving": 3,
        "dissolved": 18,
        "revoked": 6,
        "merged": 2,
    },
    OrgKind.LHHTX: {"plain": 80, "suspended": 5, "dissolving": 5, "dissolved": 10},
    OrgKind.QTDND: {"plain": 90, "suspended_resumed": 2, "dissolved": 4, "revoked": 2, "merged": 2},
    OrgKind.THT: {"plain": 72, "dissolved": 28},
}
MEMBERSHIP_RATE = {OrgKind.HTX: 0.6, OrgKind.LHHTX: 1.0, OrgKind.QTDND: 0.8, OrgKind.THT: 0.03}
REREGISTRATION_RATE = 0.65
SECTOR_WEIGHTS = {
    Sector.AGRICULTURE: 62,
    Sector.INDUSTRY: 10,
    Sector.CONSTRUCTION: 4,
    Sector.TRADE: 10,
    Sector.TRANSPORT: 6,
    Sector.ENVIRONMENT: 4,
    Sector.OTHER: 4,
}

# Returns: who does not file, who files late, whose figures jump.
MISSING = 0.10
LATE = 0.12
JUMPS = 0.03
ON_BEHALF = 0.3


def scaled(total: int, scale: float) -> int:
    """total × scale, at least one."""
    return max(1, round(total * scale))


# ---------------------------------------------------------------- writing rows


class Writer:
    """Writes rows of one model: COPY on PostgreSQL, bulk_create elsewhere.

    Rows are tuples in the order of ``fields`` (attnames, the id first); every other
    concrete column gets its Python default, and auto_now columns the generation time, so
    a COPY leaves no NOT NULL column empty.
    """

    def __init__(self, out=None):
        self.pg = connection.vendor == "postgresql"
        self.now = timezone.now()
        self.out = out
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.models: list[type[models.Model]] = []

    def _tail(self, model, fields) -> tuple[list[str], tuple]:
        names, values = [], []
        for f in model._meta.concrete_fields:
            if f.attname in fields:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now
            else:
                value = f.get_default()
            names.append(f.attname)
            values.append(value)
        return names, tuple(values)

    def write(self, model, fields: list[str], rows, *, label: str | None = None) -> int:
        started = time.monotonic()
        tail_names, tail = self._tail(model, fields)
        columns = list(fields) + tail_names
        json_at = [i for i, name in enumerate(columns) if isinstance(model._meta.get_field(name), models.JSONField)]
        n = 0
        if self.pg:
            quote = connection.ops.quote_name
            cols = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        row = row + tail
                        if json_at:
                            row = list(row)
                            for i in json_at:
                                row[i] = json.dumps(row[i], ensure_ascii=False)
                        copy.write_row(row)
                        n += 1
        else:
            objects = (model(**dict(zip(columns, row + tail, strict=True))) for row in rows)
            for batch in itertools.batched(objects, 2000):
                model.objects.bulk_create(batch)
                n += len(batch)
        label = label or model._meta.db_table
        self.counts[label] = self.counts.get(label, 0) + n
        self.seconds[label] = self.seconds.get(label, 0.0) + time.monotonic() - started
        if model not in self.models:
            self.models.append(model)
        return n

    def report(self, label: str, extra: str = "") -> None:
        if self.out is not None:
            self.out(f"  {label}: {self.counts.get(label, 0):,} rows in {self.seconds.get(label, 0):.1f} s{extra}")

    def finish(self) -> None:
        """Move every sequence past the ids written here, and refresh the planner's statistics."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)
            if self.pg:
                # VACUUM too where it may run (not inside a transaction, as tests wrap it): the
                # visibility map lets the counting indexes answer without reading the rows.
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                for model in self.models:
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


# ---------------------------------------------------------------- planning organisations


@dataclass
class Org:
    """One organisation as planned, before it is written."""

    id: int
    kind: str
    sector: str
    founded_on: datetime.date
    commune: AdminUnit
    province: AdminUnit
    fate: str = "plain"
    law: str = ""
    reregistered_on: datetime.date | None = None
    events: list = field(default_factory=list)  # (kind, on, note, merged_into Org | None)
    product: object = None
    name: str = ""
    code: str = ""
    sizes: dict = field(default_factory=dict)
    member_from: datetime.date | None = None

    @property
    def end(self) -> datetime.date | None:
        ending = (EventKind.DISSOLVED, EventKind.REVOKED, EventKind.MERGED)
        ends = [on for kind, on, _n, _m in self.events if kind in ending]
        return min(ends) if ends else None

    def status_on(self, day: datetime.date) -> str:
        """As Organization.status_on: the status after the last status-changing event up to day."""
        if self.founded_on > day:
            return Status.NOT_FOUNDED
        status = Status.ACTIVE
        for kind, on, _n, _m in self.events:
            if on <= day and kind in STATUS_AFTER:
                status = STATUS_AFTER[kind]
        return status

    def active_on(self, day: datetime.date) -> bool:
        return self.status_on(day) == Status.ACTIVE


class Geography:
    """The legacy provinces and their communes that lasted until the reform and have a successor."""

    def __init__(self):
        provinces = AdminUnit.objects.valid_on(LEGACY_DAY).filter(level=Level.PROVINCE).order_by("code")
        self.provinces = list(provinces)
        communes = (
            AdminUnit.objects.filter(
                level=Level.COMMUNE, valid_from__isnull=True, valid_to=LEGACY_DAY, current__isnull=False
            )
            .select_related("parent", "current", "current__parent")
            .order_by("code")
        )
        self.communes: dict[int, list[AdminUnit]] = defaultdict(list)
        by_id = {p.pk: p for p in self.provinces}
        for commune in communes:
            district = commune.parent
            if district is not None and district.parent_id in by_id:
                self.communes[district.parent_id].append(commune)
        self.provinces = [p for p in self.provinces if self.communes[p.pk]]
        if len(self.provinces) < 60:
            raise RuntimeError("the administrative units of the 63 provinces are not loaded (manage.py load_geo)")


class Planner:
    """Plans every organisation and its events in memory."""

    def __init__(self, scale: float, seed: int, geography: Geography, first_id: int):
        self.rnd = random.Random(seed)
        self.scale = scale
        self.geo = geography
        self.first_id = first_id
        # Provinces differ: a weight from the number of communes times a regional factor.
        self.province_weights = [len(self.geo.communes[p.pk]) * self.rnd.uniform(0.4, 1.8) for p in self.geo.provinces]

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        """A working day in [first, last] (any day if the range has none)."""
        span = (last - first).days
        day = first
        for _ in range(10):
            day = first + datetime.timedelta(days=self.rnd.randint(0, span))
            if day.weekday() < 5:
                return day
        return day

    def founding_day(self, kind: str) -> datetime.date:
        weights = FOUNDING_YEARS[kind]
        year = self.rnd.choices(list(weights), weights=list(weights.values()))[0]
        return self.day_between(D(year, 1, 1), min(D(year, 12, 31), HORIZON - datetime.timedelta(days=10)))

    def plan(self) -> list[Org]:
        rnd = self.rnd
        orgs: list[Org] = []
        next_id = self.first_id
        sectors = list(SECTOR_WEIGHTS)
        sector_weights = list(SECTOR_WEIGHTS.values())
        for kind, total in KIND_TOTALS.items():
            n = scaled(total, self.scale)
            provinces = rnd.choices(self.geo.provinces, weights=self.province_weights, k=n)
            for province in provinces:
                founded = self.founding_day(kind)
                legacy = rnd.choice(self.geo.communes[province.pk])
                commune = legacy.current if founded >= REFORM_2025 else legacy
                if kind == OrgKind.QTDND:
                    sector = Sector.CREDIT
                else:
                    sector = rnd.choices(sectors, weights=sector_weights)[0]
                org = Org(id=next_id, kind=kind, sector=sector, founded_on=founded, commune=commune, province=province)
                org.law = law_on(founded)
                next_id += 1
                fates = FATES[kind]
                org.fate = rnd.choices(list(fates), weights=list(fates.values()))[0]
                self.lifecycle(org)
                orgs.append(org)
        self.merges(orgs)
        self.names_and_codes(orgs)
        for org in orgs:
            self.membership(org)
        return orgs

    def lifecycle(self, org: Org) -> None:
        """Re-registration under the 2012 law, then the events of the organisation's fate."""
        rnd = self.rnd
        start = org.founded_on + datetime.timedelta(days=200)
        if org.kind != OrgKind.THT and org.founded_on < LAW_2012:
            if rnd.random() < REREGISTRATION_RATE:
                org.reregistered_on = self.day_between(LAW_2012, D(2016, 6, 30))
                org.events.append((EventKind.RE_REGISTERED, org.reregistered_on, REREGISTERED_NOTE, None))
                start = org.reregistered_on + ONE_DAY
            elif org.fate == "plain" and rnd.random() < 0.5:
                # Most of those that did not re-register stopped working and were dissolved or revoked.
                org.fate = rnd.choice(["dissolved", "revoked"])
        if org.fate == "plain":
            return
        if start >= HORIZON - datetime.timedelta(days=60):
            org.fate = "plain"
            return
        first = self.day_between(start, HORIZON - datetime.timedelta(days=30))
        second = self.day_between(first + ONE_DAY, HORIZON)
        fate = org.fate
        add = org.events.append
        if fate == "suspended_resumed":
            add((EventKind.SUSPENDED, first, "Tạm ngừng hoạt động", None))
            add((EventKind.RESUMED, second, "Hoạt động trở lại", None))
        elif fate == "suspended":
            add((EventKind.SUSPENDED, first, "Tạm ngừng hoạt động", None))
        elif fate == "dissolving":
            add((EventKind.DISSOLUTION_STARTED, first, RESOLVED_TO_DISSOLVE, None))
        elif fate == "dissolved":
            if rnd.random() < 0.5:
                add((EventKind.DISSOLUTION_STARTED, first, RESOLVED_TO_DISSOLVE, None))
                add((EventKind.DISSOLVED, second, "", None))
            else:
                add((EventKind.DISSOLVED, first, "", None))
        elif fate == "revoked":
            if rnd.random() < 0.4:
                add((EventKind.SUSPENDED, first, "Tạm ngừng hoạt động", None))
                add((EventKind.REVOKED, second, "Không hoạt động, không báo cáo theo quy định", None))
            else:
                add((EventKind.REVOKED, first, "Không hoạt động, không báo cáo theo quy định", None))
        elif fate == "merged":
            add((EventKind.MERGED, first, "", None))  # the target is chosen once every organisation is planned

    def merges(self, orgs: list[Org]) -> None:
        """Point each merger at an organisation of the same kind and province, active since before it."""
        plain: dict[tuple, list[Org]] = defaultdict(list)
        for org in orgs:
            if org.fate == "plain" and org.founded_on < LEGACY_DAY:
                plain[org.kind, org.province.pk].append(org)
        for org in orgs:
            if org.fate != "merged":
                continue
            kind, on, _note, _m = org.events[-1]
            candidates = [o for o in plain[org.kind, org.province.pk] if o.founded_on < on and o is not org]
            if candidates:
                target = self.rnd.choice(candidates)
                org.events[-1] = (kind, on, "", target)
            else:
                org.fate = "dissolved"
                org.events[-1] = (EventKind.DISSOLVED, on, "", None)

    def names_and_codes(self, orgs: list[Org]) -> None:
        rnd = self.rnd
        numbers: dict[str, int] = {}
        per_commune: Counter = Counter()
        for org in sorted(orgs, key=lambda o: (o.founded_on, o.id)):
            place = short_name(org.commune)
            if org.kind == OrgKind.THT:
                _sector, phrase, _districts = rnd.choice(THT_PRODUCTS)
                per_commune[org.commune.code] += 1
                org.code = f"THT-{org.commune.code}-{per_commune[org.commune.code]:02d}"
                if rnd.random() < 0.5:
                    org.name = f"Tổ hợp tác {phrase} {place}"
                else:
                    org.name = f"Tổ hợp tác {phrase} thôn {rnd.choice(VILLAGES)}"
                continue
            province_code = org.province.code
            numbers[province_code] = numbers.get(province_code, 100_000) + rnd.randint(3, 40)
            org.code = f"{province_code}{numbers[province_code]:08d}"
            if org.kind == OrgKind.QTDND:
                org.name = f"Quỹ tín dụng nhân dân {place}"
                continue
            year = org.founded_on.year
            products = [p for p in PRODUCTS if p.first_year <= year <= p.last_year and p.sector == org.sector]
            products = products or [p for p in PRODUCTS if p.first_year <= year <= p.last_year]
            org.product = rnd.choices(products, weights=[p.weight for p in products])[0]
            if org.kind == OrgKind.LHHTX:
                org.name = f"Liên hiệp hợp tác xã {org.product.phrase} {short_name(org.province)}"
                continue
            roll = rnd.random()
            if roll < 0.6:
                org.name = f"Hợp tác xã {org.product.phrase} {place}"
            elif roll < 0.8:
                org.name = f"Hợp tác xã {org.product.phrase} {rnd.choice(BRANDS)}"
            else:
                org.name = f"Hợp tác xã {org.product.phrase} thôn {rnd.choice(VILLAGES)}"

    def membership(self, org: Org) -> None:
        """Membership of the provincial alliance: since founding or since 2015–2018."""
        rnd = self.rnd
        if rnd.random() >= MEMBERSHIP_RATE[org.kind]:
            return
        end = org.end or HORIZON
        if org.founded_on >= D(2015, 1, 1) or rnd.random() < 0.3:
            joined = org.founded_on + datetime.timedelta(days=rnd.choice([0, 0, 15, 30, 60, 120, 400]))
        else:
            joined = self.day_between(D(2015, 1, 5), D(2018, 12, 28))
        if joined < end and joined <= HORIZON:
            org.member_from = joined


# ---------------------------------------------------------------- the generator


class NationalGenerator:
    """Plans and writes the national dataset; ``run`` returns the counts per table."""

    def __init__(self, *, scale: float, seed: int = DEFAULT_SEED, out=None):
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale = scale
        self.seed = seed
        self.out = out or (lambda _text: None)
        self.writer = Writer(self.out)

    def say(self, text: str) -> None:
        self.out(text)

    def run(self) -> dict:
        if Organization.objects.exists():
            raise RuntimeError("the register is not empty")
        started = time.monotonic()
        self.analyst = self.analyst_user()
        geography = Geography()
        self.orgs = Planner(self.scale, self.seed, geography, next_id(Organization)).plan()
        self.say(f"Planned {len(self.orgs):,} organisations in {time.monotonic() - started:.1f} s")
        for name, stage in (
            ("registry", self.organizations),
            ("returns", self.returns),
            ("fund", self.fund),
            ("awards", self.awards),
            ("training", self.training),
        ):
            stage_started = time.monotonic()
            if name == "returns":
                stage()  # commits year by year: millions of deferred foreign-key checks in one commit are slow
            else:
                with transaction.atomic():
                    stage()
            self.say(f"{name}: {time.monotonic() - stage_started:.1f} s (planning and writing)")
        finishing = time.monotonic()
        self.writer.finish()
        self.say(f"sequences and ANALYZE: {time.monotonic() - finishing:.1f} s")
        self.say(f"Total {time.monotonic() - started:.1f} s")
        return dict(self.writer.counts)

    def analyst_user(self) -> User:
        """The national staff account benchmarks use: sees every organisation, not an administrator."""
        user = User.objects.filter(username=ANALYST).first()
        if user is None:
            user = User(
                username=ANALYST,
                role=Role.STAFF,
                department=Department.REGISTRY,
                first_name="Phân tích",
                last_name="Dữ liệu",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    # ------------------------------------------------------------ registry

    def organizations(self) -> None:
        filler = Filler(self.seed)
        rnd = random.Random(self.seed + 1)
        w = self.writer

        def org_rows():
            for org in self.orgs:
                commune = org.commune
                district = commune.parent
                plan = SimpleNamespace(
                    kind=org.kind,
                    product=org.product,
                    founded_on=org.founded_on,
                    sector=org.sector,
                    name=org.name,
                )
                sizes = filler.sizes(plan)
                org.sizes = sizes
                registration = self.registration(org)
                lines = org.product.lines if org.product else _lines(org.kind)
                yield (
                    org.id,
                    org.kind,
                    org.sector,
                    org.code,
                    org.name,
                    commune.pk,
                    filler.street(commune),
                    org.founded_on,
                    *registration,
                    filler.person(),
                    sizes["official_members"],
                    sizes["associate_members"],
                    sizes["employees"],
                    sizes["charter_capital"],
                    lines,
                    filler.phone(),
                    filler.email(plan),
                    search_text(org.name, org.code, commune.name, district.name if district else None),
                    1,
                )

        fields = [
            "id",
            "kind",
            "sector",
            "code",
            "name",
            "commune_id",
            "street",
            "founded_on",
            "registration_number",
            "registration_date",
            "registration_office",
            "registration_law",
            "representative",
            "official_members",
            "associate_members",
            "employees",
            "charter_capital",
            "business_lines",
            "phone",
            "email",
            "search_text",
            "version",
        ]
        w.write(Organization, fields, org_rows())
        w.report("registry_organization")

        first_event = next_id(LifecycleEvent)  # not inside the generator: no query may run during a COPY

        def event_rows():
            event_id = first_event
            for org in self.orgs:
                document = event_document(EventKind.REGISTERED, org.founded_on, rnd, org)
                yield (event_id, org.id, EventKind.REGISTERED, org.founded_on, "", org.law, document, "", None)
                event_id += 1
                for kind, on, note, target in org.events:
                    if target is not None:
                        note = f"Hợp nhất vào {target.name}"
                    law = Law.L2012 if kind == EventKind.RE_REGISTERED else ""
                    yield (
                        event_id,
                        org.id,
                        kind,
                        on,
                        STATUS_AFTER.get(kind, ""),
                        law,
                        event_document(kind, on, rnd, org),
                        note,
                        target.id if target else None,
                    )
                    event_id += 1

        w.write(
            LifecycleEvent,
            ["id", "organization_id", "kind", "on", "status_after", "law", "document", "note", "merged_into_id"],
            event_rows(),
        )
        w.report("registry_lifecycleevent")
        first = next_id(Membership)
        members = [o for o in self.orgs if o.member_from]
        w.write(
            Membership,
            ["id", "organization_id", "joined_on", "left_on"],
            ((first + i, o.id, o.member_from, o.end) for i, o in enumerate(members)),
        )
        w.report("registry_membership")
        # As Organization.save and LifecycleEvent.save do: the status periods (registry/periods.py),
        # from the same events, in the order their ids give them.
        first = next_id(StatusPeriod)

        def period_rows():
            period_id = first
            for org in self.orgs:
                changes = [
                    (on, STATUS_AFTER[kind])
                    for kind, on, _note, _target in sorted(org.events, key=lambda e: e[1])
                    if kind in STATUS_AFTER
                ]
                for status, valid_from, valid_to in periods_of(org.founded_on, changes):
                    yield (period_id, org.id, status, valid_from, valid_to)
                    period_id += 1

        w.write(StatusPeriod, ["id", "organization_id", "status", "valid_from", "valid_to"], period_rows())
        w.report("registry_statusperiod")

    def registration(self, org: Org) -> tuple:
        """Registration number, date, office and law as the latest certificate shows them."""
        province = in_sentence(org.province)
        if org.kind == OrgKind.THT:
            return ("", org.founded_on, f"UBND {in_sentence(org.commune)}", org.law)
        if org.kind in (OrgKind.QTDND, OrgKind.LHHTX) or org.commune.level != Level.COMMUNE:
            office = f"Phòng Đăng ký kinh doanh - Sở Kế hoạch và Đầu tư {province}"
        elif org.founded_on >= REFORM_2025:
            office = f"Phòng Kinh tế {in_sentence(org.commune)}"
        else:
            office = f"Phòng Tài chính - Kế hoạch {in_sentence(org.commune.parent)}"
        if org.reregistered_on:
            return (org.code, org.reregistered_on, office, Law.L2012)
        return (first_certificate(org), org.founded_on, office, org.law)

    # ------------------------------------------------------------ returns

    def returns(self) -> None:
        form = ReturnForm.objects.get(code="annual_htx")
        rnd = random.Random(self.seed + 2)
        w = self.writer
        filers = [o for o in self.orgs if o.kind in form.kinds]
        last: dict[int, tuple[dict, str, int]] = {}
        return_id, value_id, revision_id = next_id(Return), next_id(Value), next_id(ReturnRevision)
        zone = timezone.get_current_timezone()
        for year in YEARS:
            version = form.version_for(year)
            specs = validation.specs_for(version)
            indicators = {s.code: s.indicator for s in specs}
            start, end = D(year, 1, 1), D(year, 12, 31)
            year_started = time.monotonic()
            returns, values, revisions = [], [], []
            for org in filers:
                if not (org.active_on(start) or org.active_on(end)):
                    continue
                if rnd.random() < MISSING:
                    continue
                previous = last.get(org.id)
                like = SimpleNamespace(kind=org.kind, **org.sizes)
                if previous:
                    figures = _next_year(previous[0], like, rnd, rnd.random() < JUMPS)
                else:
                    figures = _base(like, rnd)
                status = self.return_status(year, rnd)
                flags = []
                if previous and previous[1] in validation.COMPARED_STATUSES:
                    before = validation.Previous(SimpleNamespace(year=previous[2], quarter=None), previous[0])
                    flags = validation.plausibility_flags(specs, figures, before, form.plausibility_factor)
                if rnd.random() < LATE:
                    submitted = D(year, 12, 16) + datetime.timedelta(days=rnd.randint(0, 45))
                else:
                    submitted = D(year, 10, 1) + datetime.timedelta(days=rnd.randint(0, 75))
                submitted = min(submitted, HORIZON)
                reviewed = min(submitted + datetime.timedelta(days=rnd.randint(2, 30)), HORIZON)
                approved = status == ReturnStatus.APPROVED
                reviewer = self.analyst.pk if status in (ReturnStatus.APPROVED, ReturnStatus.RETURNED) else None
                comment = rnd.choice(COMMENTS) if status == ReturnStatus.RETURNED else ""
                returns.append(
                    (
                        return_id,
                        form.pk,
                        version.pk,
                        org.id,
                        year,
                        None,
                        status,
                        submitted if status != ReturnStatus.DRAFT else None,
                        reviewed if approved else None,
                        self.analyst.pk if approved else None,
                        comment,
                        rnd.random() < ON_BEHALF,
                        flags,
                        1,
                    )
                )
                for code, value in figures.items():
                    if value in (None, ""):
                        continue
                    unit = indicators[code].unit
                    if unit == Unit.PERCENT:
                        row = (value_id, return_id, indicators[code].pk, None, value, "")
                    elif indicators[code].is_number:
                        row = (value_id, return_id, indicators[code].pk, value, None, "")
                    else:
                        row = (value_id, return_id, indicators[code].pk, None, None, value)
                    values.append(row)
                    value_id += 1
                on = reviewed if reviewer else submitted
                at = datetime.datetime.combine(on, datetime.time(10, 15), tzinfo=zone)
                plain = {k: validation.plain(v) for k, v in figures.items()}
                revisions.append((revision_id, return_id, 1, status, plain, comment, at, reviewer))
                revision_id += 1
                return_id += 1
                last[org.id] = (figures, status, year)
            with transaction.atomic():  # one year at a time: PostgreSQL checks the foreign keys per year
                w.write(
                    Return,
                    [
                        "id",
                        "form_id",
                        "version_id",
                        "organization_id",
                        "year",
                        "quarter",
                        "status",
                        "submitted_on",
                        "approved_on",
                        "approved_by_id",
                        "comment",
                        "entered_on_behalf",
                        "flags",
                        "revision",
                    ],
                    returns,
                )
                w.write(Value, ["id", "ret_id", "indicator_id", "number", "decimal", "text"], values)
                revision_fields = ["id", "ret_id", "revision", "status", "values", "comment", "at", "by_id"]
                w.write(ReturnRevision, revision_fields, revisions)
            self.say(
                f"  returns {year}: {len(returns):,} returns, {len(values):,} values "
                f"in {time.monotonic() - year_started:.1f} s"
            )
        w.report("returns_return")
        w.report("returns_value")
        w.report("returns_returnrevision")

    @staticmethod
    def return_status(year: int, rnd: random.Random) -> str:
        roll = rnd.random()
        if year == YEARS[-1]:  # the last year is still being reviewed
            if roll < 0.60:
                return ReturnStatus.APPROVED
            if roll < 0.85:
                return ReturnStatus.SUBMITTED
            return ReturnStatus.RETURNED if roll < 0.90 else ReturnStatus.DRAFT
        if roll < 0.95:
            return ReturnStatus.APPROVED
        return ReturnStatus.SUBMITTED if roll < 0.98 else ReturnStatus.RETURNED

    # ------------------------------------------------------------ fund

    def fund(self) -> None:
        rnd = random.Random(self.seed + 3)
        w = self.writer
        staff = self.analyst.pk
        first = next_id(CapitalSource)
        sources = {key: first + i for i, key in enumerate(FUND_SOURCES)}
        w.write(
            CapitalSource,
            ["id", "name", "kind", "note", "created_by_id"],
            [(sources[key], name, kind, note, staff) for key, (name, kind, note) in FUND_SOURCES.items()],
        )
        first = next_id(LoanProduct)
        products = {code: first + i for i, code in enumerate(FUND_PRODUCTS)}
        product_fields = ["id", "code", "eligible_kinds", "interest_every_months", "created_by_id"]
        spec_keys = sorted({k for spec in FUND_PRODUCTS.values() for k in spec if k != "eligible_kinds"})
        w.write(
            LoanProduct,
            product_fields + spec_keys,
            [
                (
                    products[code],
                    code,
                    spec.get("eligible_kinds", [OrgKind.HTX, OrgKind.LHHTX]),
                    1,
                    staff,
                    *(spec.get(k) for k in spec_keys),
                )
                for code, spec in FUND_PRODUCTS.items()
            ],
        )

        # Borrowers: cooperatives and unions that never end, founded a year before they apply.
        borrowers = sorted(
            (o for o in self.orgs if o.kind in (OrgKind.HTX, OrgKind.LHHTX) and o.fate == "plain"),
            key=lambda o: (o.founded_on, o.id),
        )
        founded = [o.founded_on for o in borrowers]
        n_loans = scaled(LOANS, self.scale)
        year_weights = {y: 6 + 2 * (y - 2016) for y in YEARS}
        plans = []
        for _ in range(n_loans):
            year = rnd.choices(list(year_weights), weights=list(year_weights.values()))[0]
            applied = D(year, 1, 2) + datetime.timedelta(days=rnd.randint(0, 300 if year == 2025 else 355))
            k = bisect.bisect_left(founded, applied - datetime.timedelta(days=365))
            if not k:
                continue
            plans.append((applied, borrowers[rnd.randrange(k)]))
        plans.sort(key=lambda p: (p[0], p[1].id))

        loan_id, disb_id, sched_id, inst_id, rep_id, appr_id = (
            next_id(Loan),
            next_id(Disbursement),
            next_id(Schedule),
            next_id(Instalment),
            next_id(Repayment),
            next_id(Appraisal),
        )
        loans, disbursements, schedules, instalments, repayments, appraisals = [], [], [], [], [], []
        counters: Counter = Counter()
        arrears_from: dict[int, datetime.date] = {}  # borrower -> the first instalment it missed
        flows: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # year -> disbursed, principal, interest
        for applied, org in plans:
            year = applied.year
            counters["code", year] += 1
            code = f"VAY-{year}-{counters['code', year]:04d}"
            appraised = applied + datetime.timedelta(days=rnd.randint(5, 15))
            decided = appraised + datetime.timedelta(days=rnd.randint(3, 15))
            contract_on = decided + datetime.timedelta(days=rnd.randint(2, 10))
            disbursed_on = contract_on + datetime.timedelta(days=rnd.randint(1, 10))
            product_code = product_on(disbursed_on)
            spec = FUND_PRODUCTS[product_code]
            amount = int(100 * MILLION * (spec["max_amount"] / (100 * MILLION)) ** rnd.random()) // (10 * MILLION)
            amount = max(100 * MILLION, amount * 10 * MILLION)
            share = rnd.uniform(0.5, 0.78)  # the products lend at most 80 % of the cost
            cost = int(amount / share) // MILLION * MILLION
            term = rnd.choice([t for t in (24, 36, 48, 60) if t <= spec["max_term_months"]])
            project = rnd.choice(LOAN_PROJECTS)
            roll = rnd.random()
            outcome = "lent"
            reason = "Phương án sản xuất, kinh doanh chưa khả thi; chưa đủ vốn đối ứng theo quy chế."
            if roll < 0.04 or decided > HORIZON:
                outcome = "rejected"
            if arrears_from.get(org.id, HORIZON + ONE_DAY) <= decided:
                # The services refuse a borrower with an overdue loan (fund.services.eligibility).
                outcome, reason = "rejected", "HTX đang có khoản vay quá hạn tại Quỹ, chưa đủ điều kiện vay mới."
            if roll > 0.99 or disbursed_on > HORIZON:
                outcome = "pending"
            row = dict(
                id=loan_id,
                code=code,
                borrower_id=org.id,
                product_id=products[product_code],
                project_name=project,
                purpose=(
                    f"{project}. Tổng mức đầu tư {cost:,} đồng, vốn tự có {cost - amount:,} đồng.".replace(",", ".")
                ),
                project_cost=cost,
                equity_amount=cost - amount,
                requested_amount=amount,
                requested_term_months=term,
                applied_on=applied,
                created_by_id=staff,
            )
            version = 1
            if outcome != "pending" or roll > 0.995:
                appraisals.append(
                    (
                        appr_id,
                        loan_id,
                        appraised,
                        f"Thẩm định tại cơ sở ngày {appraised:%d/%m/%Y}. Dự án phù hợp ngành nghề đăng ký.",
                        "reject" if outcome == "rejected" else "approve" if outcome == "lent" else "",
                        staff,
                    )
                )
                appr_id += 1
                version += 1
                row["status"] = LoanStatus.APPRAISAL
            if outcome == "rejected":
                row.update(
                    status=LoanStatus.REJECTED,
                    decision_on=decided,
                    rejection_reason=reason,
                )
                version += 1
            elif outcome == "lent":
                counters["decision", decided.year] += 1
                counters["contract", contract_on.year] += 1
                counters["unc", disbursed_on.year] += 1
                terms = sched.Terms(
                    annual_rate=spec["annual_rate"],
                    term_months=term,
                    principal_every=spec["principal_every_months"],
                    interest_every=1,
                    grace_months=spec["grace_months"],
                )
                row.update(
                    status=LoanStatus.ACTIVE,
                    approved_amount=amount,
                    decision_number=f"{counters['decision', decided.year]:02d}/QĐ-QHT",
                    decision_on=decided,
                    approver="Giám đốc Quỹ hỗ trợ phát triển HTX",
                    contract_number=f"{counters['contract', contract_on.year]:02d}/{contract_on.year}/HĐTD-QHT",
                    contract_on=contract_on,
                    annual_rate=spec["annual_rate"],
                    term_months=term,
                    principal_every_months=spec["principal_every_months"],
                    interest_every_months=1,
                    grace_months=spec["grace_months"],
                )
                version += 3  # approved, contracted, disbursed
                disbursements.append(
                    (
                        disb_id,
                        loan_id,
                        disbursed_on,
                        amount,
                        f"UNC số {counters['unc', disbursed_on.year]:03d}/{disbursed_on.year}",
                        staff,
                    )
                )
                disb_id += 1
                flows[disbursed_on.year][0] += amount
                lines = sched.build(amount, disbursed_on, terms)
                schedules.append((sched_id, loan_id, 1, disbursed_on, "Giải ngân lần đầu", staff))
                for line in lines:
                    instalments.append((inst_id, sched_id, line.seq, line.due_on, line.principal, line.interest))
                    inst_id += 1
                sched_id += 1
                # Most pay every instalment on its day; some stop at one and are in arrears from then.
                stop = len(lines)
                if rnd.random() < 0.07:
                    stop = rnd.randint(1, len(lines) - 1)
                paid = 0
                last_paid = None
                for line in lines[:stop]:
                    if line.due_on > HORIZON:
                        break
                    if not line.total:
                        continue
                    repayments.append(
                        (rep_id, loan_id, line.due_on, line.total, 0, line.interest, line.principal, staff)
                    )
                    rep_id += 1
                    paid += line.principal
                    last_paid = line.due_on
                    flows[line.due_on.year][1] += line.principal
                    flows[line.due_on.year][2] += line.interest
                    version += 1
                if paid == amount:
                    row.update(status=LoanStatus.CLOSED, closed_on=last_paid)
                elif stop < len(lines):
                    missed = lines[stop].due_on
                    arrears_from[org.id] = min(arrears_from.get(org.id, missed), missed)
                    written_off = missed + datetime.timedelta(days=rnd.randint(400, 700))
                    if written_off <= HORIZON and rnd.random() < 0.25:
                        row.update(
                            status=LoanStatus.WRITTEN_OFF,
                            written_off_on=written_off,
                            write_off_reason="HTX không còn khả năng trả nợ (Nghị quyết Hội đồng quản lý Quỹ).",
                        )
                        version += 1
            row["version"] = version
            loans.append(row)
            loan_id += 1

        loan_fields = sorted({k for row in loans for k in row})
        loan_fields.remove("id")
        loan_fields = ["id", *loan_fields]
        defaults = {f.attname: f.get_default() for f in Loan._meta.concrete_fields}
        w.write(Loan, loan_fields, [tuple(row.get(k, defaults[k]) for k in loan_fields) for row in loans])
        w.report("fund_loan")
        w.write(Appraisal, ["id", "loan_id", "on", "text", "recommendation", "created_by_id"], appraisals)
        w.report("fund_appraisal")
        w.write(Disbursement, ["id", "loan_id", "on", "amount", "document", "created_by_id"], disbursements)
        w.report("fund_disbursement")
        w.write(Schedule, ["id", "loan_id", "number", "effective_on", "reason", "created_by_id"], schedules)
        w.report("fund_schedule")
        w.write(Instalment, ["id", "schedule_id", "seq", "due_on", "principal", "interest"], instalments)
        w.report("fund_instalment")
        w.write(
            Repayment,
            ["id", "loan_id", "on", "amount", "overdue_interest", "interest", "principal", "created_by_id"],
            repayments,
        )
        w.report("fund_repayment")
        self.capital(flows, sources, staff)

    def capital(self, flows: dict, sources: dict, staff: int) -> None:
        """The provincial budgets' contributions keep the capital above the outstanding; interest is retained."""
        movements = [(sources["budget"], D(2015, 6, 15), 200_000 * MILLION, "QĐ số 812/QĐ-UBND", "Vốn ban đầu")]
        capital, outstanding = movements[0][2], 0
        for year in YEARS:
            disbursed, principal, interest = flows.get(year, (0, 0, 0))
            outstanding += disbursed - principal
            need = int(outstanding * 1.1) - capital
            if need > 0:
                amount = -(-need // (1_000 * MILLION)) * 1_000 * MILLION
                movements.append(
                    (sources["budget"], D(year, 3, 20), amount, f"QĐ số {300 + year % 100}/QĐ-UBND", "Cấp bổ sung vốn")
                )
                capital += amount
            retained = interest // 2 // MILLION * MILLION
            if retained > 0 and D(year, 12, 31) <= HORIZON:
                movements.append(
                    (
                        sources["interest"],
                        D(year, 12, 31),
                        retained,
                        f"Báo cáo tài chính năm {year}",
                        f"Lãi cho vay năm {year} bổ sung vốn",
                    )
                )
                capital += retained
        first = next_id(CapitalMovement)
        self.writer.write(
            CapitalMovement,
            ["id", "source_id", "on", "amount", "document", "note", "created_by_id"],
            [(first + i, *m, staff) for i, m in enumerate(movements)],
        )
        self.writer.report("fund_capitalmovement")

    # ------------------------------------------------------------ awards and training

    def awards(self) -> None:
        rnd = random.Random(self.seed + 4)
        filler = Filler(self.seed + 4)
        w = self.writer
        candidates = [o for o in self.orgs if o.kind != OrgKind.THT and o.fate == "plain"]
        decisions, recipients = [], []
        decision_id, recipient_id = next_id(Decision), next_id(Recipient)
        numbers: Counter = Counter()
        issuers = [
            (Issuer.VCA, AwardForm.MERIT, "QĐ-LMHTXVN", "Liên minh HTX Việt Nam"),
            (Issuer.PROVINCE, AwardForm.MERIT, "QĐ-UBND", "Chủ tịch UBND tỉnh"),
            (Issuer.ALLIANCE, AwardForm.COMMENDATION, "QĐ-LMHTX", "Liên minh HTX tỉnh"),
            (Issuer.VCA, AwardForm.FLAG, "QĐ-LMHTXVN", "Liên minh HTX Việt Nam"),
        ]
        for _ in range(scaled(AWARD_DECISIONS, self.scale)):
            year = rnd.choice(list(YEARS))
            on = D(year, 1, 10) + datetime.timedelta(days=rnd.randint(0, 340))
            issuer, form, suffix, who = rnd.choices(issuers, weights=[3, 4, 8, 1])[0]
            numbers[issuer, year] += 1
            decisions.append(
                (
                    decision_id,
                    f"{numbers[issuer, year]}/{suffix}",
                    on,
                    issuer,
                    form,
                    f"Khen thưởng tập thể, cá nhân có thành tích xuất sắc năm {year - 1} ({who})",
                    self.analyst.pk,
                )
            )
            eligible = [o for o in rnd.sample(candidates, min(len(candidates), 12)) if o.founded_on < on]
            for org in eligible[: rnd.randint(1, 6)]:
                if rnd.random() < 0.5:
                    recipients.append(
                        (
                            recipient_id,
                            decision_id,
                            RecipientKind.COLLECTIVE,
                            org.id,
                            "",
                            "",
                            "Đã có thành tích xuất sắc trong phong trào thi đua",
                        )
                    )
                else:
                    recipients.append(
                        (
                            recipient_id,
                            decision_id,
                            RecipientKind.INDIVIDUAL,
                            org.id,
                            filler.person(),
                            rnd.choice(["Giám đốc", "Chủ tịch Hội đồng quản trị", "Kế toán trưởng"]),
                            "Đã có thành tích xuất sắc trong công tác",
                        )
                    )
                recipient_id += 1
            decision_id += 1
        w.write(Decision, ["id", "number", "on", "issuer", "form", "title", "created_by_id"], decisions)
        w.report("awards_decision")
        w.write(
            Recipient,
            ["id", "decision_id", "kind", "organization_id", "person_name", "position", "reason"],
            recipients,
        )
        w.report("awards_recipient")

    def training(self) -> None:
        rnd = random.Random(self.seed + 5)
        filler = Filler(self.seed + 5)
        w = self.writer
        by_province: dict[int, list[Org]] = defaultdict(list)
        for org in self.orgs:
            if org.kind != OrgKind.THT and org.fate == "plain":
                by_province[org.province.pk].append(org)
        provinces = [p for p in sorted({o.province for o in self.orgs}, key=lambda p: p.code) if by_province[p.pk]]
        plans, planned, courses, participants = [], [], [], []
        plan_id, planned_id, course_id, participant_id = (
            next_id(Plan),
            next_id(PlannedCourse),
            next_id(Course),
            next_id(Participant),
        )
        numbers: Counter = Counter()
        topics = [
            (TargetGroup.MANAGERS, "Bồi dưỡng kiến thức quản trị HTX theo Luật HTX năm 2023"),
            (TargetGroup.ACCOUNTANTS, "Tập huấn nghiệp vụ kế toán HTX"),
            (TargetGroup.MEMBERS, "Tập huấn chuyển đổi số trong HTX"),
            (TargetGroup.GROUPS, "Tập huấn thành lập và hoạt động của tổ hợp tác"),
            (TargetGroup.MANAGERS, "Bồi dưỡng kỹ năng xây dựng phương án sản xuất, kinh doanh"),
        ]
        n_plans = scaled(TRAINING_PLANS, self.scale)
        for i in range(n_plans):
            province = provinces[i % len(provinces)]
            year = YEARS[(i // len(provinces)) % len(YEARS)]
            numbers[year] += 1
            issued = D(year, 1, 15) + datetime.timedelta(days=rnd.randint(0, 40))
            budget = 0
            for q in range(1, COURSES_PER_PLAN + 1):
                target, topic = topics[(q - 1) % len(topics)]
                quarter = min(4, q)
                cost = rnd.randint(3, 12) * 10 * MILLION
                budget += cost
                planned.append((planned_id, plan_id, topic, target, quarter, None, 30, cost, BudgetSource.PROVINCE))
                starts = D(year, 3 * quarter - 2, 1) + datetime.timedelta(days=rnd.randint(0, 80))
                ends = starts + datetime.timedelta(days=rnd.randint(0, 2))
                status = CourseStatus.HELD if rnd.random() < 0.93 and ends <= HORIZON else CourseStatus.CANCELLED
                courses.append(
                    (
                        course_id,
                        planned_id,
                        topic,
                        starts,
                        ends,
                        f"Hội trường Liên minh HTX {short_name(province)}",
                        "Giảng viên Trường Cán bộ quản lý nông nghiệp và PTNT",
                        target,
                        cost if status == CourseStatus.HELD else 0,
                        BudgetSource.PROVINCE,
                        status,
                        "Không đủ học viên đăng ký" if status == CourseStatus.CANCELLED else "",
                    )
                )
                if status == CourseStatus.HELD:
                    pool = by_province[province.pk]
                    seen = set()
                    for org in rnd.choices(pool, k=rnd.randint(20, 40)):
                        female = rnd.random() < 0.4
                        name = filler.person()
                        key = f"{normalize(name)}|#{org.id}"
                        if key in seen:
                            continue
                        seen.add(key)
                        attended = rnd.random() < 0.95
                        participants.append(
                            (
                                participant_id,
                                course_id,
                                name,
                                Gender.FEMALE if female else Gender.MALE,
                                rnd.choice(["Giám đốc", "Kế toán", "Thành viên Hội đồng quản trị"]),
                                org.id,
                                ParticipantRole.LEARNER,
                                attended,
                                (ends - starts).days + 1 if attended else None,
                                attended,
                                key,
                            )
                        )
                        participant_id += 1
                planned_id += 1
                course_id += 1
            plans.append(
                (
                    plan_id,
                    year,
                    f"{numbers[year]:02d}/KH-LMHTX",
                    issued,
                    f"Kế hoạch bồi dưỡng, tập huấn năm {year} – Liên minh HTX {short_name(province)}",
                    PlanStatus.ISSUED,
                    budget,
                )
            )
            plan_id += 1
        w.write(Plan, ["id", "year", "number", "issued_on", "title", "status", "budget"], plans)
        w.report("training_plan")
        w.write(
            PlannedCourse,
            ["id", "plan_id", "topic", "target_group", "quarter", "month", "participants", "budget", "budget_source"],
            planned,
        )
        w.report("training_plannedcourse")
        w.write(
            Course,
            [
                "id",
                "planned_id",
                "topic",
                "starts_on",
                "ends_on",
                "place",
                "trainers",
                "target_group",
                "budget",
                "budget_source",
                "status",
                "cancel_reason",
            ],
            courses,
        )
        w.report("training_course")
        w.write(
            Participant,
            [
                "id",
                "course_id",
                "full_name",
                "gender",
                "position",
                "organization_id",
                "role",
                "attended",
                "days_attended",
                "certificate",
                "person_key",
            ],
            participants,
        )
        w.report("training_participant")


LOAN_PROJECTS = [
    "Mua máy gặt đập liên hợp",
    "Đầu tư lò sấy và máy xay xát gạo",
    "Xây dựng kho lạnh bảo quản nông sản",
    "Xây dựng nhà lưới sản xuất rau an toàn",
    "Đầu tư hệ thống tưới tiết kiệm nước",
    "Xây dựng chuồng trại chăn nuôi an toàn sinh học",
    "Đầu tư dây chuyền sơ chế, đóng gói nông sản",
    "Mua xe tải chở hàng nông sản",
    "Mở rộng xưởng sản xuất hàng thủ công mỹ nghệ",
    "Mua sắm máy móc, thiết bị phục vụ thành viên",
]


def _lines(kind: str) -> str:
    if kind == OrgKind.QTDND:
        return "Huy động vốn, cho vay thành viên; Cung ứng dịch vụ thanh toán, ngân quỹ cho thành viên"
    if kind == OrgKind.LHHTX:
        return "Cung ứng dịch vụ cho hợp tác xã thành viên; Bán buôn nông sản; Xúc tiến thương mại"
    return "Hợp tác sản xuất, hỗ trợ nhau về vốn, kỹ thuật và tiêu thụ sản phẩm"


def digest() -> str:
    """A digest of the key columns of the generated tables: equal for equal seed and scale."""
    h = hashlib.sha256()
    queries = [
        Organization.objects.order_by("code").values_list(
            "code", "name", "kind", "sector", "founded_on", "commune__code", "search_text", "charter_capital"
        ),
        LifecycleEvent.objects.order_by("organization__code", "on", "kind").values_list(
            "organization__code", "kind", "on", "status_after", "merged_into__code"
        ),
        Return.objects.order_by("organization__code", "year").values_list("organization__code", "year", "status"),
        Value.objects.order_by("ret__organization__code", "ret__year", "indicator__code").values_list(
            "ret__organization__code", "ret__year", "indicator__code", "number", "decimal", "text"
        ),
        Loan.objects.order_by("code").values_list("code", "borrower__code", "status", "approved_amount"),
        Repayment.objects.order_by("loan__code", "on").values_list("loan__code", "on", "interest", "principal"),
        Decision.objects.order_by("number", "on").values_list("number", "on", "issuer"),
        Participant.objects.order_by("course__topic", "person_key").values_list("person_key", "course__starts_on"),
    ]
    for qs in queries:
        for row in qs.iterator(chunk_size=5000):
            h.update(repr(tuple(str(v) if isinstance(v, Decimal) else v for v in row)).encode())
    return h.hexdigest()
