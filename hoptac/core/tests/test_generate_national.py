"""The national dataset generator (issue #9): deterministic, and read by the real selectors as real rows are.

Runs at scale 0.002 (about 230 organisations, 40 loans) on whatever database the tests use.
The dataset is generated once for the module, in a transaction rolled back at its end; each
test runs in a savepoint of it.
"""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from hoptac.awards.models import Decision, Recipient
from hoptac.core import national
from hoptac.core.models import Role, User
from hoptac.core.text import normalize
from hoptac.fund.models import (
    Appraisal,
    CapitalMovement,
    CapitalSource,
    Disbursement,
    Instalment,
    Loan,
    LoanProduct,
    LoanStatus,
    Repayment,
    Schedule,
)
from hoptac.fund.selectors import fund_statement, loans_with_money, position
from hoptac.fund.services import eligibility
from hoptac.registry.models import STATUS_AFTER, LifecycleEvent, Membership, Organization, OrgKind, Status
from hoptac.registry.selectors import registry_statistics
from hoptac.registry.services import ALLOWED_FROM
from hoptac.returns.models import Return, ReturnForm, ReturnRevision, Value
from hoptac.returns.periods import Period
from hoptac.returns.selectors import organizations_in_scope
from hoptac.training.models import Course, Participant, Plan, PlannedCourse

SCALE = 0.002
SEED = 7


def generate(seed: int = SEED) -> str:
    out = StringIO()
    call_command("generate_national", "--scale", str(SCALE), "--seed", str(seed), stdout=out)
    return out.getvalue()


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield generate()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_counts_per_kind_follow_the_scale(generated):
    counts = Counter(Organization.objects.values_list("kind", flat=True))
    assert counts == {kind: national.scaled(n, SCALE) for kind, n in national.KIND_TOTALS.items()}
    assert "registry_organization" in generated and "fund_repayment" in generated
    assert Return.objects.count() > 0 and Value.objects.count() > 10 * Return.objects.count()
    assert Repayment.objects.count() > 10 * Loan.objects.filter(status__in=["active", "closed"]).count()
    assert Decision.objects.exists() and Recipient.objects.exists()
    assert Course.objects.exists() and Participant.objects.exists()


def test_the_analyst_is_national_staff_not_an_administrator(generated):
    user = User.objects.get(username=national.ANALYST)
    assert user.role == Role.STAFF and user.is_alliance and not user.is_admin
    assert user.check_password(national.DEMO_PASSWORD)


def test_organisations_are_kept_as_the_services_keep_them(generated):
    provinces = set()
    for org in Organization.objects.select_related("commune__parent"):
        assert org.commune.is_valid_on(org.founded_on), org.code
        search = org.search_text
        org.refresh_search_text()
        assert org.search_text == search
        provinces.add(org.commune.parent.parent_id if org.commune.parent.level == 2 else org.commune.parent_id)
        # Events replayed through the registry's transition table.
        status = Status.ACTIVE
        events = list(org.events.order_by("on", "id"))
        assert events[0].kind == "registered" and events[0].on == org.founded_on
        for event in events:
            assert event.status_after == STATUS_AFTER.get(event.kind, "")
            assert status in ALLOWED_FROM[event.kind], (org.code, event.kind)
            status = event.status_after or status
            if event.kind == "merged":
                assert event.merged_into.status_on(event.on) == Status.ACTIVE
    assert len(provinces) > 30
    assert Membership.objects.filter(left_on__lt=datetime.date(1990, 1, 1)).count() == 0


def test_search_without_diacritics_finds_a_generated_organisation(generated):
    org = Organization.objects.filter(kind=OrgKind.HTX).order_by("code").first()
    query = normalize(f"{org.name} {org.commune.name}")
    assert org in Organization.objects.search(query)
    assert org in Organization.objects.search(org.code)


def test_statistics_on_a_date_count_what_the_events_say(generated):
    day = datetime.date(2021, 3, 15)
    stats = registry_statistics(as_of=day)
    expected = Counter(org.kind for org in Organization.objects.all() if org.status_on(day) == Status.ACTIVE)
    assert {k: v for k, v in stats.active.items() if v} == dict(expected)
    assert sum(a["total"] for a in stats.areas) == sum(expected.values())


def test_returns_are_filed_by_organisations_in_scope_with_plausible_values(generated):
    form = ReturnForm.objects.get(code="annual_htx")
    for year in (2016, 2020, 2025):
        scope = set(organizations_in_scope(form, Period(year)).values_list("pk", flat=True))
        filed = set(Return.objects.filter(year=year).values_list("organization_id", flat=True))
        assert filed <= scope and len(filed) >= 0.6 * len(scope)  # about one in ten does not file
    for ret in Return.objects.prefetch_related("values__indicator")[:300]:
        values = {v.indicator.code: v.get() for v in ret.values.all()}
        assert values["profit"] <= values["revenue"]
        assert values["employees_members"] <= values["employees"]
        assert values["members_end"] >= (3 if ret.organization.kind == OrgKind.LHHTX else 7)
        assert ret.revisions.count() == ret.revision == 1
    assert ReturnRevision.objects.count() == Return.objects.count()


def test_the_fund_balances_and_no_repayment_exceeds_what_is_owed(generated):
    horizon = national.HORIZON
    for loan in loans_with_money(Loan.objects.filter(status__in=["active", "closed", "written_off"])):
        pos = position(loan, horizon)
        assert pos.principal_repaid <= pos.principal_due <= pos.disbursed
        assert pos.interest_paid <= pos.interest_due
        for r in loan.repayments.all():
            assert r.amount == r.overdue_interest + r.interest + r.principal
        if loan.status == LoanStatus.CLOSED:
            assert pos.outstanding == 0 and loan.closed_on
        if loan.status == LoanStatus.WRITTEN_OFF:
            assert pos.outstanding == 0 and pos.written_off > 0
        lines = loan.schedules.get().instalments.all()
        assert sum(line.principal for line in lines) == pos.disbursed
    statement = fund_statement(as_of=horizon, date_from=datetime.date(2025, 1, 1))
    written_off = sum(
        position(loan, horizon).written_off for loan in loans_with_money(Loan.objects.filter(status="written_off"))
    )
    assert statement.outstanding == statement.disbursed - statement.principal_repaid - written_off
    assert statement.loans_outstanding > 0
    assert statement.capital >= statement.outstanding


def test_every_loan_lent_met_the_rules_on_its_decision_day(generated):
    lent = Loan.objects.exclude(approved_amount=None).select_related("borrower", "product")
    assert lent.exists()
    for loan in lent:
        problems = eligibility(
            borrower=loan.borrower,
            product=loan.product,
            on=loan.decision_on,
            amount=loan.approved_amount,
            project_cost=loan.project_cost,
            equity_amount=loan.equity_amount,
            term_months=loan.term_months,
        )
        assert problems == [], (loan.code, problems)
        assert loan.applied_on <= loan.decision_on <= loan.contract_on <= loan.disbursements.get().on


def test_refuses_a_database_that_holds_organisations(generated):
    with pytest.raises(CommandError, match="tổ chức.*organisations"):
        generate()


def _delete_generated() -> None:
    for model in (
        Participant,
        Course,
        PlannedCourse,
        Plan,
        Recipient,
        Decision,
        Repayment,
        Instalment,
        Schedule,
        Disbursement,
        Appraisal,
        Loan,
        CapitalMovement,
        LoanProduct,
        CapitalSource,
        ReturnRevision,
        Value,
        Return,
        Membership,
        LifecycleEvent,
        Organization,
    ):
        model.objects.all().delete()


def test_the_same_seed_and_scale_give_the_same_rows(generated):
    _delete_generated()  # the module's dataset, back when this test's savepoint is rolled back
    generate()
    first = national.digest()
    _delete_generated()
    generate()
    assert national.digest() == first
    _delete_generated()
    generate(seed=SEED + 1)
    assert national.digest() != first


def test_status_periods_agree_with_the_events(generated):
    """The generator writes the status periods itself (COPY); they answer as the events do."""
    from hoptac.registry import periods

    days = sorted(set(LifecycleEvent.objects.values_list("on", flat=True)))
    sample = days[::25] + [datetime.date(2021, 3, 15), datetime.date(2025, 7, 1), datetime.date.today()]
    assert periods.mismatches(sample) == []
