"""Awards fixtures: an awards-department officer, a training officer, a decision with recipients."""

import datetime

import pytest

from hoptac.awards import services
from hoptac.awards.models import AwardForm, Issuer, RecipientKind
from hoptac.core.models import Department, Role, User

D = datetime.date
PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.fixture
def awards_staff(db):
    return User.objects.create_user("thidua", password=PASSWORD, role=Role.STAFF, department=Department.AWARDS)


@pytest.fixture
def training_staff(db):
    return User.objects.create_user("daotao", password=PASSWORD, role=Role.STAFF, department=Department.TRAINING)


@pytest.fixture
def decision(awards_staff, org_tan_yen, org_hiep_hoa):
    """A provincial Bằng khen of 28/01/2021: Tân Yên (collective), Hiệp Hòa (collective), a person of Hiệp Hòa."""
    decision = services.award_decision_create(
        number="126/QĐ-UBND", on=D(2021, 1, 28), issuer=Issuer.PROVINCE, form=AwardForm.MERIT, by=awards_staff
    )
    services.award_recipient_add(
        decision=decision, kind=RecipientKind.COLLECTIVE, organization=org_tan_yen, by=awards_staff
    )
    services.award_recipient_add(
        decision=decision, kind=RecipientKind.COLLECTIVE, organization=org_hiep_hoa, by=awards_staff
    )
    services.award_recipient_add(
        decision=decision,
        kind=RecipientKind.INDIVIDUAL,
        person_name="Trần Thị Lan",
        position="Giám đốc HTX",
        organization=org_hiep_hoa,
        by=awards_staff,
    )
    return decision


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def movement(awards_staff):
    return services.movement_create(
        year=2020, name="Phong trào thi đua năm 2020", launched_on=D(2020, 2, 10), by=awards_staff
    )


@pytest.fixture
def bloc(movement, org_tan_yen, org_hiep_hoa, awards_staff):
    """The 2020 bloc led by Hiệp Hòa, both cooperatives members, each with its own 2020 registration."""
    bloc = services.bloc_create(
        name="Khối thi đua các HTX", year=2020, leader=org_hiep_hoa, members=[org_tan_yen, org_hiep_hoa]
    )
    for org in (org_tan_yen, org_hiep_hoa):
        services.registration_create(
            movement=movement, organization=org, targets="Doanh thu tăng 5%", signed_on=D(2020, 3, 10)
        )
    return bloc


def registration_of(org, movement):
    from hoptac.awards.models import Registration

    return Registration.objects.get(organization=org, movement=movement)


@pytest.fixture
def proposal(awards_staff, org_tan_yen):
    """A draft proposal to the province for a Bằng khen, nominating Tân Yên."""
    proposal = services.proposal_create(
        title="Tờ trình đề nghị tặng Bằng khen năm 2020",
        year=2020,
        issuer=Issuer.PROVINCE,
        form=AwardForm.MERIT,
        drafted_on=D(2021, 1, 6),
        by=awards_staff,
    )
    services.nominee_add(
        proposal=proposal, kind=RecipientKind.COLLECTIVE, organization=org_tan_yen, reason="Xuất sắc", by=awards_staff
    )
    return proposal


def xlsx(rows, headers=None, *, title_rows=0) -> bytes:
    """An .xlsx file with the import's headers (or others) and rows, optionally under title rows."""
    import io

    from openpyxl import Workbook

    from hoptac.awards.importer import RECIPIENTS

    wb = Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["Danh sách khen thưởng"])
    ws.append(headers or RECIPIENTS.headers)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
