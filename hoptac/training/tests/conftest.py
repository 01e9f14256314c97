"""Training fixtures: a training officer, an awards officer (reads only), a 2021 plan and two courses.

- ``plan``: the 2021 plan, issued 15/01/2021, with two planned courses (managers Q2, accountants Q2);
- ``course``: the managers' course of 20–22/04/2021 carrying out the first, held, with three people:
  a learner of Tân Yên who attended, a learner of Hiệp Hòa who did not, a trainer not in the register;
- ``other_course``: a course of 18/05/2021 for accountants, still planned, nobody on it yet.
"""

import datetime

import pytest

from hoptac.core.models import Department, Role, User
from hoptac.training import services
from hoptac.training.models import BudgetSource, ParticipantRole, TargetGroup

D = datetime.date
PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.fixture
def training_staff(db):
    return User.objects.create_user("daotao", password=PASSWORD, role=Role.STAFF, department=Department.TRAINING)


@pytest.fixture
def awards_staff(db):
    return User.objects.create_user("thidua", password=PASSWORD, role=Role.STAFF, department=Department.AWARDS)


@pytest.fixture
def plan(training_staff):
    plan = services.plan_create(
        year=2021, title="Kế hoạch bồi dưỡng, tập huấn năm 2021", budget=210_000_000, by=training_staff
    )
    plan = services.plan_issue(plan=plan, number="05/KH-LMHTX", issued_on=D(2021, 1, 15), by=training_staff)
    services.planned_course_add(
        plan=plan,
        topic="Bồi dưỡng kiến thức quản lý HTX",
        target_group=TargetGroup.MANAGERS,
        quarter=2,
        month=4,
        participants=40,
        budget=120_000_000,
        budget_source=BudgetSource.PROVINCE,
        by=training_staff,
    )
    services.planned_course_add(
        plan=plan,
        topic="Tập huấn nghiệp vụ kế toán HTX",
        target_group=TargetGroup.ACCOUNTANTS,
        quarter=2,
        participants=35,
        budget=90_000_000,
        budget_source=BudgetSource.PROVINCE,
        by=training_staff,
    )
    return plan


@pytest.fixture
def managers_planned(plan):
    return plan.planned_courses.get(target_group=TargetGroup.MANAGERS)


@pytest.fixture
def course(managers_planned, training_staff, org_tan_yen, org_hiep_hoa):
    course = services.course_create(
        planned=managers_planned,
        topic="Bồi dưỡng kiến thức quản lý HTX",
        starts_on=D(2021, 4, 20),
        ends_on=D(2021, 4, 22),
        place="Hội trường UBND huyện Tân Yên",
        trainers="TS. Trần Quốc Hưng",
        target_group=TargetGroup.MANAGERS,
        budget=112_500_000,
        budget_source=BudgetSource.PROVINCE,
        by=training_staff,
    )
    present = services.participant_add(
        course=course, full_name="Nguyễn Văn An", position="Giám đốc", organization=org_tan_yen, by=training_staff
    )
    services.participant_add(
        course=course, full_name="Trần Thị Lan", position="Kế toán", organization=org_hiep_hoa, by=training_staff
    )
    trainer = services.participant_add(
        course=course,
        full_name="Trần Quốc Hưng",
        organization_name="Học viện Nông nghiệp Việt Nam",
        role=ParticipantRole.TRAINER,
        by=training_staff,
    )
    services.attendance_mark(
        course=course,
        attended={present.pk, trainer.pk},
        certificates={present.pk},
        days={present.pk: 3},
        by=training_staff,
    )
    return services.course_mark_held(course=course, by=training_staff)


@pytest.fixture
def other_course(training_staff):
    return services.course_create(
        topic="Tập huấn nghiệp vụ kế toán HTX",
        starts_on=D(2021, 5, 18),
        ends_on=D(2021, 5, 19),
        place="Trung tâm Hội nghị tỉnh",
        target_group=TargetGroup.ACCOUNTANTS,
        budget=84_000_000,
        budget_source=BudgetSource.PROVINCE,
        by=training_staff,
    )
