"""API fixtures: a client, tokens for the standing users, and a small world with distinctive private values.

``world`` holds everything the public must never see (people's names, phones, e-mails, charter
capital, a loan) next to what it may (names, codes, places, collective awards, products); the
walk in ``test_public_privacy.py`` searches every public answer for ``PRIVATE``.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from conftest import make_org
from hoptac.api.services import token_create
from hoptac.awards import services as awards
from hoptac.awards.models import AwardForm, Issuer, RecipientKind
from hoptac.core.models import Department, Role, User
from hoptac.valuechain import services as chains
from hoptac.valuechain.models import PlanStatus, ProgrammeStatus
from hoptac.valuechain.services import Decision, Score

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_throttles(settings):
    # Rate-limit counters live in the cache; each test starts with none spent. The cache is a
    # table of the database in production (shared by the servers); here one in memory, so that
    # tests without the database (the schema's) can empty it.
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def token_of(user) -> str:
    return token_create(user=user, name=f"thử {user.username}", by=user)[1]


def as_user(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_of(user)}")
    return client


@pytest.fixture
def fund_staff(db) -> User:
    return User.objects.create_user(
        "quy", password="mat-khau-thu-nghiem-1", role=Role.STAFF, department=Department.FUND
    )


def chain_with_product(org, by, *, product="Vải thiều Lục Ngạn", stars=4) -> None:
    """A 2021 programme that selected org, with an approved plan and one product."""
    programme = chains.programme_create(name=f"Chuỗi giá trị {org.code}", year_from=2021, year_to=2022, by=by)
    criterion = chains.criterion_add(programme=programme, text="Liên kết tiêu thụ", max_score=10, by=by)
    chains.programme_set_status(programme=programme, status=ProgrammeStatus.SURVEY, by=by)
    survey = chains.survey_create(
        programme=programme,
        organization=org,
        surveyed_on=D(2021, 3, 1),
        status="under_way",
        surveyors="Người Khảo Sát Kín",
        by=by,
    )
    chains.survey_score(survey=survey, answers={criterion: Score(8, "Có hợp đồng")}, by=by)
    chains.survey_mark_done(survey=survey, done_on=D(2021, 3, 5), by=by)
    selection = chains.selection_record(
        programme=programme, decisions=[Decision(survey, True)], decided_on=D(2021, 3, 20), by=by
    )[0]
    plan = chains.plan_create(selection=selection, title="Kế hoạch hỗ trợ tiêu thụ", starts_on=D(2021, 4, 1), by=by)
    chains.plan_set_status(plan=plan, status=PlanStatus.APPROVED, on=D(2021, 4, 2), by=by)
    chains.product_add(plan=plan, name=product, ocop_stars=stars, certification="VietGAP", by=by)


# Values that must never reach an anonymous client, in every spelling a page or file could use.
PRIVATE = {
    "representative": "Phạm Thị Bímật",
    "phone": "0987 654 321",
    "phone_digits": "0987654321",
    "email": "bimat.htx@example.vn",
    "street": "Số 77 ngõ Kín Đáo",
    "capital": "913.578.246",
    "capital_digits": "913578246",
    "capital_commas": "913,578,246",
    "person_award": "Lê Văn Khenthưởng",
    "user_name": "Đỗ Thị Tàikhoản",
    "user_given_name": "Tàikhoản",
    "user_phone": "0911 222 333",
    "user_email": "taikhoan.rieng@example.vn",
    "surveyor": "Người Khảo Sát Kín",
    "loan": "246.813.579",
    "loan_digits": "246813579",
    "loan_commas": "246,813,579",
    "approver": "Giám đốc Quỹ Bímật",
}


@dataclass
class World:
    public_org: object
    other_org: object
    ended_org: object
    coop_account: User
    loan: object


@pytest.fixture
def world(commune_tan_yen, commune_hiep_hoa, tan_yen) -> World:
    """Two operating organisations full of private values, one dissolved, an account, an award, a chain, a loan."""
    from decimal import Decimal

    from hoptac.fund import services as fund
    from hoptac.fund.models import LoanProduct
    from hoptac.registry.services import event_record

    public_org = make_org(
        commune_tan_yen,
        code="2400777001",
        name="Hợp tác xã Công Khai Quang Tiến",
        representative=PRIVATE["representative"],
        phone=PRIVATE["phone"],
        email=PRIVATE["email"],
        street=PRIVATE["street"],
        charter_capital=913_578_246,
        official_members=4321,
        employees=8765,
    )
    other_org = make_org(
        commune_hiep_hoa, code="2400777002", name="Quỹ tín dụng nhân dân Thanh Vân", kind="QTDND", sector="tin_dung"
    )
    ended_org = make_org(commune_tan_yen, code="2400777003", name="Hợp tác xã Đã Giải Thể Kín")
    event_record(organization=ended_org, kind="dissolved", on=D(2022, 1, 1))

    staff = User.objects.create_user(
        "nhanvien",
        password="mat-khau-thu-nghiem-1",
        role=Role.ADMIN,
        first_name="Tàikhoản",
        last_name="Đỗ Thị",
        email=PRIVATE["user_email"],
        phone=PRIVATE["user_phone"],
    )
    coop_account = User.objects.create_user(
        "htxcongkhai",
        password="mat-khau-thu-nghiem-1",
        role=Role.COOPERATIVE,
        organization=public_org,
        first_name=PRIVATE["user_name"],
        email=PRIVATE["user_email"],
        phone=PRIVATE["user_phone"],
    )

    decision = awards.award_decision_create(
        number="77/QĐ-UBND", on=D(2021, 1, 28), issuer=Issuer.PROVINCE, form=AwardForm.MERIT, by=staff
    )
    awards.award_recipient_add(decision=decision, kind=RecipientKind.COLLECTIVE, organization=public_org, by=staff)
    awards.award_recipient_add(
        decision=decision,
        kind=RecipientKind.INDIVIDUAL,
        organization=public_org,
        person_name=PRIVATE["person_award"],
        position="Giám đốc",
        by=staff,
    )
    chain_with_product(public_org, staff)

    product = LoanProduct.objects.create(
        code="HTX-60",
        name="Cho vay hỗ trợ HTX",
        eligible_kinds=["HTX"],
        max_amount=1_000_000_000,
        max_term_months=60,
        annual_rate=Decimal("7.2"),
    )
    loan = fund.loan_apply(
        borrower=public_org,
        product=product,
        code="VAY-777",
        project_name="Mở rộng vùng trồng",
        amount=246_813_579,
        term_months=24,
        on=D(2021, 1, 5),
        project_cost=600_000_000,
        equity_amount=300_000_000,
    )
    fund.loan_appraise(loan=loan, on=D(2021, 1, 6), text="Khả thi", by=staff, recommendation="approve")
    fund.loan_approve(
        loan=loan,
        amount=246_813_579,
        decision_number="7/QĐ-QHT",
        decision_on=D(2021, 1, 8),
        approver=PRIVATE["approver"],
        by=staff,
    )
    fund.loan_contract(loan=loan, number="HĐ-7", on=D(2021, 1, 9), by=staff)
    fund.loan_disburse(loan=loan, amount=246_813_579, on=D(2021, 1, 10), by=staff)
    return World(public_org, other_org, ended_org, coop_account, loan)
