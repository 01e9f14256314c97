"""Fund fixtures: a loan product and a loan of the Tân Yên cooperative at each stage."""

import datetime
from decimal import Decimal

import pytest

from hoptac.core.models import Department, Role, User
from hoptac.fund import services
from hoptac.fund.models import CapitalSource, LoanProduct, SourceKind

D = datetime.date
FIRST_DISBURSEMENT = D(2021, 1, 15)


@pytest.fixture
def product(db):
    return LoanProduct.objects.create(
        code="HTX-60",
        name="Cho vay hỗ trợ HTX",
        eligible_kinds=["HTX", "LHHTX", "THT"],
        max_amount=1_000_000_000,
        max_term_months=60,
        annual_rate=Decimal("7.2"),
    )


@pytest.fixture
def fund_staff(db):
    return User.objects.create_user(
        "quy", password="mat-khau-thu-nghiem-1", role=Role.STAFF, department=Department.FUND
    )


@pytest.fixture
def source(db):
    return CapitalSource.objects.create(name="Ngân sách tỉnh", kind=SourceKind.PROVINCIAL_BUDGET)


def disbursed_loan(org, product, by, *, amount=500_000_000, on=FIRST_DISBURSEMENT, term=36, code="VAY-001"):
    loan = services.loan_apply(
        borrower=org,
        product=product,
        code=code,
        project_name="Mở rộng vùng trồng vải",
        amount=amount,
        term_months=term,
        on=on - datetime.timedelta(days=30),
        project_cost=amount * 2,
        equity_amount=amount,
    )
    services.loan_appraise(
        loan=loan, on=on - datetime.timedelta(days=20), text="Dự án khả thi", by=by, recommendation="approve"
    )
    services.loan_approve(
        loan=loan,
        amount=amount,
        decision_number="12/QĐ-QHT",
        decision_on=on - datetime.timedelta(days=10),
        approver="Giám đốc Quỹ",
        by=by,
    )
    services.loan_contract(loan=loan, number="HĐ-12", on=on - datetime.timedelta(days=5), by=by)
    services.loan_disburse(loan=loan, amount=amount, on=on, by=by)
    loan.refresh_from_db()
    return loan


@pytest.fixture
def loan(org_tan_yen, product, fund_staff):
    return disbursed_loan(org_tan_yen, product, fund_staff)
