"""Demo returns: the annual reports of 2019 and 2020 and the grading sheets of 2020, after the demo register.

Deterministic (``random.Random`` with a fixed seed, one generator per organisation, so a
cooperative's figures do not depend on the others). Most active cooperatives and unions
report; about one in ten does not; about one in eight hands in after 15 December; a few
2020 figures jump far from 2019 and are flagged by the same check the entry page runs; most
returns are approved, some wait for review, a few were sent back with a comment. Grades for
2020 follow from the sheets' totals; cooperatives founded in 2020 (or stopped over three
months) are not graded, with the reason.

Written with ``bulk_create`` (thousands of service calls would take minutes), keeping what
the services keep: a revision per state, an audit entry per return, flags, grades.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from hoptac.core.models import AuditEntry, Role, User
from hoptac.registry.models import LifecycleEvent, OrgKind

from . import grading, validation
from .models import Grading, Return, ReturnForm, ReturnRevision, Status, Unit, Value
from .periods import Period
from .selectors import organizations_in_scope

SEED = 2019
YEARS = (2019, 2020)
MISSING = 0.10
LATE = 0.12
JUMPS = 0.03  # 2020 figures far from 2019: flagged for follow-up
ON_BEHALF = 0.3
COMMENTS = [
    "Lợi nhuận chưa khớp với báo cáo tài chính năm; đề nghị kiểm tra lại và nộp lại.",
    "Số lao động là thành viên chưa đúng với danh sách lao động; đề nghị rà soát.",
    "Vốn điều lệ khác với giấy chứng nhận đăng ký; đề nghị ghi đúng số đã góp.",
]
QUALIFICATIONS = (["none", "elementary", "intermediate", "university"], [8, 22, 45, 25])


def _million(value: float) -> int:
    return int(round(value / 1_000_000)) * 1_000_000


def _clamp(value, low, high):
    return max(low, min(high, value))


def _base(org, rnd: random.Random) -> dict:
    """The 2019 figures of one organisation, from its register record where it has one."""
    union = org.kind == OrgKind.LHHTX
    members = org.official_members or (rnd.randint(3, 12) if union else rnd.randint(7, 60))
    members = _clamp(members, 3, 20) if union else _clamp(members, 7, 300)
    employees = _clamp(org.employees or rnd.randint(2, 25), 2, 150)
    capital = org.charter_capital or int(100_000_000 * 200 ** rnd.random())
    capital = _million(_clamp(capital, 100_000_000, 20_000_000_000))
    assets = _million(capital * rnd.uniform(1.0, 2.4))
    revenue = _million(assets * rnd.uniform(0.3, 2.2))
    if rnd.random() < 0.12:
        profit = -_million(revenue * rnd.uniform(0.01, 0.08))
    else:
        profit = _million(revenue * rnd.uniform(0.01, 0.12))
    return {
        "model": "jobs" if rnd.random() < 0.15 else "services",
        "qualification_chair": rnd.choices(*QUALIFICATIONS)[0],
        "qualification_director": rnd.choices(*QUALIFICATIONS)[0],
        "qualification_supervisor": rnd.choices(*QUALIFICATIONS)[0],
        "members_start": max(3 if union else 7, members - rnd.randint(-2, 4)),
        "members_end": members,
        "employees": employees,
        "employees_members": max(1, round(employees * rnd.uniform(0.4, 1.0))),
        "charter_capital": capital,
        "total_assets": assets,
        "revenue": revenue,
        "profit": profit,
        "taxes": _million(max(profit, 0) * rnd.uniform(0.05, 0.2) + revenue * 0.004),
        "avg_income": int(round(rnd.uniform(30_000_000, 96_000_000), -5)),
        "member_services": Decimal(str(round(rnd.uniform(30, 100), 1))).quantize(Decimal("0.01")),
    }


def _next_year(last: dict, org, rnd: random.Random, jump: bool) -> dict:
    """2020 from 2019: modest changes, or (jump) revenue and profit several times up or down."""
    union = org.kind == OrgKind.LHHTX
    values = dict(last)
    members = last["members_end"] + rnd.randint(-3, 6)
    values["members_start"] = last["members_end"]
    values["members_end"] = _clamp(members, 3, 20) if union else _clamp(members, 7, 300)
    values["employees"] = max(2, last["employees"] + rnd.randint(-2, 3))
    values["employees_members"] = min(values["employees"], last["employees_members"] + rnd.randint(-1, 1)) or 1
    values["charter_capital"] = _million(last["charter_capital"] * rnd.choice([1, 1, 1, 1.1, 1.2]))
    values["total_assets"] = _million(last["total_assets"] * rnd.uniform(0.9, 1.2))
    growth = rnd.uniform(0.8, 1.25)  # 2020: Covid-19 hit some, not others
    if jump:
        growth = rnd.choice([rnd.uniform(4, 8), 1 / rnd.uniform(4, 8)])
    values["revenue"] = _million(last["revenue"] * growth)
    if rnd.random() < 0.08:  # a year of losses after profits, or the other way round
        values["profit"] = _million(-last["profit"] * rnd.uniform(0.5, 1.5))
    else:
        values["profit"] = _million(last["profit"] * growth * rnd.uniform(0.8, 1.25))
    values["profit"] = min(values["profit"], values["revenue"])
    values["taxes"] = _million(last["taxes"] * growth * rnd.uniform(0.85, 1.2))
    values["avg_income"] = int(round(last["avg_income"] * rnd.uniform(0.9, 1.15), -5))
    return values


def _scores(specs, rnd: random.Random) -> dict:
    """A grading sheet: one quality for the cooperative, each criterion's score around it."""
    quality = rnd.triangular(0.3, 1.0, 0.74)
    return {
        s.code: int(round(_clamp(quality + rnd.gauss(0, 0.12), 0, 1) * (s.max_value or 0)))
        for s in specs
        if s.unit == Unit.SCORE
    }


def _dates(year: int, rnd: random.Random, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """When it was handed in (after 15/12 for the late ones) and when it was reviewed."""
    if rnd.random() < LATE:
        submitted = datetime.date(year, 12, 16) + datetime.timedelta(days=rnd.randint(0, 45))
    else:
        submitted = datetime.date(year, 10, 1) + datetime.timedelta(days=rnd.randint(0, 75))
    reviewed = min(submitted + datetime.timedelta(days=rnd.randint(2, 30)), today)
    return min(submitted, today), reviewed


def _status(rnd: random.Random, year: int) -> str:
    roll = rnd.random()
    if year == YEARS[-1]:
        return (
            Status.APPROVED
            if roll < 0.80
            else Status.SUBMITTED
            if roll < 0.92
            else Status.RETURNED
            if roll < 0.96
            else Status.DRAFT
        )
    return Status.APPROVED if roll < 0.95 else Status.SUBMITTED if roll < 0.98 else Status.RETURNED


class _Writer:
    """Collects returns, values, revisions, audit entries and grades, then writes them in bulk."""

    def __init__(self, reviewer):
        self.reviewer = reviewer
        self.today = timezone.localdate()
        self.returns: list[Return] = []
        self.values: list[tuple[Return, dict]] = []
        self.revisions: list[tuple[Return, list[tuple]]] = []  # (status, values, comment, by, on)
        self.gradings: list[Grading] = []

    def add(self, *, form, version, org, year, status, values, rnd, specs, flags=(), on_behalf=False) -> Return:
        submitted, reviewed = _dates(year, rnd, self.today)
        ret = Return(
            form=form,
            version=version,
            organization=org,
            year=year,
            status=status,
            entered_on_behalf=on_behalf,
            flags=list(flags),
            submitted_on=submitted if status != Status.DRAFT else None,
            approved_on=reviewed if status == Status.APPROVED else None,
            approved_by=self.reviewer if status == Status.APPROVED else None,
            comment=rnd.choice(COMMENTS) if status == Status.RETURNED else "",
        )
        plain = {k: validation.plain(v) for k, v in values.items()}
        started = submitted - datetime.timedelta(days=rnd.randint(1, 20))
        history = [(Status.DRAFT, plain if status == Status.DRAFT else {}, "", None, started)]
        if status != Status.DRAFT:
            history.append((Status.SUBMITTED, plain, "", None, submitted))
        if status in (Status.APPROVED, Status.RETURNED):
            history.append((status, plain, ret.comment, self.reviewer, reviewed))
        ret.revision = len(history)
        self.returns.append(ret)
        self.values.append((ret, values))
        self.revisions.append((ret, history))
        return ret

    def write(self, indicators: dict) -> None:
        Return.objects.bulk_create(self.returns, batch_size=500)
        Value.objects.bulk_create(
            [
                Value(
                    ret=ret,
                    indicator=indicators[code],
                    number=value if indicators[code].is_number and indicators[code].unit != Unit.PERCENT else None,
                    decimal=value if indicators[code].unit == Unit.PERCENT else None,
                    text=value if not indicators[code].is_number else "",
                )
                for ret, values in self.values
                for code, value in values.items()
                if value not in (None, "")
            ],
            batch_size=2000,
        )
        revisions = [
            (ReturnRevision(ret=ret, revision=n, status=status, values=values, comment=comment, by=by), on)
            for ret, history in self.revisions
            for n, (status, values, comment, by, on) in enumerate(history, start=1)
        ]
        ReturnRevision.objects.bulk_create([r for r, _on in revisions], batch_size=2000)
        # "at" is set on creation to now; the history reads better on the days it happened.
        zone = timezone.get_current_timezone()
        for revision, on in revisions:
            hour = 8 + revision.revision * 2
            revision.at = datetime.datetime.combine(on, datetime.time(hour, 15 * (revision.ret_id % 4)), tzinfo=zone)
        ReturnRevision.objects.bulk_update([r for r, _on in revisions], ["at"], batch_size=1000)
        for g in self.gradings:
            g.ret_id = g.ret.pk
        Grading.objects.bulk_create(self.gradings, batch_size=500)
        content_type = ContentType.objects.get_for_model(Return)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    action="returns.return.created",
                    content_type=content_type,
                    object_id=str(ret.pk),
                    object_repr=str(ret)[:300],
                    changes={"demo": [None, "load_demo"], "status": [None, ret.status]},
                )
                for ret in self.returns
            ],
            batch_size=1000,
        )


@transaction.atomic
def load(*, seed: int = SEED) -> dict:
    """Write the demo returns (after ``hoptac.registry.demo.load``); returns counts. No return may exist yet."""
    if Return.objects.exists():
        raise RuntimeError("returns already exist")
    annual = ReturnForm.objects.get(code="annual_htx")
    sheet = ReturnForm.objects.get(code=grading.GRADING_FORM)
    reviewer = User.objects.filter(username="canbo").first()
    own_accounts = set(User.objects.filter(role=Role.COOPERATIVE).values_list("organization_id", flat=True))
    writer = _Writer(reviewer)
    indicators = {}

    last_year: dict[int, tuple[dict, str]] = {}
    for year in YEARS:
        version = annual.version_for(year)
        specs = validation.specs_for(version)
        indicators.update({s.code: s.indicator for s in specs})
        for org in organizations_in_scope(annual, Period(year)).order_by("code"):
            rnd = random.Random(f"{seed}-{org.code}-{year}")
            if org.pk not in own_accounts and rnd.random() < MISSING:
                continue
            previous = last_year.get(org.pk)
            jump = previous is not None and rnd.random() < JUMPS
            values = (
                _next_year(previous[0], org, rnd, jump) if previous else _base(org, random.Random(f"{seed}-{org.code}"))
            )
            status = Status.APPROVED if org.pk in own_accounts else _status(rnd, year)
            flags = []
            if previous and previous[1] in validation.COMPARED_STATUSES:
                before = validation.Previous(SimpleNamespace(year=year - 1, quarter=None), previous[0])
                flags = validation.plausibility_flags(specs, values, before, annual.plausibility_factor)
            on_behalf = org.pk not in own_accounts and rnd.random() < ON_BEHALF
            writer.add(
                form=annual,
                version=version,
                org=org,
                year=year,
                status=status,
                values=values,
                rnd=rnd,
                specs=specs,
                flags=flags,
                on_behalf=on_behalf,
            )
            last_year[org.pk] = (values, status)

    # The 2020 grading sheets of the cooperatives (HTX), and the grades of the approved ones.
    year = YEARS[-1]
    version = sheet.version_for(year)
    specs = validation.specs_for(version)
    indicators.update({s.code: s.indicator for s in specs})
    orgs = list(organizations_in_scope(sheet, Period(year)).order_by("code"))
    events = defaultdict(list)
    for event in LifecycleEvent.objects.filter(organization__in=[o.pk for o in orgs]):
        events[event.organization_id].append(event)
    grades: dict[str, int] = defaultdict(int)
    for org in orgs:
        rnd = random.Random(f"{seed}-{org.code}-grading")
        if org.pk not in own_accounts and rnd.random() < MISSING * 1.5:
            continue
        scores = _scores(specs, rnd)
        status = Status.APPROVED if org.pk in own_accounts or rnd.random() < 0.88 else Status.SUBMITTED
        ret = writer.add(
            form=sheet, version=version, org=org, year=year, status=status, values=scores, rnd=rnd, specs=specs
        )
        if status == Status.APPROVED:
            total = sum(scores.values())
            grade, reason = grading.grading_result(org, year, total, events[org.pk])
            writer.gradings.append(
                Grading(organization=org, year=year, ret=ret, total=total, grade=grade, not_graded_reason=reason)
            )
            grades[grade] += 1

    writer.write(indicators)
    by_status = defaultdict(int)
    for ret in writer.returns:
        by_status[f"{ret.form.code}:{ret.year}:{ret.status}"] += 1
    return {
        "returns": len(writer.returns),
        "values": sum(len(v) for _r, v in writer.values),
        "flagged": sum(1 for r in writer.returns if r.flags),
        "late": sum(1 for r in writer.returns if r.submitted_on and r.submitted_on > r.due_on()),
        "grades": {str(g): n for g, n in sorted(grades.items())},
        "by_status": dict(sorted(by_status.items())),
    }
