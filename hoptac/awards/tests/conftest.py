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
