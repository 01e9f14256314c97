"""Returns fixtures: the shipped forms, reviewers of each kind, and filled-in values that pass every check."""

import datetime

import pytest
from django.utils import translation

from hoptac.core.models import Department, Role, User
from hoptac.returns import services
from hoptac.returns.models import ReturnForm

D = datetime.date
PASSWORD = "mat-khau-thu-nghiem-1"

# An annual report that passes every check (as typed in the entry page).
VALID = {
    "model": "services",
    "qualification_chair": "university",
    "qualification_director": "intermediate",
    "qualification_supervisor": "elementary",
    "members_start": "12",
    "members_end": "15",
    "employees": "8",
    "employees_members": "6",
    "charter_capital": "500.000.000",
    "total_assets": "1.200.000.000",
    "revenue": "2.500.000.000",
    "profit": "150.000.000",
    "taxes": "20.000.000",
    "avg_income": "60.000.000",
    "member_services": "75,5",
}

# A grading sheet of 78 points (Khá): criteria 1-15, each within its maximum.
SCORES = {f"grading_c{n:02d}": s for n, s in enumerate([6, 5, 9, 5, 7, 5, 4, 5, 3, 6, 6, 6, 5, 4, 2], start=1)}


@pytest.fixture(autouse=True)
def vietnamese():
    """Every test in Vietnamese, the product's language, whatever a request before it switched to."""
    with translation.override("vi"):
        yield


@pytest.fixture
def annual(db) -> ReturnForm:
    return ReturnForm.objects.get(code="annual_htx")


@pytest.fixture
def grading_form(db) -> ReturnForm:
    return ReturnForm.objects.get(code="grading")


@pytest.fixture
def quarterly(db) -> ReturnForm:
    return ReturnForm.objects.get(code="alliance_quarterly")


@pytest.fixture
def fund_staff(db) -> User:
    return User.objects.create_user("quy", password=PASSWORD, role=Role.STAFF, department=Department.FUND)


@pytest.fixture
def other_coop_user(org_hiep_hoa) -> User:
    return User.objects.create_user("coop2", password=PASSWORD, role=Role.COOPERATIVE, organization=org_hiep_hoa)


def submit(form, org, year, values=None, *, by=None, on=None, quarter=None):
    """A return of org opened and submitted by the system (no permission checks), on a date."""
    ret = services.return_open(form=form, organization=org, year=year, quarter=quarter, by=by)
    return services.return_submit(ret=ret, by=by, values=dict(values or VALID), on=on)


def approve(ret, by=None):
    return services.return_approve(ret=ret, by=by)
