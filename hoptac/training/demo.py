"""Demo training: the 2021 plan issued in January 2021, a course of December 2020 and two of Q2 2021.

The seed report says of Q1 2021 only that the alliance "issued the 2021 training plan and
set about its tasks": so the plan is issued in January, no course is held in Q1, and the
first two courses of the plan come in April and May. A course of December 2020 gives the
previous quarter something to report. Learners come from cooperatives of the demo register
active on the course's first day, taken in code order; names come from a fixed seed, so
every load gives the same data. Loaded after the registry, fund, awards and journal demos;
the plan is linked to the journal's record of it (05/KH-LMHTX) when the journal demo is there.
"""

import datetime
import random

from django.db import transaction

from hoptac.core.models import Department, Role, User
from hoptac.journal.models import Document, DocumentKind
from hoptac.registry.models import Organization, OrgKind

from . import services
from .models import BudgetSource, Course, Participant, ParticipantRole, Plan, TargetGroup

D = datetime.date
SEED = 2021
PLAN_NUMBER = "05/KH-LMHTX"
PLAN_TITLE = "Kế hoạch bồi dưỡng, tập huấn năm 2021"
PLAN_ISSUED = D(2021, 1, 15)  # the journal's record of the plan says the same
ALLIANCE = "Liên minh HTX tỉnh Bắc Giang"

# key, topic, target group, quarter, month, learners, budget (đồng), source
PLANNED = [
    (
        "quan-ly",
        "Bồi dưỡng kiến thức quản lý, điều hành HTX theo Luật Hợp tác xã năm 2012",
        TargetGroup.MANAGERS,
        2,
        4,
        40,
        120_000_000,
        BudgetSource.PROVINCE,
    ),
    (
        "ke-toan",
        "Tập huấn nghiệp vụ kế toán HTX theo Thông tư 24/2017/TT-BTC",
        TargetGroup.ACCOUNTANTS,
        2,
        5,
        35,
        90_000_000,
        BudgetSource.PROVINCE,
    ),
    (
        "lien-minh",
        "Bồi dưỡng nghiệp vụ cho cán bộ Liên minh HTX tỉnh",
        TargetGroup.ALLIANCE_STAFF,
        2,
        6,
        20,
        30_000_000,
        BudgetSource.ALLIANCE,
    ),
    (
        "so-hoa",
        "Tập huấn ứng dụng công nghệ thông tin, thương mại điện tử trong tiêu thụ sản phẩm của HTX",
        TargetGroup.MANAGERS,
        3,
        7,
        40,
        80_000_000,
        BudgetSource.CENTRAL,
    ),
    (
        "chuoi",
        "Tập huấn xây dựng liên kết sản xuất gắn với tiêu thụ sản phẩm theo chuỗi giá trị",
        TargetGroup.MEMBERS,
        3,
        9,
        50,
        100_000_000,
        BudgetSource.CENTRAL,
    ),
    (
        "tht",
        "Bồi dưỡng kiến thức kinh tế tập thể cho cán bộ Tổ hợp tác",
        TargetGroup.GROUPS,
        4,
        10,
        40,
        60_000_000,
        BudgetSource.PROVINCE,
    ),
    (
        "vietgap",
        "Tập huấn sản xuất nông nghiệp theo tiêu chuẩn VietGAP cho thành viên HTX",
        TargetGroup.MEMBERS,
        4,
        11,
        45,
        70_000_000,
        BudgetSource.PARTNER,
    ),
]

# planned key (None: before the 2021 plan), topic, start, end, place, trainers (name, title, unit), group,
# budget, source, district of the learners (None: the whole province), learners
COURSES = [
    (
        None,
        "Tập huấn nâng cao năng lực quản lý, điều hành HTX nông nghiệp",
        D(2020, 12, 8),
        D(2020, 12, 10),
        "Hội trường Liên minh HTX tỉnh Bắc Giang, TP Bắc Giang",
        [("Nguyễn Văn Minh", "Thạc sĩ", "Trường Cán bộ quản lý nông nghiệp và phát triển nông thôn I")],
        TargetGroup.MANAGERS,
        78_000_000,
        BudgetSource.PROVINCE,
        None,
        26,
    ),
    (
        "quan-ly",
        "Bồi dưỡng kiến thức quản lý, điều hành HTX theo Luật Hợp tác xã năm 2012",
        D(2021, 4, 20),
        D(2021, 4, 22),
        "Hội trường UBND huyện Tân Yên",
        [
            ("Trần Quốc Hưng", "Tiến sĩ", "Học viện Nông nghiệp Việt Nam"),
            ("Giáp Văn Tuấn", "Phó Chủ tịch Liên minh HTX tỉnh", ALLIANCE),
        ],
        TargetGroup.MANAGERS,
        112_500_000,
        BudgetSource.PROVINCE,
        "Huyện Tân Yên",
        35,
    ),
    (
        "ke-toan",
        "Tập huấn nghiệp vụ kế toán HTX theo Thông tư 24/2017/TT-BTC",
        D(2021, 5, 18),
        D(2021, 5, 19),
        "Trung tâm Hội nghị tỉnh Bắc Giang",
        [("Lê Thị Thu Hà", "Thạc sĩ", "Sở Tài chính tỉnh Bắc Giang")],
        TargetGroup.ACCOUNTANTS,
        84_000_000,
        BudgetSource.PROVINCE,
        None,
        30,
    ),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Giáp", "Thân", "Hà", "Bùi", "Đặng"]
MIDDLE = {"male": ["Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân"], "female": ["Thị", "Thu", "Thanh", "Ngọc", "Thị"]}
GIVEN = {
    "male": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong", "Quân", "Sơn"],
    "female": ["Anh", "Chi", "Dung", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Mai", "Nga", "Oanh", "Phương", "Thảo"],
}
POSITIONS = {
    TargetGroup.MANAGERS: ["Giám đốc", "Chủ tịch HĐQT kiêm Giám đốc", "Phó Giám đốc", "Trưởng Ban kiểm soát"],
    TargetGroup.ACCOUNTANTS: ["Kế toán", "Kế toán trưởng", "Kế toán"],
}
OFFICIALS = ["Công chức Địa chính - Nông nghiệp", "Phó Chủ tịch UBND xã"]


def _person(rnd: random.Random) -> tuple[str, str]:
    gender = rnd.choice(["male", "female"])
    name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE[gender])} {rnd.choice(GIVEN[gender])}"
    return name, gender


def _phone(rnd: random.Random) -> str:
    return f"09{rnd.randint(10_000_000, 99_999_999)}"


def _staff() -> User | None:
    """The training officer who records the demo (the registry demo's "taphuan"), if there is one."""
    return User.objects.filter(role=Role.STAFF, department=Department.TRAINING, is_active=True).order_by("pk").first()


def _learner_organizations(day: datetime.date, district: str | None, count: int) -> list[Organization]:
    """Cooperatives active on day (of a district, or spread over the province), in code order."""
    qs = Organization.objects.current().active_on(day).filter(kind=OrgKind.HTX).order_by("code")
    if district:
        qs = qs.filter(commune__parent__name=district)
    orgs = list(qs.select_related("commune"))
    if len(orgs) < count:
        raise RuntimeError(f"the register has only {len(orgs)} cooperatives for a course of {count}")
    step = len(orgs) // count
    return [orgs[i * step] for i in range(count)]


def _register(
    course: Course, *, trainers: list[tuple], district: str | None, learners: int, rnd: random.Random, by
) -> None:
    orgs = _learner_organizations(course.starts_on, district, learners)
    positions = POSITIONS.get(course.target_group, POSITIONS[TargetGroup.MANAGERS])
    # Two commune officials come with the cooperatives of their commune: the register does not know them.
    officials = {3, 11}
    for index, org in enumerate(orgs):
        name, gender = _person(rnd)
        if index in officials:
            services.participant_add(
                course=course,
                full_name=name,
                gender=gender,
                position=OFFICIALS[index % len(OFFICIALS)],
                organization_name=f"UBND {org.commune.name[0].lower()}{org.commune.name[1:]}",
                phone=_phone(rnd),
                by=by,
            )
            continue
        services.participant_add(
            course=course,
            full_name=name,
            gender=gender,
            position=positions[index % len(positions)],
            organization=org,
            phone=_phone(rnd) if index % 3 else "",
            by=by,
        )
    for name, title, unit in trainers:
        services.participant_add(
            course=course, full_name=name, position=title, organization_name=unit, role=ParticipantRole.TRAINER, by=by
        )
    services.participant_add(
        course=course,
        full_name="Ngô Thị Lan",
        gender="female",
        position="Chuyên viên phòng Tuyên truyền - Đào tạo",
        organization_name=ALLIANCE,
        role=ParticipantRole.ORGANISER,
        by=by,
    )


def _attendance(course: Course, rnd: random.Random, by) -> None:
    """Most came for every day; about one in eight stayed away; a certificate for full attendance."""
    attended, certificates, days = set(), set(), {}
    for person in course.participants.order_by("id"):
        if person.role != ParticipantRole.LEARNER:
            attended.add(person.pk)
            continue
        if rnd.random() < 0.12:
            continue
        attended.add(person.pk)
        days[person.pk] = course.days if rnd.random() < 0.85 or course.days == 1 else course.days - 1
        if days[person.pk] == course.days:
            certificates.add(person.pk)
    services.attendance_mark(course=course, attended=attended, certificates=certificates, days=days, by=by)


@transaction.atomic
def load() -> dict:
    """Write the demo training plan of 2021, its planned courses and three courses held; returns counts."""
    if Plan.objects.exists() or Course.objects.exists():
        raise RuntimeError("training is not empty")
    by = _staff()
    rnd = random.Random(SEED)
    document = (
        Document.objects.filter(kind=DocumentKind.PLAN, number=PLAN_NUMBER).first()
        or Document.objects.filter(kind=DocumentKind.PLAN, title=PLAN_TITLE).first()
    )
    plan = services.plan_create(
        year=2021,
        title=PLAN_TITLE,
        budget=sum(p[6] for p in PLANNED),
        number=PLAN_NUMBER,
        document=document,
        note="Kinh phí từ ngân sách tỉnh, nguồn đào tạo của Liên minh HTX Việt Nam và đối tác.",
        by=by,
    )
    issued_on = document.issued_on if document is not None and document.issued_on else PLAN_ISSUED
    services.plan_issue(plan=plan, issued_on=issued_on, by=by)
    planned = {
        key: services.planned_course_add(
            plan=plan,
            topic=topic,
            target_group=group,
            quarter=quarter,
            month=month,
            participants=learners,
            budget=budget,
            budget_source=source,
            by=by,
        )
        for key, topic, group, quarter, month, learners, budget, source in PLANNED
    }
    for key, topic, starts, ends, place, trainers, group, budget, source, district, learners in COURSES:
        course = services.course_create(
            planned=planned[key] if key else None,
            topic=topic,
            starts_on=starts,
            ends_on=ends,
            place=place,
            trainers="; ".join(f"{title} {name} ({unit})" for name, title, unit in trainers),
            target_group=group,
            budget=budget,
            budget_source=source,
            by=by,
        )
        _register(course, trainers=trainers, district=district, learners=learners, rnd=rnd, by=by)
        _attendance(course, rnd, by)
        services.course_mark_held(course=course, by=by)
    return {
        "plans": Plan.objects.count(),
        "planned_courses": len(planned),
        "courses": Course.objects.count(),
        "participants": Participant.objects.count(),
        "document_linked": document is not None,
    }
