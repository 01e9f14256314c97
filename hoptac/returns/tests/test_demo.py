"""The demo returns load after the demo register: most report, some late, some missing, some flagged, graded."""

import pytest
from django.db import transaction

from hoptac.registry import demo as registry_demo
from hoptac.returns import demo, selectors, validation
from hoptac.returns.models import Grade, Grading, Return, ReturnForm, Status
from hoptac.returns.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The registry demo and the returns demo, once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        registry_demo.load()
        yield demo.load()
        transaction.set_rollback(True)


def test_most_cooperatives_report_some_late_some_missing(loaded):
    annual = ReturnForm.objects.get(code="annual_htx")
    for year in (2019, 2020):
        report = selectors.completeness(annual, Period(year))
        assert 0.05 < report.total.missing / report.total.expected < 0.2
        assert 0.05 < report.total.late / report.total.expected < 0.2
    assert loaded["flagged"] >= 5


def test_demo_values_pass_every_check(loaded):
    annual = ReturnForm.objects.get(code="annual_htx")
    version = annual.version_for(2020)
    specs, rules = validation.specs_for(version), validation.rules_for(version)
    for ret in Return.objects.filter(form=annual, status=Status.APPROVED).select_related("organization")[:200]:
        assert validation.submission_errors(specs, rules, ret.organization, validation.values_of(ret)) == {}


def test_grades_are_spread_and_some_are_not_graded(loaded):
    grades = {g: Grading.objects.filter(year=2020, grade=g).count() for g in Grade.values}
    assert all(grades[g] > 10 for g in (Grade.GOOD, Grade.FAIR, Grade.AVERAGE, Grade.WEAK))
    founded_2020 = Grading.objects.filter(grade=Grade.NOT_GRADED, organization__founded_on__year=2020)
    assert founded_2020.exists()
