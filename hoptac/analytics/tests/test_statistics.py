"""return_statistics: which returns count, the national standard figures, areas then / now, and drill-downs."""

import datetime
import itertools
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_org
from hoptac.analytics.figures import COUNT, MEAN, SUM, Dimension, SizeClass
from hoptac.analytics.pivot import PREVIOUS, VALUE, build_pivot
from hoptac.analytics.selectors import return_statistics, statistics_drilldown, tally_rows
from hoptac.geo.models import AdminUnit
from hoptac.registry.models import NationalGroup
from hoptac.registry.selectors import organizations_for
from hoptac.returns.models import Status

from .conftest import MILLION, annual, file_return

pytestmark = pytest.mark.django_db
D = datetime.date
DIMENSIONS = [d.value for d in Dimension]


def stats_2020(**options):
    return return_statistics(form="annual_htx", year=2020, **options)


# ---------------------------------------------------------------- which returns count


def test_only_approved_returns_count_by_default(province):
    stats = stats_2020()
    # Six approved; the submitted one, the draft and the archived organisation's are left out.
    assert stats.total.n == 6
    rows = statistics_drilldown(form="annual_htx", year=2020)
    names = {r.organization.name for r in rows}
    assert "Hợp tác xã Mây tre Lục Nam" not in names  # submitted
    assert "Hợp tác xã Chè Quang Tiến" not in names  # draft
    assert "Hợp tác xã Nhập trùng" not in names  # archived organisation


def test_submitted_returns_count_when_asked(province):
    stats = stats_2020(include_submitted=True)
    assert stats.total.n == 7
    assert stats.value("members_end") == 913 + 15


def test_as_of_counts_only_returns_approved_by_then(province):
    late = province["returns"]["trade"]
    late.approved_on = D(2021, 1, 20)
    late.save()
    assert stats_2020(as_of=D(2020, 12, 31)).total.n == 5
    assert stats_2020(as_of=D(2021, 1, 31)).total.n == 6
    # Submitted by 31/12 and approved later: counted as submitted on that day.
    assert stats_2020(as_of=D(2020, 12, 31), include_submitted=True).total.n == 7


def test_a_quarter_is_not_the_year(province, staff):
    file_return(None, "alliance_quarterly", 2021, {"q_htx_founded": 12, "q_htx_dissolved": 1}, quarter=1)
    file_return(None, "alliance_quarterly", 2021, {"q_htx_founded": 5, "q_htx_dissolved": 0}, quarter=2)
    q1 = return_statistics(form="alliance_quarterly", year=2021, quarter=1)
    assert q1.total.n == 1
    assert q1.value("q_htx_founded") == 12 and q1.value("q_htx_dissolved") == 1
    # The alliance's own returns have no organisation: an area officer's figures leave them out.
    scoped = return_statistics(form="alliance_quarterly", year=2021, quarter=1, queryset=organizations_for(staff))
    assert scoped.total.n == 0
    assert return_statistics(form="annual_htx", year=2021).total.n == 0


# ---------------------------------------------------------------- the national standard figures


def test_national_standard_totals_and_averages(province):
    stats = stats_2020()
    assert stats.value("organizations") == 6
    assert stats.value("members_end") == 12 + 30 + 9 + 4 + 850 + 8
    assert stats.value("employees") == 6 + 25 + 55 + 140 + 12
    assert stats.value("charter_capital") == 15_300 * MILLION
    assert stats.value("total_assets") == 89_300 * MILLION
    assert stats.value("revenue") == 68_900 * MILLION
    # A loss counts against the total.
    assert stats.value("profit") == (80 + 400 - 150 + 2_500 + 1_200 + 10) * MILLION
    # Averages per cooperative: whole đồng, rounded half up.
    assert stats.value("revenue__avg") == Decimal(11_483_333_333)
    assert stats.value("profit__avg") == Decimal(673_333_333)
    # Average income per worker is weighted by the workers of those that gave both.
    weighted = Decimal((45 * 6 + 60 * 25 + 72 * 55 + 90 * 140 + 95 * 12) * MILLION) / 238
    assert stats.value("avg_income") == weighted.quantize(Decimal(1), rounding=ROUND_HALF_UP) == 81_806_723
    # A percentage is averaged over those that gave it, one decimal.
    assert stats.value("member_services") == Decimal("58.3")


def test_money_stays_whole_dong(province):
    stats = stats_2020()
    assert isinstance(stats.value("revenue"), int)
    assert isinstance(stats.value("profit"), int)


def test_cooperatives_by_workforce_size(province):
    by_size = {k[0]: t.n for k, t in stats_2020().grouped(Dimension.SIZE).items()}
    assert by_size == {
        SizeClass.UNDER_10: 1,  # 6 workers
        SizeClass.FROM_10: 2,  # 25 and 12
        SizeClass.FROM_50: 1,  # 55
        SizeClass.FROM_100: 1,  # 140
        SizeClass.UNKNOWN: 1,  # gave no workers
    }


@pytest.mark.parametrize(
    ("workers", "size"),
    [(0, "lt10"), (9, "lt10"), (10, "10_49"), (49, "10_49"), (50, "50_99"), (99, "50_99"), (100, "ge100")],
)
def test_size_class_boundaries_in_sql(commune_tan_yen, workers, size):
    org = make_org(commune_tan_yen)
    file_return(org, "annual_htx", 2020, annual(10, workers, 100, 100, 100, 1, 50))
    assert list(stats_2020().grouped(Dimension.SIZE)) == [(size,)]


def test_national_split_agricultural_non_agricultural_and_credit_funds(province):
    groups = {k[0]: t.n for k, t in stats_2020().grouped(Dimension.GROUP).items()}
    assert groups == {NationalGroup.AGRICULTURE: 2, NationalGroup.NON_AGRICULTURE: 3, NationalGroup.QTDND: 1}


def test_districts_then_and_communes_now(province, tan_yen, hiep_hoa, lan_gioi):
    then = {k[0]: t.n for k, t in stats_2020(grouping="then").grouped(Dimension.AREA).items()}
    assert then[tan_yen.pk] == 3 and then[hiep_hoa.pk] == 2 and sum(then.values()) == 6
    assert None not in then

    now = stats_2020(grouping="now")
    by_area = {k[0]: t.n for k, t in now.grouped(Dimension.AREA).items()}
    quang_trung = AdminUnit.objects.get(pk=province["orgs"]["agri_small"].commune.current_id)
    assert quang_trung.name == "Xã Quang Trung"
    assert by_area[quang_trung.pk] == 2  # Quang Tiến's cooperative and credit fund
    assert by_area[None] == 1  # Lan Giới was merged away with no successor recorded
    assert now.label(Dimension.AREA, None) == "—"
    assert now.keys(Dimension.AREA)[-1] is None  # "—" last


def test_the_queryset_limits_the_figures_to_an_area_officers_organisations(province, officer):
    stats = stats_2020(queryset=organizations_for(officer))
    assert stats.total.n == 3
    assert stats.value("members_end") == 12 + 850 + 8


# ---------------------------------------------------------------- every cell equals its drill-down


def recompute(measure, rows):
    """A figure from a drill-down list, by plain arithmetic over the values the list shows."""
    if measure.how == COUNT:
        return len(rows)
    code = measure.indicator
    given = [r for r in rows if r.values.get(code) is not None]
    if measure.how == SUM:
        return sum(r.values[code] for r in given)
    step = Decimal(1) if measure.decimals == 0 else Decimal("0.1")
    if measure.how == MEAN:
        if not given:
            return None
        return (Decimal(sum(r.values[code] for r in given)) / len(given)).quantize(step, rounding=ROUND_HALF_UP)
    pairs = [(r.values[code], r.values[measure.weight]) for r in given if r.values.get(measure.weight) is not None]
    weights = sum(w for _v, w in pairs)
    if not weights:
        return None
    return (Decimal(sum(v * w for v, w in pairs)) / weights).quantize(step, rounding=ROUND_HALF_UP)


def walk_every_cell(stats, *, queryset=None, previous=None):
    """Every cell of every arrangement (rows × columns, totals included) equals its drill-down list."""
    options = dict(form=stats.form, grouping=stats.grouping, include_submitted=stats.include_submitted)
    lists = {}

    def drill(coordinates, period):
        key = (period, tuple(sorted(coordinates.items(), key=lambda i: i[0])))
        if key not in lists:
            lists[key] = statistics_drilldown(
                **options, year=period.year, quarter=period.quarter, queryset=queryset, cell=coordinates
            )
        return lists[key]

    keys = [m.key for m in stats.measures]
    checked = 0
    for rows, columns in itertools.product(DIMENSIONS, ["", *DIMENSIONS]):
        if rows == columns:
            continue
        pivot = build_pivot(stats, rows=rows, columns=columns, measures=keys, previous=previous)
        for row in [*pivot.rows, pivot.total]:
            for cell in row.cells:
                if cell.part not in (VALUE, PREVIOUS):
                    continue
                listed = drill(cell.coordinates, cell.period)
                assert cell.value == recompute(cell.measure, listed), (rows, columns, row.label, cell)
                assert cell.count == len(listed)
                checked += 1
        # The rows split the total: no return is in two rows or in none.
        whole = {r.ret.pk for r in drill({}, stats.period)}
        parts = [{r.ret.pk for r in drill({rows: row.key}, stats.period)} for row in pivot.rows]
        assert sum(len(p) for p in parts) == len(whole) and set().union(*parts) == whole
    return checked


@pytest.mark.parametrize("grouping", ["then", "now"])
@pytest.mark.parametrize("include_submitted", [False, True])
def test_every_pivot_cell_equals_the_sum_over_its_drilldown(province, grouping, include_submitted):
    stats = stats_2020(grouping=grouping, include_submitted=include_submitted)
    assert walk_every_cell(stats) > 1000


def test_every_cell_of_an_area_officers_pivot_equals_its_drilldown(province, officer):
    queryset = organizations_for(officer)
    assert walk_every_cell(stats_2020(queryset=queryset), queryset=queryset)


def test_every_cell_of_year_over_year_equals_its_drilldown_in_its_own_year(province):
    previous = return_statistics(form="annual_htx", year=2019)
    assert previous.total.n == 4
    assert walk_every_cell(stats_2020(), previous=previous)


def test_tally_of_a_list_is_the_cell(province):
    stats = stats_2020(include_submitted=True)
    rows = statistics_drilldown(form="annual_htx", year=2020, include_submitted=True, cell={"group": "nong_nghiep"})
    listed = tally_rows(rows, stats.measures)
    for m in stats.measures:
        assert listed.value(m) == stats.value(m.key, group="nong_nghiep"), m.key


def test_drilldown_lists_the_values_of_each_return(province):
    (row,) = statistics_drilldown(form="annual_htx", year=2020, cell={"size": "ge100"})
    assert row.organization == province["orgs"]["union"]
    assert row.values["revenue"] == 40_000 * MILLION and row.values["member_services"] == Decimal("40")
    assert row.keys["kind"] == "LHHTX" and row.keys["group"] == "phi_nong_nghiep" and row.keys["size"] == "ge100"


# ---------------------------------------------------------------- year-over-year


def test_year_over_year_puts_last_year_this_year_and_the_change_side_by_side(province):
    pivot = build_pivot(
        stats_2020(),
        rows=Dimension.GROUP,
        measures=["organizations", "revenue"],
        previous=return_statistics(form="annual_htx", year=2019),
    )
    agri = next(r for r in pivot.rows if r.key == "nong_nghiep")
    assert [(c.measure.key, c.part, c.value) for c in agri.cells] == [
        ("organizations", "previous", 2),
        ("organizations", "value", 2),
        ("organizations", "change", 0),
        ("revenue", "previous", (1_000 + 5_800) * MILLION),
        ("revenue", "value", (1_200 + 6_000) * MILLION),
        ("revenue", "change", 400 * MILLION),
    ]
    assert agri.cells[-1].percent == Decimal("5.9")
    assert [h.label for h in pivot.header[-1]] == ["Năm 2019", "Năm 2020", "Thay đổi"] * 2
    other = next(r for r in pivot.rows if r.key == "phi_nong_nghiep")
    assert other.cells[2].value == 2 and other.cells[2].percent == Decimal("200.0")


def test_a_change_from_nothing_has_no_percentage(province):
    previous = return_statistics(form="annual_htx", year=2019)
    pivot = build_pivot(stats_2020(), rows=Dimension.SECTOR, measures=["organizations"], previous=previous)
    trade = next(r for r in pivot.rows if r.key == "thuong_mai")  # no trade cooperative reported in 2019
    assert [c.value for c in trade.cells] == [0, 1, 1]
    assert trade.cells[2].percent is None and trade.cells[2].percent_text == ""


# ---------------------------------------------------------------- queries


def test_the_statistics_take_the_same_queries_whatever_the_data(province, commune_hiep_hoa):
    return_statistics(form="annual_htx", year=2020, grouping="now")  # warm the units cache

    def count():
        with CaptureQueriesContext(connection) as ctx:
            for grouping in ("then", "now"):
                return_statistics(form="annual_htx", year=2020, grouping=grouping)
        return len(ctx.captured_queries)

    small = count()
    for i in range(25):
        org = make_org(commune_hiep_hoa, name=f"Hợp tác xã Rau sạch số {i}", sector="nong_nghiep")
        file_return(org, "annual_htx", 2020, annual(10 + i, 5 + i * 5, 100, 200, 300 + i, 10, 40))
    assert count() == small <= 12
    assert stats_2020().total.n == 31


def test_a_submitted_only_return_is_not_in_an_approved_figure(province):
    ret = province["returns"]["agri_mid"]
    ret.status = Status.RETURNED
    ret.save()
    assert stats_2020().total.n == 5 and stats_2020(include_submitted=True).total.n == 6
