"""Value-chain fixtures: a value-chain officer, staff of other departments, a 2021 programme open for survey.

The programme has three criteria (100 points at most): organisation (10, required from 5),
scale of production (20, weight ×2, so 40 points) and market links (50). Two candidates:
``org_tan_yen`` and ``org_hiep_hoa``, surveys under way since 01/03/2021.
"""

import datetime

import pytest

from hoptac.core.models import Department, Role, User
from hoptac.valuechain import services
from hoptac.valuechain.models import ProgrammeStatus
from hoptac.valuechain.services import Score

D = datetime.date
PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.fixture
def vc_staff(db):
    return User.objects.create_user(
        "chuoi", password=PASSWORD, role=Role.STAFF, department=Department.VALUE_CHAIN, first_name="Minh"
    )


@pytest.fixture
def training_staff(db):
    return User.objects.create_user("daotao", password=PASSWORD, role=Role.STAFF, department=Department.TRAINING)


@pytest.fixture
def office_staff(db):
    return User.objects.create_user("vanphong", password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)


@pytest.fixture
def programme(vc_staff):
    programme = services.programme_create(
        name="Hỗ trợ xây dựng chuỗi giá trị năm 2021", year_from=2021, budget=1_000_000_000, by=vc_staff
    )
    services.criterion_add(
        programme=programme,
        text="Tổ chức, hoạt động theo Luật HTX năm 2012",
        max_score=10,
        required=True,
        pass_score=5,
        by=vc_staff,
    )
    services.criterion_add(programme=programme, text="Quy mô sản xuất", max_score=20, weight=2, by=vc_staff)
    services.criterion_add(programme=programme, text="Liên kết tiêu thụ", max_score=50, by=vc_staff)
    services.programme_set_status(programme=programme, status=ProgrammeStatus.SURVEY, by=vc_staff)
    return programme


def criteria(programme):
    return list(programme.criteria.filter(archived_on__isnull=True).order_by("order"))


def score(survey, *values, by=None):
    """Score survey's criteria in order with values (None leaves one unanswered)."""
    given = {c: Score(v, f"Trả lời {c.order}") for c, v in zip(criteria(survey.programme), values, strict=False)}
    return services.survey_score(survey=survey, answers=given, by=by)


@pytest.fixture
def survey_ty(programme, org_tan_yen, vc_staff):
    return services.survey_create(
        programme=programme, organization=org_tan_yen, surveyed_on=D(2021, 3, 1), status="under_way", by=vc_staff
    )


@pytest.fixture
def survey_hh(programme, org_hiep_hoa, vc_staff):
    return services.survey_create(
        programme=programme, organization=org_hiep_hoa, surveyed_on=D(2021, 3, 2), status="under_way", by=vc_staff
    )


@pytest.fixture
def done_pair(survey_ty, survey_hh, vc_staff):
    """Both surveys done: Tân Yên 8 + 15×2 + 40 = 78, Hiệp Hòa 10 + 18×2 + 45 = 91."""
    score(survey_ty, 8, 15, 40, by=vc_staff)
    score(survey_hh, 10, 18, 45, by=vc_staff)
    services.survey_mark_done(survey=survey_ty, done_on=D(2021, 3, 5), by=vc_staff)
    services.survey_mark_done(survey=survey_hh, done_on=D(2021, 3, 8), by=vc_staff)
    return survey_ty, survey_hh


@pytest.fixture
def selected(programme, done_pair, vc_staff):
    """Both selected on 20/03/2021; returns the Tân Yên selection."""
    survey_ty, survey_hh = done_pair
    chosen = services.selection_record(
        programme=programme,
        decisions=[services.Decision(survey_ty, True), services.Decision(survey_hh, True)],
        decided_on=D(2021, 3, 20),
        decision_number="12/QĐ-LMHTX",
        by=vc_staff,
    )
    return chosen[0]


@pytest.fixture
def plan(selected, vc_staff):
    return services.plan_create(
        selection=selected,
        title="Kế hoạch hỗ trợ chuỗi giá trị lúa gạo Quang Tiến",
        starts_on=D(2021, 4, 1),
        ends_on=D(2021, 12, 31),
        partners="Công ty CP Giống cây trồng",
        by=vc_staff,
    )
