"""Returns written straight into the tables (the statistics only read them), on a small province.

``province`` is seven organisations in three districts, with approved annual returns for
2019 and 2020, one return only submitted, one draft, one of an archived organisation, and
one organisation in a commune that has no successor today (its "as now" area is unknown).
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from conftest import make_org
from hoptac.geo.models import AdminUnit, Level
from hoptac.registry.services import organization_archive
from hoptac.returns import seed
from hoptac.returns.models import Grading, Indicator, Return, ReturnForm, Status, Unit, Value

D = datetime.date
MILLION = 1_000_000


def shipped_form(code: str) -> ReturnForm:
    """A shipped form; browser tests flush the database, data migrations included, so load them again."""
    if not ReturnForm.objects.filter(code=code).exists():
        seed.load(django_apps)
    return ReturnForm.objects.get(code=code)


def file_return(org, form_code: str, year: int, values: dict, *, status=Status.APPROVED, quarter=None, on=None):
    """A return of org (None: the alliance) with its values, as the returns app leaves it."""
    form = shipped_form(form_code)
    on = on or D(year, 12, 10)
    ret = Return.objects.create(
        form=form,
        version=form.version_for(year),
        organization=org,
        year=year,
        quarter=quarter,
        status=status,
        submitted_on=on if status in (Status.SUBMITTED, Status.APPROVED) else None,
        approved_on=on + datetime.timedelta(days=5) if status == Status.APPROVED else None,
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    for code, value in values.items():
        if value is None:
            continue
        ind = indicators[code]
        if ind.unit == Unit.PERCENT:
            Value.objects.create(ret=ret, indicator=ind, decimal=Decimal(str(value)))
        elif ind.is_number:
            Value.objects.create(ret=ret, indicator=ind, number=value)
        else:
            Value.objects.create(ret=ret, indicator=ind, text=value)
    return ret


def annual(members, employees, capital, assets, revenue, profit, income, services=None, **extra):
    values = {
        "members_start": members - 1,
        "members_end": members,
        "employees": employees,
        "employees_members": employees // 2 if employees is not None else None,
        "charter_capital": capital * MILLION,
        "total_assets": assets * MILLION,
        "revenue": revenue * MILLION,
        "profit": profit * MILLION if profit is not None else None,
        "taxes": 1 * MILLION,
        "avg_income": income * MILLION if income is not None else None,
        "member_services": services,
        "model": "services",
    }
    values.update(extra)
    return values


@pytest.fixture
def lan_gioi(tan_yen):
    # Merged away in 2025 with no successor recorded: unknown "as now".
    return AdminUnit.objects.get(name="Xã Lan Giới", parent=tan_yen)


@pytest.fixture
def commune_luc_nam(db):
    return AdminUnit.objects.valid_on(D(2021, 3, 15)).filter(level=Level.COMMUNE, parent__name="Huyện Lục Nam").first()


@pytest.fixture
def province(commune_tan_yen, commune_hiep_hoa, commune_luc_nam, lan_gioi, admin):
    """Organisations and their annual returns; keys name what each one tests."""
    orgs = {
        "agri_small": make_org(commune_tan_yen, name="Hợp tác xã Nông nghiệp Quang Tiến"),
        "agri_mid": make_org(commune_hiep_hoa, name="Hợp tác xã Rau an toàn Thanh Vân"),
        "trade": make_org(commune_hiep_hoa, name="Hợp tác xã Thương mại Thanh Vân", sector="thuong_mai"),
        "union": make_org(commune_luc_nam, name="Liên hiệp HTX Lục Nam", kind="LHHTX", sector="cong_nghiep"),
        "qtdnd": make_org(commune_tan_yen, name="Quỹ tín dụng nhân dân Quang Tiến", kind="QTDND", sector="tin_dung"),
        "lost": make_org(lan_gioi, name="Hợp tác xã Vận tải Lan Giới", sector="van_tai"),
        "submitted": make_org(commune_luc_nam, name="Hợp tác xã Mây tre Lục Nam", sector="cong_nghiep"),
        "draft": make_org(commune_tan_yen, name="Hợp tác xã Chè Quang Tiến"),
        "archived": make_org(commune_tan_yen, name="Hợp tác xã Nhập trùng"),
    }
    values_2020 = {
        "agri_small": annual(12, 6, 500, 900, 1_200, 80, 45, services=60),
        "agri_mid": annual(30, 25, 1_500, 3_000, 6_000, 400, 60, services=75),
        "trade": annual(9, 55, 2_000, 5_000, 12_000, -150, 72),
        "union": annual(4, 140, 8_000, 20_000, 40_000, 2_500, 90, services=40),
        "qtdnd": annual(850, 12, 3_000, 60_000, 9_000, 1_200, 95),
        "lost": annual(8, None, 300, 400, 700, 10, None),
        "submitted": annual(15, 20, 600, 800, 1_500, 50, 55),
        "draft": annual(20, 8, 400, 500, 900, 20, 40),
        "archived": annual(99, 99, 9_999, 9_999, 9_999, 999, 99),
    }
    status = {"submitted": Status.SUBMITTED, "draft": Status.DRAFT}
    returns = {}
    for key, values in values_2020.items():
        returns[key] = file_return(orgs[key], "annual_htx", 2020, values, status=status.get(key, Status.APPROVED))
    # 2019: fewer reporting, smaller figures.
    for key in ("agri_small", "agri_mid", "union", "qtdnd"):
        v = values_2020[key]
        file_return(
            orgs[key],
            "annual_htx",
            2019,
            annual(
                v["members_end"] - 2,
                v["employees"] - 1,
                v["charter_capital"] // MILLION,
                v["total_assets"] // MILLION - 100,
                v["revenue"] // MILLION - 200,
                v["profit"] // MILLION - 10,
                v["avg_income"] // MILLION - 5,
                services=v["member_services"],
            ),
        )
    organization_archive(organization=orgs["archived"], by=admin, reason="Nhập trùng với một hồ sơ khác")
    return {"orgs": orgs, "returns": returns, "values": values_2020}


@pytest.fixture
def grades(province):
    """Grades for 2020: Tốt, Khá, Yếu and one not graded; the other HTX have none."""
    orgs = province["orgs"]
    for key, total, grade, reason in (
        ("agri_small", 85, "tot", ""),
        ("agri_mid", 70, "kha", ""),
        ("trade", 40, "yeu", ""),
        ("lost", None, "khong_xep_loai", "Hoạt động dưới 12 tháng"),
    ):
        Grading.objects.create(organization=orgs[key], year=2020, total=total, grade=grade, not_graded_reason=reason)
    Grading.objects.create(organization=orgs["agri_small"], year=2019, total=78, grade="kha")
    return province
