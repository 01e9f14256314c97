"""Grading from the Circular 01/2020 sheet: the bands, and when a cooperative is not graded."""

import datetime

import pytest

from conftest import make_org
from hoptac.core.audit import entries_for
from hoptac.registry.services import event_record
from hoptac.returns import grading, services
from hoptac.returns.models import Grade, Grading

from .conftest import SCORES, submit

D = datetime.date


@pytest.mark.parametrize(
    "total, grade",
    [
        (100, Grade.GOOD),
        (80, Grade.GOOD),
        (79, Grade.FAIR),
        (65, Grade.FAIR),
        (64, Grade.AVERAGE),
        (50, Grade.AVERAGE),
        (49, Grade.WEAK),
        (0, Grade.WEAK),
    ],
)
def test_the_bands_of_the_circular(total, grade):
    assert grading.grade_for(total) == grade


def test_approving_the_sheet_records_the_total_and_grade(grading_form, org_tan_yen, staff):
    ret = submit(grading_form, org_tan_yen, 2020, SCORES)
    services.return_approve(ret=ret, by=staff)
    grade = Grading.objects.get(organization=org_tan_yen, year=2020)
    assert (grade.total, grade.grade, grade.not_graded_reason, grade.ret) == (78, Grade.FAIR, "", ret)
    assert entries_for(grade).get().action == "returns.grading.recorded"


def test_a_submitted_sheet_is_not_yet_a_grade(grading_form, org_tan_yen):
    submit(grading_form, org_tan_yen, 2020, SCORES)
    assert not Grading.objects.exists()


def test_approving_another_form_records_no_grade(annual, org_tan_yen, staff):
    services.return_approve(ret=submit(annual, org_tan_yen, 2020), by=staff)
    assert not Grading.objects.exists()


def test_a_sheet_approved_again_after_reopening_updates_the_grade(grading_form, org_tan_yen, staff, admin):
    ret = services.return_approve(ret=submit(grading_form, org_tan_yen, 2020, SCORES), by=staff)
    ret = services.return_reopen(ret=ret, reason="Chấm lại tiêu chí 3", by=admin)
    ret = services.return_submit(ret=ret, values={"grading_c03": "11"}, by=None)
    services.return_approve(ret=ret, by=staff)
    grade = Grading.objects.get(organization=org_tan_yen, year=2020)
    assert (grade.total, grade.grade) == (80, Grade.GOOD)


def test_a_cooperative_founded_during_the_year_is_not_graded(grading_form, commune_tan_yen, staff):
    org = make_org(commune_tan_yen, founded_on=D(2020, 3, 15), name="HTX Thành lập 2020")
    services.return_approve(ret=submit(grading_form, org, 2020, SCORES), by=staff)
    grade = Grading.objects.get(organization=org)
    assert grade.grade == Grade.NOT_GRADED and grade.total == 78
    assert "chưa đủ 12 tháng" in grade.not_graded_reason and "15/03/2020" in grade.not_graded_reason


def test_twelve_months_by_the_end_of_the_year_is_enough(commune_tan_yen):
    on_new_year = make_org(commune_tan_yen, founded_on=D(2020, 1, 1), name="HTX Đầu năm")
    next_day = make_org(commune_tan_yen, founded_on=D(2020, 1, 2), name="HTX Ngày thứ hai")
    assert grading.not_graded_reason(on_new_year, 2020) == ""
    assert grading.not_graded_reason(next_day, 2020)


def test_a_cooperative_suspended_over_three_months_is_not_graded(org_tan_yen):
    event_record(organization=org_tan_yen, kind="suspended", on=D(2020, 3, 1))
    event_record(organization=org_tan_yen, kind="resumed", on=D(2020, 6, 2))
    assert grading.stopped_days(org_tan_yen, 2020) == 93
    reason = grading.not_graded_reason(org_tan_yen, 2020)
    assert "93 ngày" in reason and "quá 3 tháng" in reason


def test_a_suspension_of_three_months_is_not_over_three_months(org_tan_yen):
    event_record(organization=org_tan_yen, kind="suspended", on=D(2020, 3, 1))
    event_record(organization=org_tan_yen, kind="resumed", on=D(2020, 6, 1))
    assert grading.stopped_days(org_tan_yen, 2020) == 92
    assert grading.not_graded_reason(org_tan_yen, 2020) == ""


def test_a_suspension_from_the_year_before_counts_from_new_year(org_tan_yen):
    event_record(organization=org_tan_yen, kind="suspended", on=D(2019, 11, 1))
    event_record(organization=org_tan_yen, kind="resumed", on=D(2020, 4, 15))
    assert grading.stopped_days(org_tan_yen, 2020) == 105


def test_a_suspension_to_the_end_of_the_year(org_tan_yen):
    event_record(organization=org_tan_yen, kind="suspended", on=D(2020, 10, 1))
    assert grading.stopped_days(org_tan_yen, 2020) == 92
    assert grading.stopped_days(org_tan_yen, 2021) == 365


def test_suspensions_add_up(org_tan_yen):
    event_record(organization=org_tan_yen, kind="suspended", on=D(2020, 2, 1))
    event_record(organization=org_tan_yen, kind="resumed", on=D(2020, 3, 15))
    event_record(organization=org_tan_yen, kind="suspended", on=D(2020, 9, 1))
    event_record(organization=org_tan_yen, kind="resumed", on=D(2020, 11, 1))
    assert grading.stopped_days(org_tan_yen, 2020) == 43 + 61
    assert grading.not_graded_reason(org_tan_yen, 2020)


def test_a_suspended_cooperative_gets_no_grade_on_approval(grading_form, org_tan_yen, staff):
    event_record(organization=org_tan_yen, kind="suspended", on=D(2020, 5, 1))
    event_record(organization=org_tan_yen, kind="resumed", on=D(2020, 10, 1))
    services.return_approve(ret=submit(grading_form, org_tan_yen, 2020, SCORES), by=staff)
    assert Grading.objects.get(organization=org_tan_yen).grade == Grade.NOT_GRADED
