"""Demo emulation and awards: the 2020 awards presented in Q1 2021, as the seed report lists them.

"02 Cờ thi đua of the VCA; 02 Cờ thi đua of the UBND tỉnh; 04 Bằng khen to collectives and
04 to individuals of the UBND tỉnh; 10 Kỷ niệm chương; 11 Giấy khen to collectives and 06
to individuals of the alliance chairman." Loaded on top of the registry demo; recipients
are HTX active on 15/03/2021, taken in code order so every load gives the same data.
"""

import datetime

from django.db import transaction

from hoptac.registry.models import Organization, OrgKind

from . import services
from .models import AwardForm, Decision, Issuer, RecipientKind

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
    return {"movements": 2, "blocs": 1, "registrations": 2, "decisions": len(DECISIONS), "recipients": recipients}
