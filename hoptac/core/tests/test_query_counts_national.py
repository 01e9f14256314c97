"""The pages of the national benchmark (issue #9) take as many queries for many rows as for few.

``make bench-national`` times these pages on 116.000 organisations; a page whose queries grow
with its rows would be slow there however fast each query is. Each test renders a page on a
few records, then on ten times as many, and asserts the count did not grow. The registry
list (without search) and the completeness page have their own such tests in their apps.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import D2021, make_org
from hoptac.analytics.tests.conftest import annual, file_return
from hoptac.core.models import Department, Role, User
from hoptac.fund.tests.conftest import disbursed_loan
from hoptac.geo.models import AdminUnit, Level
from hoptac.registry.services import event_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(db) -> list[AdminUnit]:
    """Thirty communes of Bắc Giang in 2021, spread over its districts (one unit resolution each)."""
    units = AdminUnit.objects.valid_on(D2021).filter(level=Level.COMMUNE).order_by("parent_id", "pk")
    by_district: dict[int, list[AdminUnit]] = {}
    for unit in units:
        by_district.setdefault(unit.parent_id, []).append(unit)
    spread = [u for i in range(5) for group in by_district.values() if len(group) > i for u in [group[i]]]
    return spread[:30]


def queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def grows(client, url: str, params: dict, add_rows) -> tuple[int, int]:
    """Queries of the page before and after add_rows(); the first request warms the caches."""
    client.get(url, params)
    few = queries(client, url, params)
    add_rows()
    client.get(url, params)  # a new commune's unit enters the cache once, as on a server
    return few, queries(client, url, params)


def orgs(communes, start: int, n: int):
    made = []
    for i in range(start, start + n):
        org = make_org(
            communes[i % len(communes)],
            name=f"Hợp tác xã Dịch vụ nông nghiệp Đếm {i:03d}",
            kind=["HTX", "THT", "HTX", "QTDND"][i % 4],
            sector="nong_nghiep" if i % 2 else "thuong_mai",
            founded_on=datetime.date(2010 + i % 10, 1 + i % 12, 1),
        )
        if i % 5 == 0:
            event_record(organization=org, kind="dissolved", on=datetime.date(2021, 2, 1))
        made.append(org)
    return made


def test_registry_search_without_diacritics(client, staff, communes):
    client.force_login(staff)
    orgs(communes, 0, 3)
    few, many = grows(
        client, reverse("registry:list"), {"q": "htx dich vu dem", "status": "all"}, lambda: orgs(communes, 3, 27)
    )
    assert many <= few


@pytest.mark.parametrize("grouping", ["then", "now", "province"])
def test_registry_statistics_on_a_date(client, staff, communes, grouping):
    client.force_login(staff)
    orgs(communes, 0, 3)
    params = {"as_of": "15/03/2021", "from": "01/01/2021", "grouping": grouping}
    few, many = grows(client, reverse("registry:stats"), params, lambda: orgs(communes, 3, 27))
    assert many <= few


def test_returns_pivot(client, staff, communes):
    client.force_login(staff)

    def file(start, n):
        for i, org in enumerate(orgs(communes, start, n), start):
            file_return(org, "annual_htx", 2020, annual(10 + i, 5 + i, 100, 200, 300 + i, 10, 40))

    file(0, 3)
    params = {"form": "annual_htx", "period": "2020", "rows": "area", "columns": "kind"}
    few, many = grows(client, reverse("analytics:index"), params, lambda: file(3, 27))
    assert many <= few


def test_fund_statement(client, communes):
    from hoptac.fund.models import LoanProduct

    fund_staff = User.objects.create_user(
        "quy", password="mat-khau-thu-nghiem-1", role=Role.STAFF, department=Department.FUND
    )
    product = LoanProduct.objects.create(
        code="HTX-60",
        name="Cho vay hỗ trợ HTX",
        eligible_kinds=["HTX", "LHHTX", "THT"],
        max_amount=1_000_000_000,
        max_term_months=60,
        annual_rate="7.2",
    )
    client.force_login(fund_staff)

    def lend(start, n):
        for i, org in enumerate(orgs(communes, start, n), start):
            if org.kind != "QTDND":
                disbursed_loan(org, product, fund_staff, amount=100_000_000 + i, code=f"VAY-{i:03d}")

    lend(0, 3)
    params = {"as_of": "15/03/2021", "from": "01/01/2021"}
    few, many = grows(client, reverse("fund:statement"), params, lambda: lend(3, 27))
    assert many <= few
