"""The support fund of the demo register: capital and loans around the Q1-2021 report.

The alliance's report (seeds/000) says: "Tiếp nhận, triển khai nguồn vốn cấp … 3.000.000.000đ.
Tổng nguồn vốn Quỹ đến nay 15/3/2021 là 17.547 triệu đồng; tổng số dự án đang vay 49 dự án
với số tiền 14.450 triệu đồng." On 15/03/2021 the demo has exactly that: capital of
17.547.000.000đ (the provincial budget since 2010, retained interest every year, and the
VCA allocation of 3.000.000.000đ on 22/01/2021), and 49 loans with 14.450.000.000đ
outstanding, seven of them in arrears (1–30, 31–90, 91–180 and over 180 days). Around them:
loans since 2016 repaid and closed before 2021 (some early, one after arrears, a few to
cooperative groups under the 2015 rules), Covid-19 arrears caught up in 2020, a loan in
two tranches, rescheduling, a partial prepayment, a payoff, a write-off after the borrower
was dissolved, new loans up to 2025, rejected and pending applications.

Two steps, like the registry demo: ``plan`` decides every loan in memory (borrower,
project, dates, amounts, and how the borrower pays: on time, late from a date until a
catch-up, partly, ahead), so the outstanding on the report day is known before anything is
written — every loan but one is planned, and the last, disbursed in March 2021 with
nothing due yet, takes the rest. ``load`` writes the plan through the services
(applications, appraisals, decisions, contracts, disbursements, every irregular payment,
rescheduling, write-off). The on-time instalments, thousands of them, are written with
``bulk_create``: a payment of exactly one instalment on its due date by a borrower who owes
nothing else is split by the allocation rule into that instalment's interest and
principal, so the rows and audit entries are the ones the service would write (a test
replays loans through the service and compares). ``load`` ends by checking the report's
figures with ``fund_statement`` and fails if they differ.

Events stop at the registry demo's last day; borrowers who pay on time go on paying up to
the day the demo is loaded, so today's arrears are the late borrowers only.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hoptac.core.formatting import vi_date, vi_money
from hoptac.core.models import AuditEntry, Department, Role, User
from hoptac.registry.demo import DEMO_PASSWORD
from hoptac.registry.demo_plan import DEFAULT_SEED, LAST_DAY, REPORT_DAY
from hoptac.registry.models import Organization, OrgKind, Status

from . import schedule as sched
from . import services
from .models import CapitalSource, Loan, LoanProduct, LoanStatus, Repayment, SourceKind
from .selectors import fund_statement, lines_in_force, loans_with_money, position

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
MONTH = datetime.timedelta(days=31)  # "a month or so" in planning; schedules use add_months
MILLION = 1_000_000

CAPITAL_ON_REPORT_DAY = 17_547_000_000
LOANS_ON_REPORT_DAY = 49
OUTSTANDING_ON_REPORT_DAY = 14_450_000_000
VCA_ALLOCATION = (D(2021, 1, 22), 3_000_000_000, "QĐ số 37/QĐ-LMHTXVN")

# ---------------------------------------------------------------- capital

SOURCES = {
    "budget": ("Ngân sách tỉnh", SourceKind.PROVINCIAL_BUDGET, "Vốn điều lệ UBND tỉnh cấp từ ngân sách tỉnh."),
    "vca": (
        "Liên minh HTX Việt Nam cấp",
        SourceKind.VCA_ALLOCATION,
        "Vốn Liên minh HTX Việt Nam cấp cho Liên minh HTX tỉnh để cho vay.",
    ),
    "entrusted": (
        "Liên minh HTX Việt Nam ủy thác",
        SourceKind.VCA_ENTRUSTMENT,
        "Vốn Quỹ Hỗ trợ phát triển HTX Việt Nam ủy thác cho vay qua Quỹ tỉnh.",
    ),
    "interest": ("Lãi bổ sung vốn", SourceKind.RETAINED_INTEREST, "Phần lãi cho vay để lại bổ sung vốn hằng năm."),
}
CAPITAL = [
    ("budget", D(2010, 6, 15), 5_000_000_000, "QĐ số 812/QĐ-UBND", "Vốn điều lệ ban đầu khi thành lập Quỹ"),
    ("budget", D(2012, 8, 20), 1_500_000_000, "QĐ số 1126/QĐ-UBND", "Cấp bổ sung vốn điều lệ"),
    ("budget", D(2014, 7, 10), 1_500_000_000, "QĐ số 905/QĐ-UBND", "Cấp bổ sung vốn điều lệ"),
    ("budget", D(2016, 9, 5), 2_000_000_000, "QĐ số 1347/QĐ-UBND", "Cấp bổ sung vốn điều lệ"),
    ("budget", D(2018, 6, 18), 1_000_000_000, "QĐ số 788/QĐ-UBND", "Cấp bổ sung vốn điều lệ"),
    ("budget", D(2019, 10, 8), 1_000_000_000, "QĐ số 1502/QĐ-UBND", "Cấp bổ sung vốn điều lệ"),
    ("vca", *VCA_ALLOCATION, "Tiếp nhận nguồn vốn cấp cho Liên minh HTX tỉnh cho vay"),
    ("budget", D(2023, 4, 12), 2_000_000_000, "QĐ số 455/QĐ-UBND", "Cấp bổ sung vốn điều lệ"),
    ("entrusted", D(2024, 3, 20), 2_000_000_000, "HĐ ủy thác số 15/2024/HĐUT", "Vốn ủy thác cho vay HTX nông nghiệp"),
]
# Booked on 31/12 of each year; up to 2020 they bring the capital to the report's figure.
RETAINED = {
    2011: 200_000_000,
    2012: 240_000_000,
    2013: 265_000_000,
    2014: 290_000_000,
    2015: 302_000_000,
    2016: 70_000_000,  # lending under the 2015 rules started that year
    2017: 200_000_000,
    2018: 240_000_000,
    2019: 320_000_000,
    2020: 420_000_000,
    2021: 520_000_000,
    2022: 540_000_000,
    2023: 580_000_000,
    2024: 560_000_000,
    2025: 520_000_000,
}

# ---------------------------------------------------------------- products

PRODUCTS = {
    "QHT-2015": dict(
        name="Cho vay hỗ trợ HTX, THT (Quy chế năm 2015)",
        eligible_kinds=[OrgKind.HTX, OrgKind.LHHTX, OrgKind.THT],
        max_amount=1_000_000_000,
        max_term_months=36,
        annual_rate=Decimal("6.6"),
        principal_every_months=6,
        grace_months=0,
        active=False,
    ),
    "QHT-2019": dict(
        name="Cho vay đầu tư phát triển sản xuất, kinh doanh của HTX (Quy chế năm 2019)",
        max_amount=2_000_000_000,
        max_term_months=60,
        annual_rate=Decimal("7.2"),
        principal_every_months=3,
        grace_months=6,
        active=False,
    ),
    "QHT-2022": dict(
        name="Cho vay hỗ trợ HTX theo Nghị định 45/2021/NĐ-CP",
        max_amount=2_000_000_000,
        max_term_months=60,
        annual_rate=Decimal("6.9"),
        principal_every_months=6,
        grace_months=6,
        active=True,
    ),
}


def product_on(day: datetime.date) -> str:
    """The product in force for a loan disbursed on day."""
    if day < D(2019, 7, 1):
        return "QHT-2015"
    return "QHT-2019" if day < D(2022, 7, 1) else "QHT-2022"


def terms_of(product: str, term: int) -> sched.Terms:
    spec = PRODUCTS[product]
    return sched.Terms(
        annual_rate=spec["annual_rate"],
        term_months=term,
        principal_every=spec["principal_every_months"],
        interest_every=1,
        grace_months=spec["grace_months"],
    )


# ---------------------------------------------------------------- projects

# (words in the borrower's name, projects, collateral); the first match wins.
PROJECTS = [
    (
        ("vải",),
        [
            "Đầu tư hệ thống tưới nhỏ giọt cho vùng vải thiều",
            "Xây dựng kho lạnh bảo quản vải thiều",
            "Đầu tư dây chuyền sơ chế, đóng gói vải thiều xuất khẩu",
            "Mở rộng vùng trồng vải thiều theo tiêu chuẩn VietGAP",
        ],
        "kho lạnh và thiết bị hình thành từ vốn vay",
    ),
    (
        ("gà",),
        [
            "Mở rộng chuồng trại chăn nuôi gà đồi",
            "Đầu tư lò ấp trứng và hệ thống chuồng nuôi gà đồi",
            "Xây dựng cơ sở giết mổ, sơ chế gà đồi Yên Thế",
        ],
        "chuồng trại và quyền sử dụng đất của thành viên Hội đồng quản trị",
    ),
    (
        ("rau",),
        [
            "Xây dựng kho lạnh bảo quản rau quả",
            "Xây dựng nhà lưới sản xuất rau an toàn",
            "Đầu tư hệ thống tưới phun sương cho vùng rau an toàn",
        ],
        "nhà lưới, kho lạnh hình thành từ vốn vay",
    ),
    (
        ("lúa", "dịch vụ nông nghiệp", "thủy nông"),
        [
            "Mua máy gặt đập liên hợp",
            "Đầu tư lò sấy và máy xay xát gạo",
            "Mua máy cấy, máy làm đất phục vụ thành viên",
            "Xây dựng kho chứa vật tư nông nghiệp",
        ],
        "máy móc hình thành từ vốn vay",
    ),
    (("cam", "bưởi"), ["Mở rộng vùng trồng cam, bưởi theo tiêu chuẩn VietGAP"], "quyền sử dụng đất vườn cây"),
    (("tiêu thụ na",), ["Đầu tư hệ thống tưới và nhà sơ chế na"], "quyền sử dụng đất vườn cây"),
    (("lâm nghiệp",), ["Mở rộng vườn ươm giống cây lâm nghiệp", "Đầu tư xưởng sơ chế gỗ rừng trồng"], "nhà xưởng"),
    (("thủy sản", "nuôi cá"), ["Cải tạo ao nuôi, mua máy sục khí nuôi cá", "Đầu tư nuôi cá lồng"], "lồng bè, máy móc"),
    (
        ("chăn nuôi",),
        [
            "Xây dựng chuồng trại chăn nuôi lợn an toàn sinh học",
            "Đầu tư hầm biogas và hệ thống xử lý chất thải chăn nuôi",
        ],
        "chuồng trại hình thành từ vốn vay",
    ),
    (("nấm",), ["Xây dựng nhà xưởng trồng nấm và lò hấp phôi"], "nhà xưởng hình thành từ vốn vay"),
    (("nuôi ong",), ["Mua thùng ong và dây chuyền lọc, đóng chai mật ong"], "thiết bị hình thành từ vốn vay"),
    (("dược liệu",), ["Mở rộng vùng trồng dược liệu và lò sấy dược liệu"], "lò sấy, quyền sử dụng đất"),
    (("công nghệ cao",), ["Xây dựng nhà màng trồng dưa lưới, rau thủy canh"], "nhà màng hình thành từ vốn vay"),
    (("nông sản",), ["Đầu tư cửa hàng và xe vận chuyển nông sản an toàn"], "xe ô tô hình thành từ vốn vay"),
    (("mây tre",), ["Mở rộng xưởng sản xuất hàng mây tre đan xuất khẩu"], "nhà xưởng"),
    (("bánh đa",), ["Đầu tư máy tráng và lò sấy bánh đa Kế"], "máy móc hình thành từ vốn vay"),
    (("rượu",), ["Đầu tư hệ thống chưng cất và kho ủ rượu làng Vân"], "nhà xưởng, thiết bị"),
    (("mỳ",), ["Đầu tư dây chuyền sản xuất và lò sấy mỳ Chũ"], "dây chuyền hình thành từ vốn vay"),
    (("chế biến",), ["Đầu tư dây chuyền sấy khô nông sản"], "dây chuyền hình thành từ vốn vay"),
    (("cơ khí",), ["Mua máy tiện, máy hàn phục vụ sửa chữa máy nông nghiệp"], "máy móc"),
    (("may mặc",), ["Mua máy may công nghiệp, mở rộng xưởng may"], "máy móc hình thành từ vốn vay"),
    (("mộc",), ["Mua máy chế biến gỗ cho xưởng mộc"], "máy móc hình thành từ vốn vay"),
    (("xây dựng",), ["Mua máy xúc, máy trộn bê tông phục vụ xây dựng giao thông nông thôn"], "máy móc"),
    (("chợ",), ["Cải tạo, nâng cấp ki-ốt chợ"], "quyền khai thác ki-ốt"),
    (("du lịch",), ["Đầu tư nhà nghỉ cộng đồng phục vụ du lịch"], "nhà nghỉ hình thành từ vốn vay"),
    (("vận tải",), ["Mua xe khách 29 chỗ", "Mua xe tải chở hàng nông sản"], "xe ô tô hình thành từ vốn vay"),
    (("vệ sinh", "rác"), ["Mua xe chuyên dùng thu gom rác thải"], "xe chuyên dùng hình thành từ vốn vay"),
    (("nước sạch",), ["Nâng cấp trạm cấp nước sạch nông thôn"], "trạm cấp nước"),
    (("tổng hợp", "thương mại"), ["Xây dựng kho hàng và cửa hàng vật tư nông nghiệp"], "kho hàng"),
]
OTHER_PROJECTS = ["Mua sắm máy móc, thiết bị phục vụ thành viên", "Đầu tư mở rộng sản xuất, kinh doanh"]


def project_for(org: Organization, rnd: random.Random) -> tuple[str, str]:
    name = f" {org.name.lower()} "
    for words, projects, collateral in PROJECTS:
        if any(f" {word} " in name for word in words):
            return rnd.choice(projects), collateral
    return rnd.choice(OTHER_PROJECTS), "tài sản của HTX và quyền sử dụng đất của thành viên"


# ---------------------------------------------------------------- the plan


@dataclass
class LoanPlan:
    """One loan as the demo intends it, before anything is written."""

    group: str  # closed (repaid before 2021), report (outstanding on 15/03/2021), later, rejected, pending
    product: str
    term: int
    disbursed_on: datetime.date  # the first tranche (for an application that is not lent, a reference day)
    borrower: Organization | None = None
    amount: int = 0
    kinds: tuple = (OrgKind.HTX,) * 12 + (OrgKind.LHHTX,)  # drawn from, so mostly cooperatives
    split: list[float] = field(default_factory=lambda: [1.0])  # tranche shares
    gaps: list[int] = field(default_factory=list)  # days from the first tranche to each later one
    # From each start the borrower pays nothing until the catch-up day (None: never).
    misses: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    acts: list[tuple[datetime.date, str, float]] = field(default_factory=list)  # partial, prepay, payoff, ...
    ends_by: datetime.date | None = None  # the borrower must be active until then (default: the loan's end)
    project: str = ""
    collateral: str = ""
    project_cost: int = 0
    applied_on: datetime.date | None = None
    appraised_on: datetime.date | None = None
    decided_on: datetime.date | None = None
    contract_on: datetime.date | None = None
    code: str = ""
    decision: str = ""
    contract: str = ""
    documents: list[str] = field(default_factory=list)

    @property
    def terms(self) -> sched.Terms:
        return terms_of(self.product, self.term)

    @property
    def tranches(self) -> list[tuple[datetime.date, int]]:
        return self.tranches_of(self.amount)

    def tranches_of(self, amount: int) -> list[tuple[datetime.date, int]]:
        amounts = [int(amount * share) // (10 * MILLION) * 10 * MILLION for share in self.split[:-1]]
        amounts.append(amount - sum(amounts))
        days = [self.disbursed_on] + [self.disbursed_on + datetime.timedelta(days=g) for g in self.gaps]
        return list(zip(days, amounts, strict=True))

    @property
    def maturity(self) -> datetime.date:
        extra = sum(int(arg) for _day, kind, arg in self.acts if kind == "reschedule")
        return sched.add_months(self.disbursed_on, self.term + extra)


def planned_lines(plan: LoanPlan, amount: int) -> list[sched.Line]:
    """The schedule the services will build for the plan's tranches (of amount in all), paid on time."""
    tranches = plan.tranches_of(amount)
    first = tranches[0][0]
    lines = sched.build(tranches[0][1], first, plan.terms)
    for i, (day, _amount) in enumerate(tranches[1:], start=2):
        paid = sum(line.principal for line in lines if line.due_on <= day)
        lines = sched.rebuild(
            terms=plan.terms,
            first_disbursed_on=first,
            disbursements=tranches[:i],
            past=lines,
            effective_on=day,
            principal_paid=paid,
        )
    return lines


def principal_paid(plan: LoanPlan, lines: list[sched.Line], day: datetime.date) -> int:
    """Principal the plan's borrower has repaid by day: every instalment due except those still missed."""

    def missed(due: datetime.date) -> bool:
        return any(start <= due and (back is None or back > day) for start, back in plan.misses)

    return sum(line.principal for line in lines if line.due_on <= day and not missed(line.due_on))


class Borrowers:
    """The demo register's cooperatives, unions and groups, and when each was operating."""

    def __init__(self):
        self.orgs = list(
            Organization.objects.filter(kind__in=[OrgKind.HTX, OrgKind.LHHTX, OrgKind.THT], archived_on__isnull=True)
            .select_related("commune")
            .prefetch_related("events")
            .order_by("code")
        )
        self.changes = {
            org.pk: sorted((e.on, e.pk, e.status_after) for e in org.events.all() if e.status_after)
            for org in self.orgs
        }
        self.free_from: dict[int, datetime.date] = {}

    def active_throughout(self, org: Organization, start: datetime.date, end: datetime.date) -> bool:
        if org.founded_on > start:
            return False
        status = Status.ACTIVE
        for on, _pk, after in self.changes[org.pk]:
            if on <= start:
                status = after
            elif on <= end and after != Status.ACTIVE:
                return False
        return status == Status.ACTIVE

    def ended(self, org: Organization, after: datetime.date, before: datetime.date) -> datetime.date | None:
        """The first day after `after` on which org stopped operating, if before `before`."""
        for on, _pk, status in self.changes[org.pk]:
            if after < on <= before and status != Status.ACTIVE:
                return on
        return None

    def candidates(self, kinds, start: datetime.date, end: datetime.date) -> list[Organization]:
        # A year of operation before the application, and no other loan of the fund at the time.
        year_before = start - datetime.timedelta(days=365)
        return [
            org
            for org in self.orgs
            if org.kind in kinds
            and self.free_from.get(org.pk, D(1900, 1, 1)) < start
            and self.active_throughout(org, year_before, end)
        ]


class Planner:
    def __init__(self, seed: int, horizon: datetime.date):
        self.rnd = random.Random(seed * 7907 + 45)
        self.horizon = horizon
        self.borrowers = Borrowers()
        self.plans: list[LoanPlan] = []

    def day_between(self, first: datetime.date, last: datetime.date, avoid_15: bool = True) -> datetime.date:
        """A working day in [first, last], on day 1–28 of its month (so due dates never clamp)."""
        span = (last - first).days
        for _ in range(100):
            day = first + datetime.timedelta(days=self.rnd.randint(0, span))
            if day.weekday() < 5 and day.day <= 28 and not (avoid_15 and day.day == 15):
                return day
        raise ValueError(f"no working day in {first}..{last}")

    def amount(self, low: int, high: int, step: int = 10 * MILLION) -> int:
        value = low * (high / low) ** self.rnd.random()
        return max(step, int(round(value / step)) * step)

    # -------------------------------------------------------------- groups

    def closed(self) -> None:
        """Loans of 2016–2018 under the 2015 rules, all repaid by the end of 2020."""
        closed = []
        for i in range(20):
            tht = i % 7 == 3
            term = 24 if tht or self.rnd.random() < 0.3 else 36
            first, last = (D(2016, 1, 11), D(2016, 12, 20)) if i < 11 else (D(2017, 1, 9), D(2017, 10, 31))
            plan = LoanPlan("closed", "QHT-2015", term, self.day_between(first, last))
            if tht:
                plan.kinds = (OrgKind.THT,)
                plan.amount = self.amount(100 * MILLION, 300 * MILLION)
            else:
                plan.amount = self.amount(250 * MILLION, 900 * MILLION)
            closed.append(plan)
        for _ in range(5):  # two-year loans of 2018, repaid by 2020
            plan = LoanPlan("closed", "QHT-2015", 24, self.day_between(D(2018, 1, 8), D(2018, 12, 20)))
            plan.amount = self.amount(250 * MILLION, 800 * MILLION)
            closed.append(plan)
        closed.sort(key=lambda p: p.disbursed_on)
        # One fell behind after the 2018 floods and caught up before the harvest.
        late = self.rnd.choice([p for p in closed if p.maturity > D(2018, 12, 1)])
        start = next(ln.due_on for ln in planned_lines(late, late.amount) if ln.due_on >= D(2018, 6, 1))
        late.misses.append((start, start + datetime.timedelta(days=75)))
        # Two paid off early, after at least a third of the term.
        for plan in self.rnd.sample([p for p in closed if p is not late and p.kinds != (OrgKind.THT,)], 2):
            earliest = sched.add_months(plan.disbursed_on, plan.term // 3)
            plan.acts.append((self.day_between(earliest, plan.maturity - 3 * MONTH), "payoff", 0))
        self.plans += closed

    def report(self) -> None:
        """The 49 loans outstanding on 15/03/2021; the last one's amount makes the total exact."""
        plans = []
        for _ in range(16):
            plans.append(LoanPlan("report", "QHT-2015", 36, self.day_between(D(2018, 3, 19), D(2019, 6, 20))))
        for _ in range(28):
            day = self.day_between(D(2019, 7, 8), D(2020, 12, 18))
            plans.append(LoanPlan("report", "QHT-2019", self.rnd.choice([36, 36, 36, 48, 48, 60]), day))
        for _ in range(4):  # the VCA allocation of 22/01/2021 lent out in the quarter
            day = self.day_between(D(2021, 1, 26), D(2021, 2, 26))
            plans.append(LoanPlan("report", "QHT-2019", self.rnd.choice([36, 48, 60]), day))
        plans.sort(key=lambda p: p.disbursed_on)
        last = LoanPlan("report", "QHT-2019", self.rnd.choice([36, 48]), self.day_between(D(2021, 3, 1), D(2021, 3, 5)))

        pool = list(plans)

        def take(condition) -> LoanPlan:
            chosen = self.rnd.choice([p for p in pool if condition(p)])
            pool.remove(chosen)
            return chosen

        def first_due(plan: LoanPlan, on_or_after: datetime.date) -> datetime.date:
            return next(ln.due_on for ln in planned_lines(plan, 600 * MILLION) if ln.due_on >= on_or_after)

        # Two tranches, the second before any principal falls due.
        two = take(lambda p: p.product == "QHT-2019" and D(2019, 9, 1) <= p.disbursed_on <= D(2020, 9, 1))
        two.split, two.gaps = [0.6, 0.4], [self.rnd.randint(60, 150)]
        # Arrears on the report day, one bucket each and three just late.
        for _ in range(3):
            plan = take(lambda p: p.disbursed_on < D(2021, 1, 10))
            start = first_due(plan, D(2021, 2, 14))
            plan.misses.append((start, D(2021, 4, self.rnd.randint(5, 28))))
        plan = take(lambda p: p.disbursed_on < D(2020, 10, 1))
        plan.misses.append((first_due(plan, D(2020, 12, 20)), D(2021, 5, 20)))
        plan.acts.append((D(2021, 6, 1), "reschedule", 12))
        plan = take(lambda p: p.disbursed_on < D(2020, 10, 1))
        plan.misses.append((first_due(plan, D(2020, 12, 20)), D(2021, 4, 27)))
        plan = take(lambda p: p.disbursed_on < D(2020, 8, 1))
        start = first_due(plan, D(2020, 10, 15))
        plan.misses.append((start, D(2021, 8, 18)))
        plan.acts.append((D(2021, 1, 12), "partial", 0.6))
        bad = take(lambda p: p.disbursed_on < D(2020, 5, 1))
        bad.misses.append((first_due(bad, D(2020, 7, 1)), None))
        bad.acts += [(D(2020, 12, 8), "partial", 0.5), (D(2021, 7, 6), "partial", 0.8)]
        bad.ends_by = D(2021, 6, 30)
        # Covid-19 in 2020: missed a few months, caught up before the report.
        for back in (D(2020, 7, 10), D(2020, 9, 22)):
            plan = take(lambda p: p.disbursed_on < D(2020, 2, 1))
            plan.misses.append((first_due(plan, D(2020, 4, 1)), back))
        # Later years: a partial prepayment, a payoff, and two that stop paying in 2025.
        plan = take(lambda p: p.maturity > D(2023, 6, 1))
        plan.acts.append((self.day_between(D(2022, 3, 1), D(2022, 6, 30)), "prepay", 0.3))
        plan = take(lambda p: p.maturity > D(2023, 12, 1) and p.disbursed_on < D(2021, 1, 1))
        plan.acts.append((self.day_between(D(2023, 3, 1), D(2023, 6, 30)), "payoff", 0))
        for start in (D(2025, 3, 1), D(2025, 9, 1)):
            # Among the latest loans, made for five years.
            plan = take(lambda p: p.disbursed_on >= D(2020, 11, 1) and not p.misses and not p.acts)
            plan.term = 60
            plan.misses.append((first_due(plan, start), None))

        self.amounts(plans, last)
        self.plans += plans + [last]

    def amounts(self, plans: list[LoanPlan], last: LoanPlan) -> None:
        """Amounts such that the outstanding on the report day is a whole million per loan, the last taking the rest.

        Each amount is a multiple of its number of principal instalments (in millions), so
        every instalment is a round figure and what is left after k of them too.
        """
        fractions, steps = [], []
        for plan in plans:
            n = sum(1 for _d, is_principal, _i in sched.grid(plan.disbursed_on, plan.terms) if is_principal)
            nominal = n * 1000 * MILLION
            left = nominal - principal_paid(plan, planned_lines(plan, nominal), REPORT_DAY)
            fractions.append(Fraction(left, nominal))
            steps.append(n * 10 // math.gcd(n, 10) * MILLION)
        raw = [self.amount(250 * MILLION, 1_200 * MILLION) for _ in plans]
        rest = self.rnd.randint(50, 90) * 10 * MILLION
        scale = Fraction(OUTSTANDING_ON_REPORT_DAY - rest) / sum(a * f for a, f in zip(raw, fractions, strict=True))
        lows, highs = [], []
        for plan, a, step in zip(plans, raw, steps, strict=True):
            lows.append(step * math.ceil(150 * MILLION / step))
            highs.append(PRODUCTS[plan.product]["max_amount"] // step * step)
            plan.amount = min(highs[-1], max(lows[-1], round(a * scale / step) * step))

        def outstanding() -> int:
            total = sum(p.amount * f for p, f in zip(plans, fractions, strict=True))
            assert total.denominator == 1  # every loan's outstanding is whole đồng, as planned
            return int(total)

        # Nudge the amounts until what is left for the last loan is a plausible loan.
        turn = 0
        while not 400 * MILLION <= OUTSTANDING_ON_REPORT_DAY - outstanding() <= 1_200 * MILLION:
            too_much = OUTSTANDING_ON_REPORT_DAY - outstanding() < 400 * MILLION
            movable = [
                i
                for i in range(len(plans))
                if (plans[i].amount - steps[i] >= lows[i] if too_much else plans[i].amount + steps[i] <= highs[i])
            ]
            movable.sort(key=lambda i: plans[i].amount, reverse=too_much)
            i = movable[turn % min(10, len(movable))]
            plans[i].amount += -steps[i] if too_much else steps[i]
            turn += 1
        last.amount = OUTSTANDING_ON_REPORT_DAY - outstanding()

    def later(self) -> None:
        """New loans from April 2021 to 2025; a few are late on the day the demo is loaded."""
        plans = []
        for year, count in ((2021, 5), (2022, 6), (2023, 7), (2024, 7), (2025, 6)):
            for _ in range(count):
                first = max(D(year, 1, 5), D(2021, 4, 5))
                day = self.day_between(first, min(D(year, 11, 28), LAST_DAY, self.horizon))
                product = product_on(day)
                plan = LoanPlan("later", product, self.rnd.choice([36, 48, 60]), day)
                plan.amount = self.amount(300 * MILLION, 1_500 * MILLION)
                plans.append(plan)
        plans.sort(key=lambda p: p.disbursed_on)
        plans[1].split, plans[1].gaps = [0.5, 0.5], [self.rnd.randint(45, 120)]
        plans[7].misses.append((D(2023, 2, 1), D(2023, 5, 16)))
        plans[12].acts.append((self.day_between(D(2024, 2, 1), D(2024, 5, 31)), "payoff", 0))
        # Late on the day the demo is loaded: one instalment, and two months.
        running = [
            p
            for p in plans
            if p.maturity > self.horizon + 3 * MONTH and p.disbursed_on < D(2025, 1, 1) and not p.acts and not p.misses
        ]
        for plan, back in zip(running[:2], (1, 2), strict=False):
            dues = [ln.due_on for ln in planned_lines(plan, plan.amount) if ln.due_on < self.horizon]
            plan.misses.append((dues[-back], None))
        self.plans += plans

    def applications(self) -> None:
        """Applications that were rejected, and two still being considered at the end of 2025."""
        for day in (D(2019, 3, 12), D(2023, 8, 9)):
            amount = self.amount(500 * MILLION, 2_000 * MILLION)
            self.plans.append(LoanPlan("rejected", product_on(day), 36, day, amount=amount))
        for day in (D(2025, 12, 3), D(2025, 12, 17)):
            if day <= self.horizon:
                amount = self.amount(400 * MILLION, 1_500 * MILLION)
                self.plans.append(LoanPlan("pending", "QHT-2022", 48, day, amount=amount))

    # -------------------------------------------------------------- borrowers and papers

    def borrower(self, plan: LoanPlan) -> None:
        applied = plan.disbursed_on - datetime.timedelta(days=60)
        if plan.group in ("rejected", "pending"):
            end = plan.disbursed_on
        else:
            end = min(self.horizon, LAST_DAY, plan.ends_by or plan.maturity + MONTH)
        candidates = self.borrowers.candidates(set(plan.kinds), applied, end)
        if not candidates:
            raise RuntimeError(f"no borrower for a loan of {plan.disbursed_on}: the demo register is too small")
        if plan.ends_by:
            # The loan written off: a cooperative that stopped operating a year or two later.
            ending = [o for o in candidates if self.borrowers.ended(o, plan.ends_by, D(2024, 6, 30))]
            candidates = ending or candidates
        elif plan.group != "closed":
            # A cooperative that borrowed before comes back, as they do.
            returning = [o for o in candidates if o.pk in self.borrowers.free_from]
            if returning and self.rnd.random() < 0.5:
                candidates = returning
        kind = self.rnd.choice(plan.kinds)
        plan.borrower = self.rnd.choice([o for o in candidates if o.kind == kind] or candidates)
        if plan.group not in ("rejected", "pending"):
            self.borrowers.free_from[plan.borrower.pk] = end
        if plan.ends_by:
            stopped = self.borrowers.ended(plan.borrower, plan.ends_by, D(2024, 6, 30)) or D(2023, 3, 1)
            plan.acts.append((min(stopped + datetime.timedelta(days=120), LAST_DAY), "write_off", 0))

    def papers(self, plan: LoanPlan) -> None:
        rnd = self.rnd
        plan.project, plan.collateral = project_for(plan.borrower, rnd)
        share = Decimal(rnd.randint(55, 80)) / 100
        plan.project_cost = math.ceil(Decimal(plan.amount) / share / (10 * MILLION)) * 10 * MILLION
        plan.contract_on = _working(plan.disbursed_on - datetime.timedelta(days=rnd.randint(1, 6)))
        plan.decided_on = _working(plan.contract_on - datetime.timedelta(days=rnd.randint(2, 7)))
        plan.appraised_on = _working(plan.decided_on - datetime.timedelta(days=rnd.randint(5, 12)))
        plan.applied_on = _working(plan.appraised_on - datetime.timedelta(days=rnd.randint(7, 15)))

    def numbers(self) -> None:
        """Loan codes by year of application; decisions, contracts and payment orders numbered by year."""
        counters: dict[tuple[str, int], int] = {}

        def next_number(kind: str, year: int) -> int:
            counters[kind, year] = counters.get((kind, year), 0) + 1
            return counters[kind, year]

        for plan in sorted(self.plans, key=lambda p: p.applied_on):
            plan.code = f"VAY-{plan.applied_on.year}-{next_number('code', plan.applied_on.year):04d}"
        lent = [p for p in self.plans if p.group not in ("rejected", "pending")]
        for plan in sorted(lent, key=lambda p: p.decided_on):
            plan.decision = f"{next_number('decision', plan.decided_on.year):02d}/QĐ-QHT"
        for plan in sorted(lent, key=lambda p: p.contract_on):
            year = plan.contract_on.year
            plan.contract = f"{next_number('contract', year):02d}/{year}/HĐTD-QHT"
        tranches = sorted(((day, p.code, p) for p in lent for day, _a in p.tranches), key=lambda t: t[:2])
        for day, _code, plan in tranches:
            plan.documents.append(f"UNC số {next_number('unc', day.year):03d}/{day.year}")

    def generate(self) -> list[LoanPlan]:
        self.closed()
        self.report()
        self.later()
        self.applications()
        # Borrowers in the order the loans were made, so a cooperative's loans follow each other.
        for plan in sorted(self.plans, key=lambda p: p.disbursed_on):
            self.borrower(plan)
            self.papers(plan)
        self.numbers()
        return sorted(self.plans, key=lambda p: p.applied_on)


def _working(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= ONE_DAY
    return day


def plan(seed: int = DEFAULT_SEED, horizon: datetime.date | None = None) -> list[LoanPlan]:
    """Every loan of the demo fund, in memory: needs the demo register in the database."""
    return Planner(seed, horizon or timezone.localdate()).generate()


# ---------------------------------------------------------------- writing


class Writer:
    """Writes loan plans: the services for every decision and irregular payment, bulk for on-time instalments."""

    def __init__(self, staff: User, horizon: datetime.date, products: dict[str, LoanProduct]):
        self.staff = staff
        self.horizon = horizon
        self.products = products
        self.loan_type = ContentType.objects.get_for_model(Loan)
        self.repayments = 0

    def write(self, plan: LoanPlan) -> Loan:
        by = self.staff
        loan = services.loan_apply(
            borrower=plan.borrower,
            product=self.products[plan.product],
            code=plan.code,
            project_name=plan.project,
            purpose=(
                f"{plan.project}. Tổng mức đầu tư {vi_money(plan.project_cost)}, "
                f"vốn tự có {vi_money(plan.project_cost - plan.amount)}."
            ),
            amount=plan.amount,
            term_months=plan.term,
            on=plan.applied_on,
            by=by,
            project_cost=plan.project_cost,
            equity_amount=plan.project_cost - plan.amount,
        )
        if plan.group == "pending":
            if plan.disbursed_on.day < 10:  # the earlier one has been appraised
                services.loan_appraise(loan=loan, on=plan.appraised_on, text=self.appraisal(plan), by=by)
            return loan
        if plan.group == "rejected":
            services.loan_appraise(
                loan=loan,
                on=plan.appraised_on,
                text="Phương án sản xuất chưa chứng minh được đầu ra; vốn tự có chủ yếu là tài sản chưa định giá.",
                recommendation="reject",
                by=by,
            )
            services.loan_reject(
                loan=loan,
                reason="Phương án sản xuất, kinh doanh chưa khả thi; chưa đủ vốn đối ứng theo quy chế.",
                decision_on=plan.decided_on,
                by=by,
            )
            return loan
        services.loan_appraise(
            loan=loan, on=plan.appraised_on, text=self.appraisal(plan), recommendation="approve", by=by
        )
        services.loan_approve(
            loan=loan,
            amount=plan.amount,
            decision_number=plan.decision,
            decision_on=plan.decided_on,
            approver="Giám đốc Quỹ hỗ trợ phát triển HTX tỉnh Bắc Giang",
            by=by,
        )
        services.loan_contract(loan=loan, number=plan.contract, on=plan.contract_on, by=by)
        self.run(loan, plan)
        return loan

    def appraisal(self, plan: LoanPlan) -> str:
        equity = plan.project_cost - plan.amount
        return (
            f"Thẩm định tại cơ sở ngày {vi_date(plan.appraised_on)}. Dự án phù hợp ngành nghề đăng ký, "
            f"có thị trường tiêu thụ; vốn tự có {vi_money(equity)} "
            f"({equity * 100 // plan.project_cost}% tổng mức đầu tư). Tài sản bảo đảm: {plan.collateral}. "
            f"Đề nghị cho vay {vi_money(plan.amount)}, thời hạn {plan.term} tháng."
        )

    def run(self, loan: Loan, plan: LoanPlan) -> None:
        """The loan's money in date order: tranches and irregular events through the services, instalments in bulk."""
        tranches = plan.tranches
        day, amount = tranches[0]
        services.loan_disburse(loan=loan, amount=amount, on=day, by=self.staff, document=plan.documents[0])
        events = [
            (day, 0, "tranche", amount, doc)
            for (day, amount), doc in zip(tranches[1:], plan.documents[1:], strict=True)
        ]
        events += [(back, 1, "catch_up", 0, "") for _start, back in plan.misses if back]
        events += [(day, 2, kind, arg, "") for day, kind, arg in plan.acts]
        events = sorted(e for e in events if e[0] <= self.horizon)
        state = _Instalments(self, loan, plan)
        for day, _order, kind, arg, document in events:
            state.pay_until(day)
            if state.closed:  # repaid on schedule before the event
                break
            state.flush()
            self.event(state.loan, kind, day, arg, document)
            state.reload(day)
            if state.closed:  # paid off or written off
                break
        if not state.closed:
            state.pay_until(self.horizon)
        state.flush(last=True)

    def event(self, loan: Loan, kind: str, day: datetime.date, arg, document: str) -> None:
        by = self.staff
        if kind == "tranche":
            services.loan_disburse(loan=loan, amount=arg, on=day, by=by, document=document)
            return
        if kind == "reschedule":
            services.loan_reschedule(
                loan=loan,
                on=day,
                term_months=loan.term_months + int(arg),
                reason="Cơ cấu lại thời hạn trả nợ do ảnh hưởng của dịch Covid-19",
                by=by,
            )
            return
        if kind == "write_off":
            services.loan_write_off(
                loan=loan,
                on=day,
                reason="HTX đã giải thể, không còn tài sản để thu hồi nợ (Nghị quyết Hội đồng quản lý Quỹ).",
                by=by,
            )
            return
        pos = position(loan, day)
        owed_interest = max(0, pos.interest_due - pos.interest_paid)
        owed_principal = max(0, pos.principal_due - pos.principal_repaid)
        note = ""
        if kind == "catch_up":
            amount, note = owed_interest + owed_principal, "Trả nợ quá hạn"
        elif kind == "partial":
            oldest = next(ln for ln in lines_in_force(loan, day) if ln.due_on == pos.oldest_unpaid_on)
            amount = min(owed_interest, max(100_000, int(oldest.interest * arg) // 100_000 * 100_000))
            note = "Trả một phần lãi quá hạn"
        elif kind == "prepay":
            target = int(pos.outstanding * arg) // (10 * MILLION) * 10 * MILLION
            overdue, interest, _p, _prepaid = services.allocation(loan, day, target)
            amount, note = target + overdue + interest, "Trả trước một phần nợ gốc"
        else:  # payoff
            overdue, interest, _p, _prepaid = services.allocation(loan, day, owed_interest + pos.outstanding)
            amount, note = overdue + interest + pos.outstanding, "Tất toán khoản vay trước hạn"
        if amount > 0:
            services.repayment_record(loan=loan, on=day, amount=amount, by=by, note=note)
            self.repayments += 1


class _Instalments:
    """On-time instalments of one loan, kept until the next service call needs them in the database."""

    def __init__(self, writer: Writer, loan: Loan, plan: LoanPlan):
        self.writer, self.plan = writer, plan
        self.pending: list[Repayment] = []
        self.audit: list[AuditEntry] = []
        self.in_arrears = False
        self.closed = False
        self.reload(loan.disbursements.order_by("on").first().on, loan)

    def reload(self, day: datetime.date, loan: Loan | None = None) -> None:
        self.loan = loans_with_money(Loan.objects.filter(pk=(loan or self.loan).pk)).get()
        if self.loan.status != LoanStatus.ACTIVE:
            self.closed = True
            return
        pos = position(self.loan, day)
        self.outstanding = pos.outstanding
        self.cursor = day
        if pos.principal_due <= pos.principal_repaid and pos.interest_due <= pos.interest_paid:
            # Nothing owed: instalments are paid on time from here, one payment each, which
            # the allocation splits exactly into the instalment only if nothing was paid ahead.
            if (pos.principal_due, pos.interest_due) != (pos.principal_repaid, pos.interest_paid):
                raise RuntimeError(f"{self.loan.code} paid ahead on {day}: plan a larger prepayment")
            self.in_arrears = False
        self.lines = lines_in_force(self.loan, LAST_DAY + datetime.timedelta(days=10 * 366))

    def pay_until(self, day: datetime.date) -> None:
        """Pay every instalment due in (cursor, day] on its due date, unless the borrower is missing them."""
        day = min(day, self.writer.horizon)
        by_date: dict[datetime.date, list[sched.Line]] = {}
        for line in self.lines:
            if self.cursor < line.due_on <= day and line.total:
                by_date.setdefault(line.due_on, []).append(line)
        for due, lines in sorted(by_date.items()):
            if self.closed:
                break
            if any(start <= due and (back is None or due < back) for start, back in self.plan.misses):
                self.in_arrears = True
            if self.in_arrears:
                continue
            self.pay(due, sum(ln.interest for ln in lines), sum(ln.principal for ln in lines))
        self.cursor = max(self.cursor, day)

    def pay(self, due: datetime.date, interest: int, principal: int) -> None:
        loan, staff = self.loan, self.writer.staff
        self.pending.append(
            Repayment(
                loan=loan, on=due, amount=interest + principal, interest=interest, principal=principal, created_by=staff
            )
        )
        self.audit.append(
            AuditEntry(
                action="fund.loan.repaid",
                user=staff,
                content_type=self.writer.loan_type,
                object_id=str(loan.pk),
                object_repr=str(loan)[:300],
                changes={
                    "on": due.isoformat(),
                    "amount": interest + principal,
                    "overdue_interest": 0,
                    "interest": interest,
                    "principal": principal,
                },
            )
        )
        self.outstanding -= principal
        if self.outstanding == 0:
            self.closed = True
            self.closed_on = due

    def flush(self, last: bool = False) -> None:
        """Write the instalments paid so far (before a service reads the loan, and at the end)."""
        if not self.pending:
            return
        Repayment.objects.bulk_create(self.pending)
        AuditEntry.objects.bulk_create(self.audit)
        update = {"version": F("version") + len(self.pending)}
        if self.closed:
            update.update(status=LoanStatus.CLOSED, closed_on=self.closed_on)
        Loan.objects.filter(pk=self.loan.pk).update(**update)
        self.writer.repayments += len(self.pending)
        self.pending, self.audit = [], []
        if not last:
            self.loan = loans_with_money(Loan.objects.filter(pk=self.loan.pk)).get()  # with the payments just written


# ---------------------------------------------------------------- loading


def fund_staff() -> User:
    """The fund's demo officer, who records everything (created if missing, with the demo password)."""
    user = User.objects.filter(username="quy").first()
    if user is None:
        user = User(
            username="quy", role=Role.STAFF, department=Department.FUND, first_name="Hoàng Văn", last_name="Thắng"
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def load(*, seed: int = DEFAULT_SEED) -> dict:
    """Write the demo fund on top of the demo register; returns counts and the report day's figures."""
    if Loan.objects.exists() or CapitalSource.objects.exists():
        raise RuntimeError("the fund is not empty")
    today = timezone.localdate()
    staff = fund_staff()
    sources = {
        key: CapitalSource.objects.create(name=name, kind=kind, note=note, created_by=staff)
        for key, (name, kind, note) in SOURCES.items()
    }
    movements = list(CAPITAL) + [
        ("interest", D(year, 12, 31), amount, f"Báo cáo tài chính năm {year}", f"Lãi cho vay năm {year} bổ sung vốn")
        for year, amount in RETAINED.items()
    ]
    for key, on, amount, document, note in sorted(movements, key=lambda m: m[1]):
        if on <= today:
            services.capital_record(source=sources[key], on=on, amount=amount, by=staff, document=document, note=note)

    products = {}
    for code, spec in PRODUCTS.items():
        products[code] = LoanProduct.objects.create(
            code=code,
            interest_every_months=1,
            created_by=staff,
            **{"eligible_kinds": [OrgKind.HTX, OrgKind.LHHTX], **spec},
        )
    writer = Writer(staff, today, products)
    plans = plan(seed, today)
    for loan_plan in plans:
        writer.write(loan_plan)

    statement = fund_statement(as_of=REPORT_DAY, date_from=D(2021, 1, 1))
    figures = (statement.capital, statement.loans_outstanding, statement.outstanding)
    if figures != (CAPITAL_ON_REPORT_DAY, LOANS_ON_REPORT_DAY, OUTSTANDING_ON_REPORT_DAY):
        raise RuntimeError(f"the demo fund on {REPORT_DAY} is {figures}, not the report's figures")
    return {
        "loans": sum(1 for p in plans if p.group not in ("rejected", "pending")),
        "applications": len(plans),
        "repayments": writer.repayments,
        "capital": statement.capital,
        "loans_outstanding": statement.loans_outstanding,
        "outstanding": statement.outstanding,
    }
