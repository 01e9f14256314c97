"""Training reads: planned vs done, the quarterly summary, an organisation's training, who sees what."""

import datetime

import pytest

from hoptac.training import selectors, services
from hoptac.training.models import BudgetSource, CourseStatus, TargetGroup

pytestmark = pytest.mark.django_db
D = datetime.date
Q1 = (D(2021, 1, 1), D(2021, 3, 31))
Q2 = (D(2021, 4, 1), D(2021, 6, 30))


def test_plan_progress_per_planned_course_and_in_total(plan, course, other_course, managers_planned, training_staff):
    accountants = plan.planned_courses.get(target_group=TargetGroup.ACCOUNTANTS)
    services.course_update(course=other_course, planned=accountants, by=training_staff)  # recorded, not yet held
    cancelled = services.course_create(
        planned=accountants,
        topic="Lớp hủy",
        starts_on=D(2021, 6, 1),
        ends_on=D(2021, 6, 1),
        place="Hội trường",
        target_group=TargetGroup.ACCOUNTANTS,
        budget=50_000_000,
        budget_source=BudgetSource.PROVINCE,
        by=training_staff,
    )
    services.course_cancel(course=cancelled, reason="Không đủ học viên", by=training_staff)

    progress = selectors.plan_progress(plan)
    managers, accounting = progress.rows
    assert managers.planned == managers_planned and managers.held == [course] and managers.scheduled == []
    # One learner attended; the absent learner and the trainer do not count.
    assert (managers.participants_planned, managers.participants_done) == (40, 1)
    assert (managers.budget_planned, managers.budget_spent) == (120_000_000, 112_500_000)
    assert accounting.held == [] and accounting.scheduled == [other_course] and accounting.budget_spent == 0
    assert (progress.courses_planned, progress.courses_held) == (2, 1)
    assert (progress.participants_planned, progress.participants_done) == (75, 1)
    assert (progress.budget_planned, progress.budget_spent) == (210_000_000, 112_500_000)
    assert progress.held_course_ids == [course.pk] and progress.courses_percent == 50


def test_plan_progress_takes_two_queries(plan, course, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.plan_progress(plan)


def test_summary_of_q1_2021_is_the_plan_issued_and_no_course(plan, course):
    summary = selectors.training_summary(*Q1)
    assert [(p.number, p.issued_on, p.title) for p in summary.plans] == [
        ("05/KH-LMHTX", D(2021, 1, 15), "Kế hoạch bồi dưỡng, tập huấn năm 2021")
    ]
    assert summary.plan_ids == [plan.pk]
    assert (summary.course_count, summary.participant_count, summary.organization_count, summary.budget_spent) == (
        0,
        0,
        0,
        0,
    )


def test_summary_of_q2_2021_counts_learners_who_attended_once_per_course(
    plan, course, other_course, org_tan_yen, org_hiep_hoa, training_staff
):
    # The same person at a second course held in Q2 counts again, for that course.
    services.participant_add(course=other_course, full_name="Nguyễn Văn An", organization=org_tan_yen)
    absent = services.participant_add(course=other_course, full_name="Lê Văn Hải", organization=org_hiep_hoa)
    official = services.participant_add(course=other_course, full_name="Hà Thị Mai", organization_name="UBND xã")
    attended = set(other_course.participants.values_list("pk", flat=True)) - {absent.pk}
    services.attendance_mark(course=other_course, attended=attended, by=training_staff)
    services.course_mark_held(course=other_course, by=training_staff)

    summary = selectors.training_summary(*Q2)
    assert summary.plans == []
    assert summary.course_ids == [course.pk, other_course.pk]
    an = course.participants.get(full_name="Nguyễn Văn An")
    an_again = other_course.participants.get(full_name="Nguyễn Văn An")
    assert summary.participant_ids == [an.pk, an_again.pk, official.pk]
    # Organisations of the register reached, each once; the commune official's unit is not in it.
    assert summary.organization_ids == [org_tan_yen.pk]
    assert list(summary.organizations()) == [org_tan_yen]
    assert summary.budget_spent == 112_500_000 + 84_000_000
    assert [p.full_name for p in summary.participants()] == ["Nguyễn Văn An", "Nguyễn Văn An", "Hà Thị Mai"]


def test_summary_counts_a_course_in_the_period_of_its_last_day_and_only_once_held(course, training_staff):
    assert selectors.training_summary(D(2021, 4, 1), D(2021, 4, 21)).course_count == 0
    assert selectors.training_summary(D(2021, 4, 22), D(2021, 4, 22)).course_ids == [course.pk]
    coming = services.course_create(
        topic="Chưa tổ chức",
        starts_on=D(2021, 6, 1),
        ends_on=D(2021, 6, 1),
        place="Hội trường",
        target_group=TargetGroup.MEMBERS,
        budget=1_000_000,
        budget_source=BudgetSource.PARTNER,
        by=training_staff,
    )
    assert coming.status == CourseStatus.PLANNED
    assert selectors.training_summary(*Q2).course_ids == [course.pk]


def test_an_archived_participant_no_longer_counts(course, training_staff):
    an = course.participants.get(full_name="Nguyễn Văn An")
    services.participant_archive(participant=an, reason="Nhập nhầm", by=training_staff)
    assert selectors.training_summary(*Q2).participant_count == 0
    assert selectors.plan_progress(course.planned.plan).participants_done == 0


def test_training_of_an_organisation_newest_first_without_archived(course, other_course, org_tan_yen, training_staff):
    later = services.participant_add(
        course=other_course, full_name="Phạm Thị Hoa", position="Kế toán", organization=org_tan_yen
    )
    mistaken = services.participant_add(course=other_course, full_name="Nhầm", organization=org_tan_yen)
    services.participant_archive(participant=mistaken, reason="Nhập nhầm", by=training_staff)
    rows = list(selectors.training_of(org_tan_yen))
    assert [(p.full_name, p.course) for p in rows] == [("Phạm Thị Hoa", other_course), ("Nguyễn Văn An", course)]
    assert later in rows


def test_who_may_manage(admin, staff, training_staff, awards_staff, officer, coop_user):
    assert selectors.can_manage_training(admin) and selectors.can_manage_training(training_staff)
    for user in (staff, awards_staff, officer, coop_user):
        assert not selectors.can_manage_training(user)


def test_area_officer_sees_courses_and_people_of_their_area_only(course, other_course, officer, org_hiep_hoa):
    assert list(selectors.courses_for(officer)) == [course]
    assert [p.full_name for p in selectors.course_participants(officer, course)] == ["Nguyễn Văn An"]
    assert not selectors.plans_for(officer).exists()


def test_cooperative_sees_only_its_own_people(course, coop_user, org_hiep_hoa, training_staff):
    assert [p.full_name for p in selectors.participants_for(coop_user)] == ["Nguyễn Văn An"]
    row = selectors.course_list(coop_user).get()
    assert row == course and row.participant_count == 1
    assert selectors.course_list(training_staff).get().participant_count == 3
