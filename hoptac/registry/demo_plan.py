"""The first step of the demo register: plan it in memory, without writing anything.

``generate`` plans every organisation and its dated events around the figures of the
alliance's Q1-2021 report (see ``hoptac.registry.demo`` for what the demo holds), checking
each event against the same transition table the services use; ``demo.load`` then writes
the plan.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from hoptac.core.text import normalize
from hoptac.geo import selectors as geo
from hoptac.geo.models import REFORM_2025, AdminUnit, Level

from .demo_vocabulary import BRANDS, ELECTRICITY, LHHTX_SPECS, PRODUCTS, THT_PRODUCTS, VILLAGES, Product
from .models import STATUS_AFTER, EventKind, Law, OrgKind, Sector, Status
from .services import ALLOWED_FROM

DEFAULT_SEED = 2021
PROVINCE_CODE = "24"

REPORT_DAY = datetime.date(2021, 3, 15)  # the day of the Q1-2021 report's figures
QUARTER_START = datetime.date(2021, 1, 1)
LAW_2012 = datetime.date(2013, 7, 1)
LAW_2023 = datetime.date(2024, 7, 1)
# Demo events stop here, so the data do not depend on the day they are loaded.
LAST_DAY = datetime.date(2025, 12, 31)

# The report's figures and the sizes around them (HTX unless said otherwise).
ACTIVE_ON_REPORT_DAY = {OrgKind.HTX: 830, OrgKind.LHHTX: 6, OrgKind.QTDND: 20, OrgKind.THT: 152}
FOUNDED_IN_Q1_2021 = {OrgKind.HTX: 12, OrgKind.THT: 3}
HTX_ACTIVE_FATES = {  # of the HTX founded before 2021 and active on the report day
    "suspended_and_resumed": 24,
    "dissolved_2022": 14,
    "ended_later": 36,
    "suspended_later": 12,
    "dissolving_later": 8,
    "merged_later": 2,
}
HTX_INACTIVE_FATES = {  # HTX founded before 2021, not active on the report day
    "dissolved": 112,
    "revoked": 28,
    "dissolving": 12,
    "suspended": 8,
    "merged": 2,
}
HTX_DISSOLVED_IN_Q1_2021 = 4
ONE_DAY = datetime.timedelta(days=1)
RESOLVED_TO_DISSOLVE = "Đại hội thành viên thông qua nghị quyết giải thể"
REREGISTERED_NOTE = "Đăng ký lại theo Luật Hợp tác xã năm 2012"
HTX_FOUNDED_AFTER = {2021: 34, 2022: 41, 2023: 37, 2024: 33, 2025: 15}  # 2025: until 30/06
HTX_AFTER_REFORM = 9
THT_ENDED_BEFORE = 24
THT_ENDED_LATER = 10
THT_FOUNDED_AFTER = 38
THT_AFTER_REFORM = 3

# Where cooperatives are: the fruit and hill districts have the most.
DISTRICT_WEIGHTS = {
    "Huyện Lục Ngạn": 16,
    "Huyện Lục Nam": 13,
    "Huyện Yên Thế": 12,
    "Huyện Hiệp Hòa": 12,
    "Huyện Tân Yên": 12,
    "Huyện Lạng Giang": 9,
    "Huyện Việt Yên": 8,
    "Huyện Yên Dũng": 7,
    "Huyện Sơn Động": 6,
    "Thành phố Bắc Giang": 5,
}
SECTOR_WEIGHTS = {
    Sector.AGRICULTURE: 70,
    Sector.INDUSTRY: 8,
    Sector.CONSTRUCTION: 3,
    Sector.TRADE: 9,
    Sector.TRANSPORT: 4,
    Sector.ENVIRONMENT: 4,
    Sector.OTHER: 2,
}
# Founding years of the cooperatives still active in 2021: a wave of conversions after the
# 1996 law, a trickle under the 2003 law, and growth from 2017 with the provincial programme.
HTX_YEAR_WEIGHTS = {
    1997: 30,
    1998: 26,
    1999: 14,
    2000: 8,
    2001: 8,
    2002: 7,
    2003: 7,
    2004: 6,
    2005: 6,
    2006: 6,
    2007: 6,
    2008: 6,
    2009: 6,
    2010: 7,
    2011: 7,
    2012: 7,
    2013: 7,
    2014: 9,
    2015: 11,
    2016: 15,
    2017: 23,
    2018: 27,
    2019: 29,
    2020: 26,
}
DISSOLUTION_YEAR_WEIGHTS = {2013: 8, 2014: 14, 2015: 16, 2016: 18, 2017: 14, 2018: 10, 2019: 9, 2020: 8}


@dataclass
class Plan:
    """One organisation as the generator intends it, before it is written."""

    kind: str
    founded_on: datetime.date
    base: AdminUnit  # its commune in 2021, or the one it lies in: decides the area
    fate: str = "plain"
    sector: str = ""
    product: Product | None = None
    name: str = ""
    commune: AdminUnit | None = None
    events: list = field(default_factory=list)  # (kind, on, extra dict)
    member_from: datetime.date | None = None
    merged_into: "Plan | None" = None
    code: str = ""
    law: str = ""
    reregistered_on: datetime.date | None = None

    def add(self, kind: str, on: datetime.date, **extra) -> None:
        self.events.append((kind, on, extra))

    @property
    def end(self) -> datetime.date | None:
        """The day the organisation ended (dissolved, revoked, merged), if it did."""
        ends = [on for kind, on, _ in self.events if kind in (EventKind.DISSOLVED, EventKind.REVOKED, EventKind.MERGED)]
        return min(ends) if ends else None


class Geography:
    """Bắc Giang's units of every era, read once, and where a 2021 commune was on any day."""

    def __init__(self):
        units = geo.province_units(PROVINCE_CODE).select_related("parent", "parent__parent")
        self.units = {u.pk: u for u in units}
        self.successors = geo.successor_map()
        self.districts = list(
            AdminUnit.objects.valid_on(REPORT_DAY)
            .filter(level=Level.DISTRICT, parent__code=PROVINCE_CODE, parent__level=Level.PROVINCE)
            .order_by("code")
        )
        # Communes merged away in 2025 have no recorded successor yet, so they could not be
        # grouped "as now"; the demo keeps to those that can.
        communes = (
            AdminUnit.objects.valid_on(REPORT_DAY)
            .filter(level=Level.COMMUNE, parent__in=self.districts, current__isnull=False)
            .select_related("parent")
            .order_by("code")
        )
        self.communes = defaultdict(list)
        for commune in communes:
            self.communes[commune.parent_id].append(commune)
        missing = set(DISTRICT_WEIGHTS) - {d.name for d in self.districts}
        if missing or not communes:
            raise RuntimeError(f"the administrative units of Bắc Giang 2021 are not loaded ({sorted(missing)})")

    def on(self, base: AdminUnit, day: datetime.date) -> AdminUnit | None:
        """The unit base had become by day, if it existed then."""
        unit = self.units.get(geo.unit_on(base.pk, day, self.successors))
        return unit if unit is not None and unit.is_valid_on(day) else None

    def by_name(self, name: str) -> AdminUnit:
        for communes in self.communes.values():
            for commune in communes:
                if commune.name == name:
                    return commune
        raise KeyError(name)


def short_name(unit: AdminUnit) -> str:
    """ "Xã Tân Sỏi" -> "Tân Sỏi"; "Huyện Lục Ngạn" -> "Lục Ngạn"."""
    for word in ("Thành phố ", "Thị trấn ", "Thị xã ", "Phường ", "Huyện ", "Xã ", "Tỉnh "):
        if unit.name.startswith(word):
            return unit.name[len(word) :]
    return unit.name


def in_sentence(unit: AdminUnit) -> str:
    """A unit's name inside a sentence: "Huyện Tân Yên" -> "huyện Tân Yên"."""
    for word in ("Thành phố ", "Thị trấn ", "Thị xã ", "Phường ", "Huyện ", "Xã ", "Tỉnh "):
        if unit.name.startswith(word):
            return word.lower() + unit.name[len(word) :]
    return unit.name


class Generator:
    """Plans the demo register; see the module docstring."""

    def __init__(self, seed: int, geography: Geography):
        self.rnd = random.Random(seed)
        self.geo = geography
        self.plans: list[Plan] = []
        self.names: set[str] = set()
        self.district_weights = [(d, DISTRICT_WEIGHTS[d.name]) for d in self.geo.districts]

    # ------------------------------------------------------------ random helpers

    def pick(self, weighted):
        """An item of [(item, weight)]."""
        items, weights = zip(*weighted, strict=True)
        return self.rnd.choices(items, weights=weights)[0]

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        """A working day in [first, last] (any day if the range has none)."""
        if last < first:
            raise ValueError(f"empty range {first}..{last}")
        span = (last - first).days
        for _ in range(20):
            day = first + datetime.timedelta(days=self.rnd.randint(0, span))
            if day.weekday() < 5:
                return day
        return day

    def founding_day(self, weights: dict[int, int], before: datetime.date, after: datetime.date | None = None):
        """A founding day drawn by year weights, within (after, before)."""
        after = after or datetime.date(1996, 12, 31)
        years = [
            (y, w) for y, w in weights.items() if datetime.date(y, 1, 1) < before and datetime.date(y, 12, 31) > after
        ]
        year = self.pick(years)
        first = max(datetime.date(year, 1, 1), after + datetime.timedelta(days=1))
        last = min(datetime.date(year, 12, 31), before - datetime.timedelta(days=1))
        return self.day_between(first, last)

    def base_commune(self, district: AdminUnit | None = None) -> AdminUnit:
        district = district or self.pick(self.district_weights)
        return self.rnd.choice(self.geo.communes[district.pk])

    # ------------------------------------------------------------ plans

    def plan(self, kind: str, founded_on: datetime.date, base: AdminUnit | None = None, fate: str = "plain") -> Plan:
        base = base or self.base_commune()
        commune = self.geo.on(base, founded_on)
        while commune is None:  # merged away by then without a successor: found it elsewhere
            base = self.base_commune()
            commune = self.geo.on(base, founded_on)
        plan = Plan(kind=kind, founded_on=founded_on, base=base, fate=fate, commune=commune)
        self.plans.append(plan)
        return plan

    def generate(self) -> list[Plan]:
        self.htx()
        self.qtdnd()
        self.lhhtx()
        self.tht()
        for plan in self.plans:
            self.describe(plan)
            self.lifecycle_check(plan)
        self.assign_codes()
        self.memberships()
        return self.plans

    def htx(self) -> None:
        rnd = self.rnd
        # Active on the report day, founded before 2021.
        active = ACTIVE_ON_REPORT_DAY[OrgKind.HTX] - FOUNDED_IN_Q1_2021[OrgKind.HTX]
        fates = [f for f, n in HTX_ACTIVE_FATES.items() for _ in range(n)]
        fates += ["plain"] * (active - len(fates))
        rnd.shuffle(fates)
        for fate in fates:
            # A suspension and resumption before the report day needs a few years of life.
            before = datetime.date(2019, 7, 1) if fate == "suspended_and_resumed" else QUARTER_START
            plan = self.plan(OrgKind.HTX, self.founding_day(HTX_YEAR_WEIGHTS, before), fate=fate)
            self.reregistration(plan, rate=0.88)
            self.active_fate(plan)
        plain = [p for p in self.plans if p.fate == "plain"]
        for plan in (p for p in self.plans if p.fate == "merged_later"):
            on = self.day_between(datetime.date(2023, 1, 3), datetime.date(2024, 12, 27))
            plan.merged_into = self.merge_target(plan, plain, on)
            plan.add(EventKind.MERGED, on)

        # Founded in Q1 2021: the report's "12 HTX thành lập mới".
        for _ in range(FOUNDED_IN_Q1_2021[OrgKind.HTX]):
            self.plan(OrgKind.HTX, self.day_between(datetime.date(2021, 1, 4), datetime.date(2021, 3, 12)))

        # Founded before 2021 and no longer active on the report day.
        for fate, count in HTX_INACTIVE_FATES.items():
            for i in range(count):
                self.inactive(fate, in_q1_2021=(fate == "dissolved" and i < HTX_DISSOLVED_IN_Q1_2021), plain=plain)

        # Founded after the report day, up to the 2025 reform; then a few in the new communes.
        for year, count in HTX_FOUNDED_AFTER.items():
            first = max(datetime.date(year, 1, 2), REPORT_DAY + datetime.timedelta(days=1))
            last = datetime.date(year, 12, 30) if year < 2025 else REFORM_2025 - datetime.timedelta(days=1)
            for _ in range(count):
                plan = self.plan(OrgKind.HTX, self.day_between(first, last))
                roll = rnd.random()
                if roll < 0.04 and plan.founded_on < datetime.date(2024, 6, 1):
                    plan.fate = "dissolved_later"
                    plan.add(
                        EventKind.DISSOLVED,
                        self.day_between(
                            plan.founded_on + datetime.timedelta(days=400), LAST_DAY - datetime.timedelta(days=10)
                        ),
                        note="Giải thể tự nguyện theo nghị quyết Đại hội thành viên",
                    )
                elif roll < 0.06 and plan.founded_on < datetime.date(2025, 3, 1):
                    on = self.day_between(plan.founded_on + datetime.timedelta(days=200), LAST_DAY)
                    plan.add(EventKind.SUSPENDED, on, note="Tạm ngừng kinh doanh 12 tháng")
        for _ in range(HTX_AFTER_REFORM):
            self.plan(OrgKind.HTX, self.day_between(REFORM_2025, LAST_DAY - datetime.timedelta(days=5)))

    def merge_target(self, plan: Plan, candidates: list[Plan], on: datetime.date) -> Plan:
        older = [p for p in candidates if p.founded_on < on and p is not plan]
        same = [p for p in older if p.base.parent_id == plan.base.parent_id]
        return self.rnd.choice(same or older)

    def reregistration(self, plan: Plan, rate: float) -> None:
        """Cooperatives founded under the 2003 law re-registered under the 2012 law, most by 2016."""
        if plan.founded_on >= LAW_2012:
            return
        if self.rnd.random() < rate:
            if self.rnd.random() < 0.8:
                on = self.day_between(datetime.date(2013, 9, 3), datetime.date(2016, 6, 30))
            else:
                on = self.day_between(datetime.date(2016, 7, 1), datetime.date(2019, 12, 27))
        elif plan.fate == "plain" and self.rnd.random() < 0.3:
            # The laggards the Q1-2021 report mentions; some caught up after it.
            on = self.day_between(datetime.date(2021, 4, 5), datetime.date(2022, 12, 27))
        else:
            return
        plan.add(EventKind.RE_REGISTERED, on, law=Law.L2012, note=REREGISTERED_NOTE)

    def active_fate(self, plan: Plan) -> None:
        """Events of an HTX active on the report day, before and after it."""
        f, day = plan.fate, self.day_between
        if f == "suspended_and_resumed":
            start = max(plan.founded_on + datetime.timedelta(days=365), datetime.date(2014, 1, 2))
            suspended = day(start, datetime.date(2020, 6, 30))
            resumed = min(suspended + datetime.timedelta(days=self.rnd.randint(150, 400)), datetime.date(2021, 3, 5))
            plan.add(EventKind.SUSPENDED, suspended, note="Tạm ngừng kinh doanh 12 tháng")
            plan.add(
                EventKind.RESUMED,
                day(resumed - datetime.timedelta(days=3), resumed),
                note="Hoạt động trở lại theo thông báo",
            )
        elif f == "dissolved_2022":
            dissolved = day(datetime.date(2022, 2, 1), datetime.date(2022, 12, 20))
            if self.rnd.random() < 0.5:
                plan.add(
                    EventKind.DISSOLUTION_STARTED,
                    dissolved - datetime.timedelta(days=self.rnd.randint(60, 240)),
                    note=RESOLVED_TO_DISSOLVE,
                )
            plan.add(EventKind.DISSOLVED, dissolved, note="Giải thể tự nguyện")
        elif f == "ended_later":
            end = day(datetime.date(2023, 1, 3), datetime.date(2025, 12, 15))
            if self.rnd.random() < 0.75:
                if self.rnd.random() < 0.5:
                    plan.add(
                        EventKind.DISSOLUTION_STARTED,
                        end - datetime.timedelta(days=self.rnd.randint(60, 300)),
                        note=RESOLVED_TO_DISSOLVE,
                    )
                plan.add(EventKind.DISSOLVED, end, note="Giải thể tự nguyện")
            else:
                plan.add(
                    EventKind.REVOKED,
                    end,
                    note="Thu hồi giấy chứng nhận đăng ký: ngừng hoạt động quá 12 tháng không thông báo",
                )
        elif f == "suspended_later":
            suspended = day(datetime.date(2021, 6, 1), datetime.date(2024, 12, 27))
            plan.add(EventKind.SUSPENDED, suspended, note="Tạm ngừng kinh doanh 12 tháng")
            if self.rnd.random() < 0.5:
                plan.add(
                    EventKind.RESUMED,
                    suspended + datetime.timedelta(days=self.rnd.randint(180, 360)),
                    note="Hoạt động trở lại",
                )
        elif f == "dissolving_later":
            plan.add(
                EventKind.DISSOLUTION_STARTED,
                day(datetime.date(2024, 3, 1), datetime.date(2025, 11, 28)),
                note=RESOLVED_TO_DISSOLVE,
            )

    def inactive(self, fate: str, *, in_q1_2021: bool, plain: list[Plan]) -> None:
        """An HTX founded before 2021 that was not active on the report day."""
        rnd, day = self.rnd, self.day_between
        if fate == "dissolved":
            electricity = not in_q1_2021 and rnd.random() < 0.14
            if in_q1_2021:
                end = day(datetime.date(2021, 1, 4), datetime.date(2021, 3, 12))
            elif electricity:
                end = day(datetime.date(2013, 3, 1), datetime.date(2015, 12, 25))
            else:
                year = self.pick(list(DISSOLUTION_YEAR_WEIGHTS.items()))
                end = day(datetime.date(year, 1, 3), datetime.date(year, 12, 28))
            weights = {y: w for y, w in HTX_YEAR_WEIGHTS.items() if y <= 2003} if electricity else HTX_YEAR_WEIGHTS
            plan = self.plan(OrgKind.HTX, self.founding_day(weights, end - datetime.timedelta(days=400)), fate=fate)
            plan.product = ELECTRICITY if electricity else None
            self.reregistration(plan, rate=0.5)
            if rnd.random() < 0.15:
                suspended = end - datetime.timedelta(days=rnd.randint(200, 380))
                plan.add(
                    EventKind.SUSPENDED,
                    max(suspended, plan.founded_on + datetime.timedelta(days=30)),
                    note="Tạm ngừng kinh doanh",
                )
            if rnd.random() < 0.5:
                started = end - datetime.timedelta(days=rnd.randint(45, 180))
                plan.add(EventKind.DISSOLUTION_STARTED, started, note=RESOLVED_TO_DISSOLVE)
            note = "Giải thể sau khi bàn giao lưới điện hạ áp cho ngành điện" if electricity else "Giải thể tự nguyện"
            plan.add(EventKind.DISSOLVED, end, note=note)
        elif fate == "revoked":
            end = day(datetime.date(2016, 7, 1), datetime.date(2020, 12, 18))
            plan = self.plan(OrgKind.HTX, self.founding_day(HTX_YEAR_WEIGHTS, LAW_2012), fate=fate)
            if rnd.random() < 0.3:
                plan.add(
                    EventKind.SUSPENDED,
                    end - datetime.timedelta(days=rnd.randint(200, 500)),
                    note="Tạm ngừng kinh doanh",
                )
            plan.add(
                EventKind.REVOKED,
                end,
                note="Thu hồi giấy chứng nhận đăng ký: không tổ chức đăng ký lại theo Luật Hợp tác xã năm 2012",
            )
        elif fate == "dissolving":
            started = day(datetime.date(2019, 6, 3), datetime.date(2021, 2, 26))
            plan = self.plan(
                OrgKind.HTX, self.founding_day(HTX_YEAR_WEIGHTS, started - datetime.timedelta(days=365)), fate=fate
            )
            self.reregistration(plan, rate=0.6)
            plan.add(EventKind.DISSOLUTION_STARTED, started, note=RESOLVED_TO_DISSOLVE)
            if rnd.random() < 0.6:
                plan.add(
                    EventKind.DISSOLVED,
                    day(datetime.date(2021, 5, 3), datetime.date(2023, 6, 30)),
                    note="Hoàn tất thủ tục giải thể",
                )
        elif fate == "suspended":
            suspended = day(datetime.date(2019, 9, 3), datetime.date(2021, 2, 26))
            plan = self.plan(
                OrgKind.HTX, self.founding_day(HTX_YEAR_WEIGHTS, suspended - datetime.timedelta(days=365)), fate=fate
            )
            self.reregistration(plan, rate=0.7)
            plan.add(EventKind.SUSPENDED, suspended, note="Tạm ngừng kinh doanh 12 tháng")
            roll = rnd.random()
            if roll < 0.5:
                plan.add(
                    EventKind.RESUMED,
                    day(datetime.date(2021, 4, 1), datetime.date(2022, 6, 30)),
                    note="Hoạt động trở lại",
                )
            elif roll < 0.75:
                plan.add(
                    EventKind.DISSOLVED,
                    day(datetime.date(2022, 1, 4), datetime.date(2023, 12, 27)),
                    note="Giải thể tự nguyện",
                )
            else:
                plan.add(
                    EventKind.REVOKED,
                    day(datetime.date(2022, 1, 4), datetime.date(2022, 12, 27)),
                    note="Thu hồi giấy chứng nhận đăng ký: ngừng hoạt động quá thời hạn",
                )
        elif fate == "merged":
            on = day(datetime.date(2018, 1, 3), datetime.date(2020, 12, 28))
            plan = self.plan(
                OrgKind.HTX, self.founding_day(HTX_YEAR_WEIGHTS, on - datetime.timedelta(days=365)), fate=fate
            )
            self.reregistration(plan, rate=0.9)
            plan.merged_into = self.merge_target(plan, plain, on)
            plan.add(EventKind.MERGED, on)
        else:
            raise ValueError(fate)

    def qtdnd(self) -> None:
        towns = [c for district in self.geo.districts for c in self.geo.communes[district.pk] if c.kind == "thi_tran"]
        others = [
            c
            for district in self.geo.districts
            for c in self.geo.communes[district.pk]
            if c.kind == "xa" and DISTRICT_WEIGHTS[district.name] >= 12
        ]
        places = towns + self.rnd.sample(others, ACTIVE_ON_REPORT_DAY[OrgKind.QTDND] + 1 - len(towns))
        weights = {1995: 5, 1996: 6, 1997: 5, 1998: 3, 1999: 2, 2001: 1, 2003: 1, 2006: 1, 2008: 1}
        for i, base in enumerate(places):
            plan = self.plan(
                OrgKind.QTDND,
                self.founding_day(weights, datetime.date(2009, 1, 1), after=datetime.date(1994, 12, 31)),
                base=base,
            )
            plan.sector = Sector.CREDIT
            if i == len(places) - 1:
                # One fund lost its licence before re-registering.
                plan.fate = "revoked"
                plan.add(
                    EventKind.REVOKED,
                    self.day_between(datetime.date(2014, 3, 3), datetime.date(2014, 9, 30)),
                    note="Ngân hàng Nhà nước thu hồi giấy phép hoạt động",
                )
            else:
                on = self.day_between(datetime.date(2014, 1, 6), datetime.date(2015, 12, 28))
                plan.add(EventKind.RE_REGISTERED, on, law=Law.L2012, note=REREGISTERED_NOTE)

    def lhhtx(self) -> None:
        for name, commune, founded_on, sector in LHHTX_SPECS:
            plan = self.plan(OrgKind.LHHTX, founded_on, base=self.geo.by_name(commune))
            plan.name, plan.sector = name, sector
            self.names.add(normalize(name))
            self.reregistration(plan, rate=1)

    def tht(self) -> None:
        day = self.day_between
        weights = {y: max(1, y - 2006) for y in range(2008, 2021)}
        active = ACTIVE_ON_REPORT_DAY[OrgKind.THT] - FOUNDED_IN_Q1_2021[OrgKind.THT]
        for i in range(active):
            plan = self.plan(OrgKind.THT, self.founding_day(weights, QUARTER_START))
            if i < THT_ENDED_LATER:
                plan.add(
                    EventKind.DISSOLVED,
                    day(datetime.date(2021, 6, 1), datetime.date(2025, 10, 31)),
                    note="Chấm dứt hợp đồng hợp tác",
                )
        for _ in range(FOUNDED_IN_Q1_2021[OrgKind.THT]):
            self.plan(OrgKind.THT, day(datetime.date(2021, 1, 4), datetime.date(2021, 3, 12)))
        for _ in range(THT_ENDED_BEFORE):
            end = day(datetime.date(2013, 1, 3), datetime.date(2020, 12, 28))
            plan = self.plan(
                OrgKind.THT, self.founding_day(weights, end - datetime.timedelta(days=300)), fate="dissolved"
            )
            plan.add(EventKind.DISSOLVED, end, note="Chấm dứt hợp đồng hợp tác")
        for _ in range(THT_FOUNDED_AFTER):
            self.plan(OrgKind.THT, day(REPORT_DAY + ONE_DAY, REFORM_2025 - ONE_DAY))
        for _ in range(THT_AFTER_REFORM):
            self.plan(OrgKind.THT, day(REFORM_2025, LAST_DAY - datetime.timedelta(days=5)))

    # ------------------------------------------------------------ descriptions

    def district_short(self, plan: Plan) -> str:
        return short_name(plan.base.parent)

    def describe(self, plan: Plan) -> None:
        """Sector, product, name, law of registration."""
        if plan.kind == OrgKind.THT:
            self.describe_tht(plan)
        elif plan.kind == OrgKind.HTX:
            if plan.product is None:
                sector = self.pick(list(SECTOR_WEIGHTS.items()))
                district = self.district_short(plan)
                year = plan.founded_on.year
                products = [
                    (p, p.weight * (1 + p.districts.get(district, 0)))
                    for p in PRODUCTS
                    if p.sector == sector and p.first_year <= year <= p.last_year
                ]
                plan.product = self.pick(products)
            plan.sector = plan.product.sector
            plan.name = self.unique_name(plan)
        elif plan.kind == OrgKind.QTDND:
            plan.name = f"Quỹ tín dụng nhân dân {short_name(plan.commune)}"
        if plan.kind != OrgKind.THT:
            plan.law = law_on(plan.founded_on)
            rereg = [on for kind, on, _ in plan.events if kind == EventKind.RE_REGISTERED]
            if rereg:
                plan.reregistered_on = rereg[0]
        elif plan.founded_on >= LAW_2023:
            plan.law = Law.L2023

    def unique_name(self, plan: Plan) -> str:
        rnd, product = self.rnd, plan.product
        place = short_name(plan.commune)
        for attempt in range(30):
            prefix = "HTX" if rnd.random() < 0.25 else "Hợp tác xã"
            roll = rnd.random() if attempt < 3 else 0.5 + rnd.random() / 2
            if product.place and roll < 0.6:
                name = f"{prefix} {product.phrase} {place}"
            elif roll < 0.8:
                name = f"{prefix} {product.phrase} {rnd.choice(BRANDS)}"
            elif roll < 0.9:
                name = f"{prefix} {product.phrase} {rnd.choice(BRANDS)} {place}"
            else:
                name = f"{prefix} {product.phrase} thôn {rnd.choice(VILLAGES)}"
            if normalize(name) not in self.names:
                self.names.add(normalize(name))
                return name
        raise RuntimeError("could not find a free name")

    def describe_tht(self, plan: Plan) -> None:
        district = self.district_short(plan)
        sector, phrase, _ = self.pick([(t, 3 + 2 * t[2].get(district, 0)) for t in THT_PRODUCTS])
        plan.sector = sector
        place = short_name(plan.commune)
        for _ in range(30):
            village = self.rnd.choice(VILLAGES)
            name = f"Tổ hợp tác {phrase} {place}" if self.rnd.random() < 0.5 else f"Tổ hợp tác {phrase} thôn {village}"
            if normalize(name) not in self.names:
                self.names.add(normalize(name))
                plan.name = name
                return
        raise RuntimeError("could not find a free name")

    # ------------------------------------------------------------ checks, codes, members

    def lifecycle_check(self, plan: Plan) -> None:
        """Order the events and check each fits, as ``event_record`` would; drop a late re-registration."""
        plan.events.sort(key=lambda e: e[1])
        status, kept = Status.ACTIVE, []
        for kind, on, extra in plan.events:
            if not plan.founded_on <= on <= LAST_DAY:
                raise AssertionError(f"{plan.name}: {kind} on {on} outside {plan.founded_on}..{LAST_DAY}")
            if status not in ALLOWED_FROM[kind]:
                if kind == EventKind.RE_REGISTERED:
                    continue  # it had stopped operating before it got round to it
                raise AssertionError(f"{plan.name}: {kind} on {on} after status {status}")
            if kind == EventKind.RE_REGISTERED and plan.kind == OrgKind.THT:
                raise AssertionError(f"{plan.name}: a THT does not re-register")
            kept.append((kind, on, extra))
            status = STATUS_AFTER.get(kind, status)
        days = [on for kind, on, _ in kept if kind in STATUS_AFTER]
        if len(days) != len(set(days)):
            # Two status changes on one day would be ordered by id only: the plan has a gap bug.
            raise AssertionError(f"{plan.name}: two status changes on one day")
        plan.events = kept
        if not any(kind == EventKind.RE_REGISTERED for kind, _, _ in kept):
            plan.reregistered_on = None

    def assign_codes(self) -> None:
        """Cooperative codes (tax codes, "24…") in founding order; THT get a commune-based code."""
        coops = sorted((p for p in self.plans if p.kind != OrgKind.THT), key=lambda p: p.founded_on)
        number = 2400100000
        for plan in coops:
            number += self.rnd.randint(7, 90)
            plan.code = str(number)
        per_commune = Counter()
        for plan in sorted((p for p in self.plans if p.kind == OrgKind.THT), key=lambda p: p.founded_on):
            per_commune[plan.commune.code] += 1
            plan.code = f"THT-{plan.commune.code}-{per_commune[plan.commune.code]:02d}"

    def memberships(self) -> None:
        """Most cooperatives are members of the alliance, since founding or since 2015-2018."""
        rnd = self.rnd
        rates = {OrgKind.HTX: 0.82, OrgKind.LHHTX: 1.0, OrgKind.QTDND: 0.9, OrgKind.THT: 0.04}
        for plan in self.plans:
            if rnd.random() >= rates[plan.kind]:
                continue
            end = plan.end or LAST_DAY
            if plan.founded_on >= datetime.date(2015, 1, 1) or end < datetime.date(2015, 6, 1) or rnd.random() < 0.3:
                joined = plan.founded_on + datetime.timedelta(days=rnd.choice([0, 0, 0, 15, 30, 60, 120, 400]))
            else:
                joined = self.day_between(datetime.date(2015, 1, 5), datetime.date(2018, 12, 28))
            if joined < end:
                plan.member_from = joined


def law_on(day: datetime.date) -> str:
    """The Law on Cooperatives a cooperative founded on day registered under."""
    return Law.L2003 if day < LAW_2012 else Law.L2012 if day < LAW_2023 else Law.L2023


def generate(seed: int = DEFAULT_SEED, geography: Geography | None = None) -> list[Plan]:
    """Plan the demo register (no database writes)."""
    return Generator(seed, geography or Geography()).generate()
