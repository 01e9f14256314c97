"""registry_statistics: by kind, sector and area (then / now), flows over a period, drilldowns; the command."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from conftest import make_org
from hoptac.geo.models import AdminUnit, Level
from hoptac.registry.models import EventKind, NationalGroup, Sector
from hoptac.registry.selectors import (
    UNKNOWN,
    UNKNOWN_AREA,
    organizations_for,
    registry_statistics,
    statistics_drilldown,
)
from hoptac.registry.services import event_record, organization_archive

pytestmark = pytest.mark.django_db
D = datetime.date
REPORT_DAY = D(2021, 3, 15)


def assert_drilldowns_match(stats, queryset=None):
    """Every figure of stats equals the number of organisations its drilldown lists."""
    common = dict(as_of=stats.as_of, grouping=stats.grouping, queryset=queryset, date_from=stats.date_from)

    def count(**narrow):
        return statistics_drilldown(**common, **narrow).count()

    assert count() == stats.total_active
    for kind, n in stats.active.items():
        assert count(kind=kind) == n, kind
    for group, n in stats.active_by_group.items():
        assert count(group=group) == n, group
    for kind, sectors in stats.active_by_sector.items():
        for sector, n in sectors.items():
            if n:  # a zero cell has no link; the row and column totals cover it
                assert count(kind=kind, sector=sector) == n, (kind, sector)
        assert sum(sectors.values()) == stats.active[kind]
    assert sum(a["total"] for a in stats.areas) == stats.total_active
    for area in stats.areas:
        area_id = area["area_id"] if area["area_id"] is not None else UNKNOWN_AREA
        assert count(area_id=area_id) == area["total"], area["area"]
        for kind, n in area["by_kind"].items():
            if n:
                assert count(kind=kind, area_id=area_id) == n, (area["area"], kind)
    if stats.date_from:
        for kind, n in stats.founded.items():
            assert count(kind=kind, measure="founded") == n, kind
        for kind, n in stats.dissolved.items():
            assert count(kind=kind, measure="dissolved") == n, kind


@pytest.fixture
def mixed(commune_tan_yen, commune_hiep_hoa):
    """Active on 15/03/2021: 2 HTX (agri, trade), 1 LHHTX, 1 QTDND, 1 THT; plus one ended, one not yet founded."""
    orgs = {
        "htx_agri": make_org(commune_tan_yen, founded_on=D(2015, 1, 5)),
        "htx_trade": make_org(commune_hiep_hoa, sector=Sector.TRADE, founded_on=D(2018, 7, 2)),
        "lhhtx": make_org(commune_hiep_hoa, kind="LHHTX", founded_on=D(2016, 3, 1)),
        "qtdnd": make_org(commune_tan_yen, kind="QTDND", sector=Sector.CREDIT, founded_on=D(1997, 5, 1)),
        "tht": make_org(commune_tan_yen, kind="THT", founded_on=D(2019, 2, 1), charter_capital=None),
        "dissolved": make_org(commune_tan_yen, founded_on=D(2012, 1, 5)),
        "later": make_org(commune_hiep_hoa, founded_on=D(2021, 3, 16)),
    }
    event_record(organization=orgs["dissolved"], kind=EventKind.DISSOLVED, on=D(2021, 2, 10))
    return orgs


def test_counts_by_kind_sector_and_national_split(mixed):
    stats = registry_statistics(as_of=REPORT_DAY)
    assert stats.active == {"HTX": 2, "LHHTX": 1, "QTDND": 1, "THT": 1}
    assert stats.total_active == 5
    assert stats.active_by_sector["HTX"][Sector.AGRICULTURE] == 1
    assert stats.active_by_sector["HTX"][Sector.TRADE] == 1
    assert stats.active_by_sector["THT"][Sector.AGRICULTURE] == 1
    # Cooperative groups are not in the national split of cooperatives.
    assert stats.active_by_group == {
        NationalGroup.AGRICULTURE: 2,
        NationalGroup.NON_AGRICULTURE: 1,
        NationalGroup.QTDND: 1,
    }
    assert "founded" not in stats.as_dict()


def test_founded_and_dissolved_in_a_period(mixed):
    stats = registry_statistics(as_of=REPORT_DAY, date_from=D(2021, 1, 1))
    assert stats.founded["HTX"] == 0  # "later" was founded the day after
    assert stats.dissolved == {"HTX": 1, "LHHTX": 0, "QTDND": 0, "THT": 0}
    wider = registry_statistics(as_of=D(2021, 12, 31), date_from=D(2021, 1, 1))
    assert wider.founded["HTX"] == 1 and wider.dissolved["HTX"] == 1
    before = registry_statistics(as_of=D(2020, 12, 31), date_from=D(2020, 1, 1))
    assert before.dissolved["HTX"] == 0 and before.active["HTX"] == 3


def test_an_organisation_in_quang_tien_is_in_tan_yen_then_and_in_its_commune_now(commune_tan_yen, tan_yen):
    make_org(commune_tan_yen, founded_on=D(2016, 4, 4))
    then = registry_statistics(as_of=REPORT_DAY, grouping="then")
    assert [(a["area"], a["area_id"], a["total"]) for a in then.areas] == [("Huyện Tân Yên", tan_yen.pk, 1)]

    now = registry_statistics(as_of=REPORT_DAY, grouping="now")
    (area,) = now.areas
    today = AdminUnit.objects.get(pk=area["area_id"])
    assert today == commune_tan_yen.current
    assert today.name == "Xã Quang Trung" and today.valid_to is None
    assert today.level == Level.COMMUNE and today.parent.code == "24"

    # Renamed Quang Trung on 01/01/2025, still in Huyện Tân Yên until the districts went.
    march_2025 = registry_statistics(as_of=D(2025, 3, 1))
    assert [a["area_id"] for a in march_2025.areas] == [tan_yen.pk]
    after_reform = registry_statistics(as_of=D(2025, 8, 1))
    (province,) = after_reform.areas
    assert AdminUnit.objects.get(pk=province["area_id"]).level == Level.PROVINCE


def test_archived_organisations_are_not_counted(org_tan_yen, org_hiep_hoa, staff):
    organization_archive(organization=org_hiep_hoa, by=staff, reason="Nhập trùng")
    stats = registry_statistics(as_of=REPORT_DAY)
    assert stats.active["HTX"] == 1
    assert not statistics_drilldown(as_of=REPORT_DAY).filter(pk=org_hiep_hoa.pk).exists()


def test_the_queryset_limits_the_figures_to_what_a_user_sees(mixed, officer):
    stats = registry_statistics(as_of=REPORT_DAY, queryset=organizations_for(officer))
    assert stats.active == {"HTX": 1, "LHHTX": 0, "QTDND": 1, "THT": 1}
    assert [a["area"] for a in stats.areas] == ["Huyện Tân Yên"]
    assert_drilldowns_match(stats, organizations_for(officer))


@pytest.mark.parametrize("grouping", ["then", "now"])
def test_every_figure_equals_its_drilldown(mixed, grouping):
    assert_drilldowns_match(registry_statistics(as_of=REPORT_DAY, date_from=D(2021, 1, 1), grouping=grouping))
    assert_drilldowns_match(registry_statistics(as_of=D(2021, 12, 31), date_from=D(2021, 1, 1), grouping=grouping))


def test_a_commune_merged_away_without_successor_is_unknown_now_and_can_be_listed(tan_yen):
    # Xã Lan Giới was merged in 2025; the data do not say into which commune.
    lan_gioi = AdminUnit.objects.get(name="Xã Lan Giới", parent=tan_yen)
    assert lan_gioi.current_id is None
    org = make_org(lan_gioi, founded_on=D(2014, 5, 5))
    now = registry_statistics(as_of=REPORT_DAY, grouping="now")
    assert [(a["area"], a["area_id"]) for a in now.areas] == [(UNKNOWN, None)]
    assert list(statistics_drilldown(as_of=REPORT_DAY, grouping="now", area_id=UNKNOWN_AREA)) == [org]
    assert_drilldowns_match(now)


# ---------------------------------------------------------------- the stats command


def run_stats(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_command_json_has_the_figures(mixed):
    data = json.loads(run_stats("--as-of", "2021-03-15", "--from", "2021-01-01", "--format", "json"))
    assert data["as_of"] == "2021-03-15" and data["from"] == "2021-01-01" and data["grouping"] == "then"
    assert data["active"] == {"HTX": 2, "LHHTX": 1, "QTDND": 1, "THT": 1}
    assert data["founded"]["HTX"] == 0 and data["dissolved"]["HTX"] == 1
    assert data["areas"][0]["area"] in ("Huyện Hiệp Hòa", "Huyện Tân Yên")


def test_command_accepts_vietnamese_dates_and_prints_a_table(mixed):
    text = run_stats("--as-of", "15/03/2021", "--grouping", "now")
    assert "15/03/2021" in text and "Hợp tác xã (HTX)" in text and "Xã Quang Trung" in text


def test_command_writes_xlsx_to_a_file(mixed, tmp_path):
    path = tmp_path / "thong-ke.xlsx"
    run_stats("--as-of", "2021-03-15", "--format", "xlsx", "--output", str(path))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tổng hợp", "Theo loại hình và lĩnh vực", "Theo địa bàn"]


@pytest.mark.parametrize(
    "args",
    [
        ["--as-of", "2021-13-01"],
        ["--as-of", "hôm qua"],
        ["--as-of", "2021-03-15", "--from", "2021-04-01"],
        ["--as-of", "2021-03-15", "--format", "xlsx"],
    ],
)
def test_command_refuses_bad_input_in_vietnamese(args, db):
    with pytest.raises(CommandError) as err:
        run_stats(*args)
    assert any(word in str(err.value) for word in ("Ngày", "ngày", "cần"))


def test_without_areas_the_counts_are_those_of_every_grouping(mixed):
    """The quarterly report's statistics (NO_AREAS): the same counts, no area placed."""
    from hoptac.registry.selectors import NO_AREAS

    quick = registry_statistics(as_of=REPORT_DAY, date_from=D(2021, 1, 1), grouping=NO_AREAS)
    assert quick.areas == [] and quick.total_active == 5
    for grouping in ("then", "now", "province"):
        full = registry_statistics(as_of=REPORT_DAY, date_from=D(2021, 1, 1), grouping=grouping)
        assert (quick.active, quick.active_by_group, quick.active_by_sector) == (
            full.active,
            full.active_by_group,
            full.active_by_sector,
        )
        assert (quick.founded, quick.dissolved) == (full.founded, full.dissolved)
