"""Demo emulation and awards: the 2020 awards presented in Q1 2021, as the seed report lists them.

"02 Cờ thi đua of the VCA; 02 Cờ thi đua of the UBND tỉnh; 04 Bằng khen to collectives and
04 to individuals of the UBND tỉnh; 10 Kỷ niệm chương; 11 Giấy khen to collectives and 06
to individuals of the alliance chairman." Loaded on top of the registry demo; recipients
are HTX active on 15/03/2021, taken in code order so every load gives the same data.

Around them: the 2020 bloc, its members' registrations, self-assessments and the bloc's
scores (the four leaders are the four flags of 2021); the proposal behind the provincial
Bằng khen (approved, linked to its decision) and one proposal of Q1 2021 still waiting.
Neither adds a recipient, so the Q1-2021 counts stay the report's.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from hoptac.registry import demo as registry_demo
from hoptac.registry.models import Organization, OrgKind

from . import selectors, services
from .models import AwardForm, Decision, Issuer, Movement, RecipientKind

D = datetime.date
REPORT_DAY = D(2021, 3, 15)
PERIOD = (D(2021, 1, 1), REPORT_DAY)

# The seven figures of the report: (issuer, form, kind) -> count.
SEED_COUNTS = {
    (Issuer.VCA, AwardForm.FLAG, RecipientKind.COLLECTIVE): 2,
    (Issuer.PROVINCE, AwardForm.FLAG, RecipientKind.COLLECTIVE): 2,
    (Issuer.PROVINCE, AwardForm.MERIT, RecipientKind.COLLECTIVE): 4,
    (Issuer.PROVINCE, AwardForm.MERIT, RecipientKind.INDIVIDUAL): 4,
    (Issuer.VCA, AwardForm.MEDAL, RecipientKind.INDIVIDUAL): 10,
    (Issuer.ALLIANCE, AwardForm.COMMENDATION, RecipientKind.COLLECTIVE): 11,
    (Issuer.ALLIANCE, AwardForm.COMMENDATION, RecipientKind.INDIVIDUAL): 6,
}

# number, date, issuer, form, title, collectives, individuals
DECISIONS = [
    (
        "58/QĐ-LMHTXVN",
        D(2021, 1, 22),
        Issuer.VCA,
        AwardForm.FLAG,
        "Tặng Cờ thi đua của Ban Chấp hành Liên minh HTX Việt Nam năm 2020",
        2,
        0,
    ),
    (
        "112/QĐ-LMHTXVN",
        D(2021, 2, 3),
        Issuer.VCA,
        AwardForm.MEDAL,
        "Tặng Kỷ niệm chương “Vì sự nghiệp phát triển HTX”",
        0,
        10,
    ),
    (
        "125/QĐ-UBND",
        D(2021, 1, 28),
        Issuer.PROVINCE,
        AwardForm.FLAG,
        "Tặng Cờ thi đua của UBND tỉnh năm 2020",
        2,
        0,
    ),
    (
        "126/QĐ-UBND",
        D(2021, 1, 28),
        Issuer.PROVINCE,
        AwardForm.MERIT,
        "Tặng Bằng khen của Chủ tịch UBND tỉnh năm 2020",
        4,
        4,
    ),
    (
        "15/QĐ-LMHTX",
        D(2021, 3, 5),
        Issuer.ALLIANCE,
        AwardForm.COMMENDATION,
        "Tặng Giấy khen của Chủ tịch Liên minh HTX tỉnh năm 2020",
        11,
        6,
    ),
]

PEOPLE = [
    ("Nguyễn Văn Hùng", "Giám đốc HTX"),
    ("Trần Thị Lan", "Phó Giám đốc HTX"),
    ("Lê Văn Thắng", "Giám đốc HTX"),
    ("Phạm Thị Hoa", "Kế toán HTX"),
    ("Hoàng Văn Nam", "Chủ tịch HĐQT"),
    ("Ngô Thị Hằng", "Giám đốc HTX"),
    ("Vũ Văn Long", "Trưởng Ban kiểm soát"),
    ("Đỗ Thị Mai", "Giám đốc HTX"),
    ("Bùi Văn Tuấn", "Chủ tịch HĐQT"),
    ("Dương Thị Thu", "Phó Giám đốc HTX"),
    ("Nguyễn Thị Hương", "Giám đốc HTX"),
    ("Trịnh Văn Đức", "Giám đốc HTX"),
    ("Lương Thị Nga", "Kế toán HTX"),
    ("Thân Văn Quyết", "Chủ tịch HĐQT"),
    ("Giáp Thị Huyền", "Giám đốc HTX"),
    ("Nguyễn Đình Khải", "Giám đốc HTX"),
    ("Hà Thị Yến", "Phó Giám đốc HTX"),
    ("Chu Văn Bình", "Giám đốc HTX"),
    ("La Thị Phương", "Kế toán HTX"),
    ("Nguyễn Văn Toàn", "Giám đốc HTX"),
]


def _organizations(count: int) -> list[Organization]:
    orgs = list(
        Organization.objects.active_on(REPORT_DAY)
        .filter(kind=OrgKind.HTX, founded_on__lt=D(2020, 1, 1))
        .order_by("code")[:count]
    )
    if len(orgs) < count:
        raise RuntimeError("the registry demo must be loaded first")
    return orgs


BLOC_NAME = "Khối thi đua các HTX tỉnh Bắc Giang"
SELF_ASSESSED_ON = D(2020, 12, 10)
SCORED_ON = D(2020, 12, 28)


def _bloc_2020(movement: Movement, orgs: list[Organization]) -> int:
    """The 2020 bloc: covenant, every member's registration, self-assessment and score; returns registrations."""
    bloc = services.bloc_create(name=BLOC_NAME, year=2020, leader=None, members=orgs)
    services.registration_create(
        movement=movement,
        bloc=bloc,
        targets=(
            "Hoàn thành kế hoạch sản xuất kinh doanh năm 2020; giữ ổn định sản xuất trong dịch Covid-19; "
            "bảo đảm việc làm, thu nhập cho thành viên và người lao động."
        ),
        signed_on=D(2020, 3, 5),
    )
    scores = {}
    for i, org in enumerate(orgs):
        registration = selectors.registrations_for_organization(org, movement).first()
        if registration is None:
            registration = services.registration_create(
                movement=movement,
                organization=org,
                targets="Doanh thu tăng 5%; giữ ổn định việc làm cho thành viên; thực hiện đầy đủ nghĩa vụ thuế.",
                signed_on=D(2020, 3, 10) + datetime.timedelta(days=i % 7),
            )
        # The bloc ranks them in code order: the first four are the flags of 2021.
        score = Decimal(98) - i
        services.registration_self_assess(
            registration=registration,
            self_score=min(score + Decimal("1.5"), Decimal(100)),
            self_assessment=(
                "Năm 2020, HTX duy trì sản xuất kinh doanh ổn định trong điều kiện dịch Covid-19; "
                "hoàn thành các chỉ tiêu đã đăng ký; tham gia đầy đủ các hoạt động của Khối thi đua."
            ),
            on=SELF_ASSESSED_ON,
        )
        scores[registration.pk] = score
    services.bloc_score(bloc=bloc, scores=scores, on=SCORED_ON)
    return len(scores) + 1


def _proposals(movement: Movement) -> int:
    """The proposal behind 126/QĐ-UBND, approved and linked; one sent to the VCA in March 2021, waiting."""
    decision = Decision.objects.get(number="126/QĐ-UBND")
    granted = services.proposal_create(
        number="03/TTr-LMHTX",
        title="Tờ trình đề nghị Chủ tịch UBND tỉnh tặng Bằng khen cho các tập thể, cá nhân có thành tích năm 2020",
        year=2020,
        movement=movement,
        issuer=Issuer.PROVINCE,
        form=AwardForm.MERIT,
        drafted_on=D(2021, 1, 6),
    )
    for r in decision.recipients.order_by("kind", "id"):
        services.nominee_add(
            proposal=granted,
            kind=r.kind,
            organization=r.organization,
            person_name=r.person_name,
            position=r.position,
            reason=r.reason,
        )
    services.proposal_submit(proposal=granted, on=D(2021, 1, 8))
    services.proposal_approve(proposal=granted, on=decision.on)
    services.proposal_link_decision(proposal=granted, decision=decision, add_recipients=False)

    waiting = services.proposal_create(
        number="21/TTr-LMHTX",
        title="Tờ trình đề nghị Liên minh HTX Việt Nam tặng Kỷ niệm chương “Vì sự nghiệp phát triển HTX”",
        year=2021,
        issuer=Issuer.VCA,
        form=AwardForm.MEDAL,
        drafted_on=D(2021, 3, 8),
    )
    for name, position in PEOPLE[-2:]:
        services.nominee_add(
            proposal=waiting,
            kind=RecipientKind.INDIVIDUAL,
            person_name=name,
            position=position,
            reason="Có trên 10 năm công tác trong khu vực kinh tế tập thể",
        )
    services.proposal_submit(proposal=waiting, on=D(2021, 3, 12))
    return 2


@transaction.atomic
def load() -> dict:
    """Write the demo movement, bloc, covenant and award decisions; returns counts."""
    if Decision.objects.exists():
        raise RuntimeError("awards are not empty")
    collectives = sum(d[5] for d in DECISIONS)
    orgs = _organizations(collectives)
    movement = services.movement_create(
        year=2020,
        name="Phong trào thi đua “Đổi mới, phát triển kinh tế tập thể” năm 2020",
        launched_on=D(2020, 2, 10),
    )
    movement_2021 = services.movement_create(
        year=2021,
        name="Phong trào thi đua “Đổi mới, phát triển kinh tế tập thể” năm 2021",
        launched_on=D(2021, 2, 25),
    )
    bloc = services.bloc_create(name="Khối thi đua các HTX tỉnh Bắc Giang", year=2021, leader=None, members=orgs)
    services.registration_create(
        movement=movement_2021,
        bloc=bloc,
        targets=(
            "Hoàn thành kế hoạch sản xuất kinh doanh năm 2021; tăng doanh thu bình quân 10%; "
            "thu hút thêm thành viên; tham gia chuỗi giá trị sản phẩm; thực hiện đầy đủ nghĩa vụ thuế."
        ),
        signed_on=D(2021, 3, 5),
    )
    services.registration_create(
        movement=movement,
        organization=orgs[0],
        targets="Doanh thu tăng 8%; kết nạp thêm 10 thành viên; xây dựng sản phẩm OCOP 3 sao.",
        signed_on=D(2020, 3, 10),
    )
    # Collectives are spread over the decisions in code order; a person comes from one of them.
    org_iter, person_iter = iter(orgs), iter(PEOPLE)
    recipients = 0
    for number, on, issuer, form, title, n_collective, n_individual in DECISIONS:
        decision = services.award_decision_create(number=number, on=on, issuer=issuer, form=form, title=title)
        for _ in range(n_collective):
            services.award_recipient_add(
                decision=decision,
                kind=RecipientKind.COLLECTIVE,
                organization=next(org_iter),
                reason="Đã có thành tích xuất sắc trong phong trào thi đua năm 2020",
            )
            recipients += 1
        for i in range(n_individual):
            name, position = next(person_iter)
            services.award_recipient_add(
                decision=decision,
                kind=RecipientKind.INDIVIDUAL,
                person_name=name,
                position=position,
                organization=orgs[(i * 3 + recipients) % len(orgs)],
                reason="Đã có nhiều đóng góp cho sự nghiệp xây dựng và phát triển kinh tế tập thể",
            )
            recipients += 1
    registrations = 2 + _bloc_2020(movement, orgs)
    proposals = _proposals(movement)
    # The demo cooperative account has its own 2021 registration, to try the self-assessment.
    own = registry_demo.demo_cooperative()
    if own is not None and not selectors.registrations_for_organization(own, movement_2021).exists():
        services.registration_create(
            movement=movement_2021,
            organization=own,
            targets="Doanh thu tăng 10%; kết nạp thêm 5 thành viên; tham gia chuỗi giá trị lúa gạo của huyện.",
            signed_on=D(2021, 3, 12),
        )
        registrations += 1
    return {
        "movements": 2,
        "blocs": 2,
        "registrations": registrations,
        "decisions": len(DECISIONS),
        "recipients": recipients,
        "proposals": proposals,
    }
