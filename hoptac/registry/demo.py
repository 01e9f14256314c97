"""A synthetic but realistic Bắc Giang register, for demonstrations and tests.

Nothing here is real data: names are built from product words and commune names, people's
names are drawn from common Vietnamese names. What *is* fixed are the figures of the
alliance's Q1-2021 report (seeds/000): on 15/03/2021 exactly 830 HTX and 20 QTDND are
active, and 12 HTX were founded between 01/01/2021 and 15/03/2021. Around them the demo has
the history a real register has: cooperatives founded under the 2003 law and re-registered
under the 2012 law (or not), suspensions, dissolutions, revocations, mergers, foundings up
to 2025 and a few after the 01/07/2025 reform in the communes of the new Bắc Ninh.

The generator is deterministic (``random.Random(seed)``) and works in two steps:
``generate`` (in ``demo_plan``) plans every organisation and its dated events in memory,
checking each event against the same transition table the services use; ``load`` writes
the plan with ``bulk_create`` (a thousand service calls would take a minute) keeping the
invariants the services keep: search text, ``status_after``, the status periods, a commune valid on the
founding date, an audit entry per organisation.
"""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from hoptac.core.models import AuditEntry, Department, Role, User
from hoptac.core.text import normalize
from hoptac.geo.models import AdminUnit, Level

from . import periods
from .demo_plan import DEFAULT_SEED, LAST_DAY, PROVINCE_CODE, REPORT_DAY, Plan, generate, in_sentence
from .demo_plan import Geography as Geography  # re-exported: tests plan with demo.Geography and demo.generate
from .demo_vocabulary import (
    FAMILY,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    MALE_GIVEN,
    MALE_MIDDLE,
    MOBILE_PREFIXES,
    STREETS,
    VILLAGES,
)
from .models import STATUS_AFTER, EventKind, Law, LifecycleEvent, Membership, Organization, OrgKind, Sector

# Shown by `demo_logins` and `make run`. Demo only: every demo account shares it, so a
# database holding demo accounts must never be reachable from outside.
DEMO_PASSWORD = "hoptac-demo-2021"


# ---------------------------------------------------------------- writing


class Filler:
    """The descriptive fields: people, phones, addresses, sizes, registration papers."""

    def __init__(self, seed: int):
        self.rnd = random.Random(seed * 7919 + 1)

    def person(self) -> str:
        rnd = self.rnd
        if rnd.random() < 0.8:
            return f"{rnd.choice(FAMILY)} {rnd.choice(MALE_MIDDLE)} {rnd.choice(MALE_GIVEN)}"
        return f"{rnd.choice(FAMILY)} {rnd.choice(FEMALE_MIDDLE)} {rnd.choice(FEMALE_GIVEN)}"

    def phone(self) -> str:
        rnd = self.rnd
        if rnd.random() < 0.08:
            return f"0204 3{rnd.randint(100, 999)} {rnd.randint(100, 999)}"
        prefix = rnd.choice(MOBILE_PREFIXES[:7]) if rnd.random() < 0.75 else rnd.choice(MOBILE_PREFIXES)
        return f"{prefix}{rnd.randint(0, 9)} {rnd.randint(100, 999)} {rnd.randint(100, 999)}"

    def street(self, commune: AdminUnit) -> str:
        rnd = self.rnd
        if commune.kind == "phuong":
            return f"Số {rnd.randint(2, 350)}, đường {rnd.choice(STREETS)}"
        if commune.kind == "thi_tran":
            return f"Tổ dân phố số {rnd.randint(1, 12)}"
        return f"{'Bản' if rnd.random() < 0.1 else 'Thôn'} {rnd.choice(VILLAGES)}"

    def capital(self, low: int, high: int) -> int:
        """Whole đồng, log-uniform, rounded to a million (ten million above a billion)."""
        value = low * (high / low) ** self.rnd.random()
        step = 10_000_000 if value >= 1_000_000_000 else 1_000_000
        return int(round(value / step) * step)

    def sizes(self, plan: Plan) -> dict:
        rnd = self.rnd
        if plan.kind == OrgKind.THT:
            return {
                "official_members": rnd.randint(3, 28),
                "associate_members": None,
                "employees": None,
                "charter_capital": None,
            }
        if plan.kind == OrgKind.QTDND:
            return {
                "official_members": rnd.randint(350, 2600),
                "associate_members": 0,
                "employees": rnd.randint(5, 16),
                "charter_capital": self.capital(1_000_000_000, 12_000_000_000),
            }
        if plan.kind == OrgKind.LHHTX:
            return {
                "official_members": rnd.randint(3, 12),
                "associate_members": rnd.randint(0, 6),
                "employees": rnd.randint(5, 30),
                "charter_capital": self.capital(1_000_000_000, 20_000_000_000),
            }
        roll = rnd.random()
        old_service = plan.product and plan.product.phrase.startswith("Dịch vụ") and plan.founded_on.year < 2004
        if old_service:
            members = rnd.randint(120, 300)
        elif roll < 0.45:
            members = rnd.randint(7, 15)
        elif roll < 0.75:
            members = rnd.randint(16, 50)
        elif roll < 0.93:
            members = rnd.randint(51, 150)
        else:
            members = rnd.randint(151, 300)
        if plan.sector == Sector.TRANSPORT:
            employees = rnd.randint(10, 70)
        else:
            employees = rnd.randint(2, max(3, min(45, members // 3 + 3)))
        high = 20_000_000_000 if rnd.random() < 0.03 else 5_000_000_000
        low = 50_000_000 if not old_service else 80_000_000
        return {
            "official_members": members,
            "associate_members": rnd.randint(1, 30) if rnd.random() < 0.25 else 0,
            "employees": employees,
            "charter_capital": self.capital(low, high if not old_service else 1_500_000_000),
        }

    def registration(self, plan: Plan) -> dict:
        """Registration number, date, office and law, as the (latest) certificate shows them."""
        rnd = self.rnd
        place = plan.commune
        if plan.kind == OrgKind.THT:
            # A group's contract is certified by the commune, not registered as a business.
            return {
                "registration_number": "",
                "registration_date": plan.founded_on,
                "registration_office": f"UBND {in_sentence(place)}",
                "registration_law": plan.law,
            }
        if plan.kind in (OrgKind.QTDND, OrgKind.LHHTX):
            office = "Phòng Đăng ký kinh doanh - Sở Kế hoạch và Đầu tư tỉnh Bắc Giang"
        elif place.parent and place.parent.level == Level.DISTRICT:
            office = f"Phòng Tài chính - Kế hoạch {in_sentence(place.parent)}"
        else:
            # After the 2025 reform the commune registers cooperatives.
            department = "Phòng Kinh tế, Hạ tầng và Đô thị" if place.kind == "phuong" else "Phòng Kinh tế"
            office = f"{department} {in_sentence(place)}"
        if plan.reregistered_on:
            return {
                "registration_number": plan.code,
                "registration_date": plan.reregistered_on,
                "registration_office": office,
                "registration_law": Law.L2012,
            }
        number = first_certificate(plan)
        if rnd.random() < 0.02:
            number = ""  # lost in the paper archive; the import will show these
        return {
            "registration_number": number,
            "registration_date": plan.founded_on,
            "registration_office": office,
            "registration_law": plan.law,
        }

    def email(self, plan: Plan) -> str:
        if plan.kind == OrgKind.THT or plan.founded_on.year < 2012 or self.rnd.random() > 0.3:
            return ""
        words = normalize(plan.name)
        for kind_words in ("hop tac xa ", "htx ", "quy tin dung nhan dan "):
            words = words.replace(kind_words, "")
        prefix = {"HTX": "htx", "LHHTX": "lhhtx", "QTDND": "qtd"}[plan.kind]
        return f"{prefix}{words.replace(' ', '')[:28]}@gmail.com"


def first_certificate(plan: Plan) -> str:
    """The number of the first registration certificate: the cooperative code since the 2012 law."""
    if plan.law == Law.L2003:
        return f"20.07.{plan.code[-6:]}"  # the old business-registration numbering
    return plan.code


def event_document(kind: str, on: datetime.date, rnd: random.Random, plan: Plan) -> str:
    """The document an event cites, as a province's records name it (also the national dataset's)."""
    if plan.kind == OrgKind.THT and kind == EventKind.REGISTERED:
        return f"Hợp đồng hợp tác chứng thực ngày {on:%d/%m/%Y}"
    if kind == EventKind.REGISTERED:
        return f"GCN số {first_certificate(plan)}"
    if kind == EventKind.RE_REGISTERED:
        return f"GCN số {plan.code}"
    if kind in (EventKind.DISSOLVED, EventKind.REVOKED):
        return f"Quyết định số {rnd.randint(5, 480)}/QĐ-UBND"
    if kind == EventKind.DISSOLUTION_STARTED:
        return f"Nghị quyết số {rnd.randint(1, 9):02d}/NQ-ĐHTV"
    if kind in (EventKind.SUSPENDED, EventKind.RESUMED):
        return f"Thông báo số {rnd.randint(1, 60)}/TB-HTX"
    return ""


@transaction.atomic
def load(*, seed: int = DEFAULT_SEED) -> dict:
    """Write the demo register and the demo accounts; returns counts. The database must hold no organisation."""
    if Organization.objects.exists():
        raise RuntimeError("the register is not empty")
    plans = generate(seed)
    filler = Filler(seed)
    orgs = []
    for plan in plans:
        org = Organization(
            kind=plan.kind,
            sector=plan.sector,
            code=plan.code,
            name=plan.name,
            commune=plan.commune,
            street=filler.street(plan.commune),
            founded_on=plan.founded_on,
            representative=filler.person(),
            phone=filler.phone(),
            email=filler.email(plan),
            business_lines=(plan.product.lines if plan.product else _lines(plan)),
            **filler.sizes(plan),
            **filler.registration(plan),
        )
        org.refresh_search_text()
        orgs.append(org)
    Organization.objects.bulk_create(orgs, batch_size=500)
    by_plan = {id(plan): org for plan, org in zip(plans, orgs, strict=True)}

    rnd = random.Random(seed + 1)
    events, members = [], []
    for plan, org in zip(plans, orgs, strict=True):
        events.append(
            LifecycleEvent(
                organization=org,
                kind=EventKind.REGISTERED,
                on=plan.founded_on,
                law=plan.law,
                document=event_document(EventKind.REGISTERED, plan.founded_on, rnd, plan),
            )
        )
        for kind, on, extra in plan.events:
            merged_into = by_plan[id(plan.merged_into)] if kind == EventKind.MERGED else None
            note = extra.get("note", "")
            if merged_into is not None:
                note = f"Hợp nhất vào {merged_into.name}"
            events.append(
                LifecycleEvent(
                    organization=org,
                    kind=kind,
                    on=on,
                    law=extra.get("law", ""),
                    note=note,
                    merged_into=merged_into,
                    document=event_document(kind, on, rnd, plan),
                )
            )
        if plan.member_from:
            members.append(Membership(organization=org, joined_on=plan.member_from, left_on=plan.end))
    for event in events:
        # As LifecycleEvent.save does; bulk_create does not call save().
        event.status_after = STATUS_AFTER.get(event.kind, "")
    LifecycleEvent.objects.bulk_create(events, batch_size=1000)
    # As LifecycleEvent.save does too: the status periods (registry/periods.py).
    periods.rebuild_many(org.pk for org in orgs)
    Membership.objects.bulk_create(members, batch_size=1000)
    content_type = ContentType.objects.get_for_model(Organization)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action="registry.organization.created",
                content_type=content_type,
                object_id=str(org.pk),
                object_repr=org.name[:300],
                changes={"demo": [None, f"load_demo --seed {seed}"]},
            )
            for org in orgs
        ],
        batch_size=1000,
    )
    users = demo_users_create()
    return {"organizations": len(orgs), "events": len(events), "memberships": len(members), "users": users}


def _lines(plan: Plan) -> str:
    if plan.kind == OrgKind.QTDND:
        return "Huy động vốn, cho vay thành viên; Cung ứng dịch vụ thanh toán, ngân quỹ cho thành viên"
    if plan.kind == OrgKind.LHHTX:
        return "Cung ứng dịch vụ cho hợp tác xã thành viên; Bán buôn nông sản; Xúc tiến thương mại"
    return "Hợp tác sản xuất, hỗ trợ nhau về vốn, kỹ thuật và tiêu thụ sản phẩm"


# ---------------------------------------------------------------- accounts

DEMO_USERS = [
    # username, role, department, first name, last name
    ("admin", Role.ADMIN, Department.OFFICE, "Nguyễn Thị", "Thanh Hương"),
    ("canbo", Role.STAFF, Department.REGISTRY, "Thân Văn", "Quyết"),
    ("quy", Role.STAFF, Department.FUND, "Hoàng Văn", "Thắng"),
    ("thidua", Role.STAFF, Department.AWARDS, "Lê Thị", "Hằng"),
    ("taphuan", Role.STAFF, Department.TRAINING, "Ngô Thị", "Lan"),
    ("chuoi", Role.STAFF, Department.VALUE_CHAIN, "Đỗ Văn", "Minh"),
    ("vanphong", Role.STAFF, Department.OFFICE, "Nguyễn Văn", "Tùng"),
    ("tanyen", Role.AREA_OFFICER, "", "Giáp Văn", "Hòa"),
    ("htx", Role.COOPERATIVE, "", "Nguyễn Văn", "Bình"),
]


def demo_users_create() -> list[str]:
    """One account per role, sharing DEMO_PASSWORD. Existing usernames are left alone."""
    tan_yen = AdminUnit.objects.valid_on(REPORT_DAY).get(
        level=Level.DISTRICT, name="Huyện Tân Yên", parent__code=PROVINCE_CODE
    )
    created = []
    for username, role, department, first, last in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            role=role,
            department=department,
            first_name=first,
            last_name=last,
            is_staff=(role == Role.ADMIN),
            is_superuser=(role == Role.ADMIN),
        )
        if role == Role.COOPERATIVE:
            user.organization = demo_cooperative()
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role == Role.AREA_OFFICER:
            user.areas.add(tan_yen)
        created.append(username)
    return created


def demo_cooperative() -> Organization:
    """The Tân Yên cooperative the demo cooperative account belongs to: active then and now."""
    today = min(timezone.localdate(), LAST_DAY)
    candidates = (
        Organization.objects.active_on(REPORT_DAY)
        .filter(kind=OrgKind.HTX, commune__parent__name="Huyện Tân Yên", founded_on__lt=REPORT_DAY)
        .filter(pk__in=Organization.objects.active_on(today).values("pk"))
        .order_by("code")
    )
    return candidates.filter(memberships__isnull=False).first() or candidates.first()
