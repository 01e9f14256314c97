"""The demo training: the 2021 plan issued in Q1, no course in Q1, one course in Q4 2020 and two in Q2 2021."""

import datetime

import pytest
from django.db import transaction

from hoptac.awards import demo as awards_demo
from hoptac.fund import demo as fund_demo
from hoptac.journal import demo as journal_demo
from hoptac.registry import demo as registry_demo
from hoptac.training import demo, selectors
from hoptac.training.models import Course, CourseStatus, Participant, Plan, PlannedCourse

pytestmark = pytest.mark.django_db
D = datetime.date
Q4_2020 = (D(2020, 10, 1), D(2020, 12, 31))
Q1_2021 = (D(2021, 1, 1), D(2021, 3, 31))
Q2_2021 = (D(2021, 4, 1), D(2021, 6, 30))


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demos in the order load_demo runs them, once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        registry_demo.load()
        fund_demo.load()
        awards_demo.load()
        journal_demo.load()
        yield demo.load()
        transaction.set_rollback(True)


def fingerprint() -> list:
    return list(
        Participant.objects.order_by("course__starts_on", "id").values_list(
            "course__topic", "full_name", "gender", "organization__code", "organization_name", "role", "attended"
        )
    )


def test_the_2021_plan_is_issued_in_january_and_linked_to_the_journal(loaded):
    plan = Plan.objects.get()
    assert (plan.year, plan.number, plan.issued_on) == (2021, "05/KH-LMHTX", D(2021, 1, 15))
    assert plan.is_issued and plan.document is not None and plan.document.number == plan.number
    assert loaded["document_linked"] is True


def test_the_plan_has_six_to_eight_courses_across_the_year_with_budgets(loaded):
    planned = list(PlannedCourse.objects.all())
    assert 6 <= len(planned) <= 8
    assert {p.quarter for p in planned} >= {2, 3, 4}
    assert all(p.budget > 0 and p.participants > 0 for p in planned)
    assert Plan.objects.get().budget == sum(p.budget for p in planned)


def test_q1_2021_reports_only_the_plan_issued(loaded):
    summary = selectors.training_summary(*Q1_2021)
    assert [p.number for p in summary.plans] == ["05/KH-LMHTX"]
    assert summary.course_count == 0 and summary.participant_count == 0 and summary.budget_spent == 0
    assert not Course.objects.filter(starts_on__lte=Q1_2021[1], ends_on__gte=Q1_2021[0]).exists()


def test_one_course_in_q4_2020_and_two_in_q2_2021_after_the_report_day(loaded):
    assert Course.objects.count() == 3 and not Course.objects.exclude(status=CourseStatus.HELD).exists()
    q4 = selectors.training_summary(*Q4_2020)
    assert q4.course_count == 1 and q4.courses[0].ends_on.month == 12 and q4.courses[0].planned is None
    q2 = selectors.training_summary(*Q2_2021)
    assert q2.course_count == 2
    for course in q2.courses:
        assert course.starts_on > D(2021, 3, 15) and course.planned.plan.year == 2021
        assert 20 <= course.participants.filter(role="learner").count() <= 40
    assert q2.plans == [] and q2.organization_count > 30


def test_learners_come_from_organisations_active_on_the_course_day(loaded):
    for course in Course.objects.all():
        for person in course.participants.filter(organization__isnull=False).select_related("organization"):
            assert person.organization.status_on(course.starts_on) == "active"
        assert course.participants.filter(organization__isnull=True, role="learner").exists()  # commune officials


def test_the_plan_page_and_the_report_agree(loaded):
    progress = selectors.plan_progress(Plan.objects.get())
    q2 = selectors.training_summary(*Q2_2021)
    assert progress.courses_held == q2.course_count == 2
    assert progress.participants_done == q2.participant_count
    assert progress.budget_spent == q2.budget_spent == 196_500_000


def test_the_demo_is_the_same_every_time(loaded):
    first = fingerprint()
    with transaction.atomic():
        Participant.objects.all().delete()
        Course.objects.all().delete()
        PlannedCourse.objects.all().delete()
        Plan.objects.all().delete()
        demo.load()
        assert fingerprint() == first
        transaction.set_rollback(True)


def test_the_demo_refuses_a_second_load(loaded):
    with pytest.raises(RuntimeError):
        demo.load()
