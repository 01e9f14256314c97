"""The "province" grouping of the statistics (issue #9): each organisation in the province of today's commune.

At national scale "now" is 3.300 communes; the provinces of today are 34 rows. The
grouping follows the commune to today's commune (``current``) as "now" does, then to that
commune's province: the new Bắc Ninh for Bắc Giang's and the old Bắc Ninh's communes.
"""

import datetime
import io
from collections import Counter, defaultdict

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_org
from hoptac.geo import selectors as geo
from hoptac.geo.loader import resolve_current
from hoptac.geo.models import AdminUnit, Level, UnitChange, bare_name
from hoptac.registry.models import Organization, OrgKind
from hoptac.registry.selectors import (
    UNKNOWN,
    UNKNOWN_AREA,
    organizations_for,
    registry_statistics,
    statistics_drilldown,
)
from hoptac.registry.tests.test_stats import assert_drilldowns_match

pytestmark = pytest.mark.django_db
D = datetime.date
REPORT_DAY = D(2021, 3, 15)
STATS = reverse("registry:stats")
DRILL = reverse("registry:stats_drilldown")
KINDS = [k.value for k in OrgKind]


def province_today(code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=Level.PROVINCE, code=code, valid_to__isnull=True)


def legacy_commune(province_code: str) -> AdminUnit:
    """A commune of the legacy era in province_code that became a commune of today."""
    return (
        AdminUnit.objects.filter(
            level=Level.COMMUNE, parent__parent__code=province_code, valid_to__isnull=False, current__isnull=False
        )
        .order_by("code")
        .first()
    )


def by_kind(stats) -> dict[str, int]:
    """The area rows summed per kind."""
    totals = Counter()
    for area in stats.areas:
        totals.update(area["by_kind"])
    return {k: totals[k] for k in KINDS}


def rows(stats) -> dict[int | None, dict[str, int]]:
    return {a["area_id"]: a["by_kind"] for a in stats.areas}


# ---------------------------------------------------------------- on a few organisations


@pytest.fixture
def spread(commune_tan_yen, commune_hiep_hoa, tan_yen):
    """Bắc Giang (2021 communes), the old Bắc Ninh, Hà Nội, and a commune merged away without successor."""
    lan_gioi = AdminUnit.objects.get(name="Xã Lan Giới", parent=tan_yen)
    return {
        "quang_tien": make_org(commune_tan_yen, founded_on=D(2015, 1, 5)),
        "thanh_van": make_org(commune_hiep_hoa, kind="QTDND", sector="tin_dung", founded_on=D(2001, 3, 1)),
        "bac_ninh": make_org(legacy_commune("27"), kind="THT", founded_on=D(2018, 6, 1)),
        "ha_noi": make_org(legacy_commune("01"), founded_on=D(2012, 9, 9)),
        "ha_noi_tht": make_org(legacy_commune("01"), kind="THT", founded_on=D(2019, 9, 9)),
        "lan_gioi": make_org(lan_gioi, founded_on=D(2014, 5, 5)),
    }


def test_communes_of_bac_giang_and_old_bac_ninh_are_in_the_new_bac_ninh(spread):
    stats = registry_statistics(as_of=REPORT_DAY, grouping="province")
    bac_ninh, ha_noi = province_today("24"), province_today("01")
    assert rows(stats) == {
        bac_ninh.pk: {"HTX": 1, "LHHTX": 0, "QTDND": 1, "THT": 1},
        ha_noi.pk: {"HTX": 1, "LHHTX": 0, "QTDND": 0, "THT": 1},
        None: {"HTX": 1, "LHHTX": 0, "QTDND": 0, "THT": 0},
    }
    # Named as units of today, "—" last; a province has no parent to show.
    assert [a["area"] for a in stats.areas][-1] == UNKNOWN
    assert {a["area"] for a in stats.areas} == {bac_ninh.name, ha_noi.name, UNKNOWN}
    assert all(a["parent"] == "" for a in stats.areas)


def test_provinces_are_listed_by_their_own_name_not_by_city_or_province(spread):
    make_org(legacy_commune("89"), founded_on=D(2016, 4, 4))  # An Giang: "Tỉnh An Giang"
    stats = registry_statistics(as_of=REPORT_DAY, grouping="province")
    names = [a["area"] for a in stats.areas]
    assert [bare_name(n) for n in names[:-1]] == ["an giang", "bac ninh", "ha noi"] and names[-1] == UNKNOWN


def test_the_province_grouping_adds_up_the_communes_of_today(spread):
    now = registry_statistics(as_of=REPORT_DAY, grouping="now")
    province = registry_statistics(as_of=REPORT_DAY, grouping="province")
    assert by_kind(province) == by_kind(now) == province.active == now.active
    parent_of = dict(AdminUnit.objects.filter(pk__in=[a["area_id"] for a in now.areas]).values_list("pk", "parent_id"))
    expected = defaultdict(Counter)
    for area in now.areas:
        expected[parent_of.get(area["area_id"])].update(area["by_kind"])
    assert {k: {kind: v[kind] for kind in KINDS} for k, v in expected.items()} == rows(province)


@pytest.mark.parametrize("as_of", [REPORT_DAY, D(2025, 8, 1)])
def test_every_figure_equals_its_drilldown(spread, as_of):
    assert_drilldowns_match(registry_statistics(as_of=as_of, date_from=D(2021, 1, 1), grouping="province"))


def test_the_drilldown_of_a_province_lists_its_organisations(spread):
    def listed(area_id, **narrow):
        return set(statistics_drilldown(as_of=REPORT_DAY, grouping="province", area_id=area_id, **narrow))

    assert listed(province_today("24").pk) == {spread["quang_tien"], spread["thanh_van"], spread["bac_ninh"]}
    assert listed(province_today("01").pk) == {spread["ha_noi"], spread["ha_noi_tht"]}
    assert listed(province_today("01").pk, kind="THT") == {spread["ha_noi_tht"]}
    assert listed(UNKNOWN_AREA) == {spread["lan_gioi"]}
    # A province with no organisation, and a legacy province (not a row of this grouping), list none.
    assert listed(province_today("79").pk) == set()
    assert listed(AdminUnit.objects.get(level=Level.PROVINCE, code="27").pk) == set()


def test_an_area_officer_counts_their_area_in_its_province_of_today(spread, officer):
    mine = organizations_for(officer)
    stats = registry_statistics(as_of=REPORT_DAY, grouping="province", queryset=mine)
    assert rows(stats) == {
        province_today("24").pk: {"HTX": 1, "LHHTX": 0, "QTDND": 0, "THT": 0},
        None: {"HTX": 1, "LHHTX": 0, "QTDND": 0, "THT": 0},
    }
    assert_drilldowns_match(stats, mine)


def test_a_commune_kept_under_a_district_reaches_its_province_and_an_orphan_is_unknown(tan_yen, spread):
    # Units an administrator added by hand: a commune of today still under Huyện Tân Yên (which
    # ended with Bắc Giang on 30/06/2025), and a province that ended without a successor.
    kept = AdminUnit.objects.create(
        level=Level.COMMUNE, code="99001", name="Xã Thử Nghiệm", kind="xa", parent=tan_yen, valid_from=D(2000, 1, 1)
    )
    orphan_province = AdminUnit.objects.create(
        level=Level.PROVINCE, code="98", name="Tỉnh Thử Nghiệm", kind="tinh", valid_to=D(2025, 6, 30)
    )
    orphan = AdminUnit.objects.create(
        level=Level.COMMUNE, code="99002", name="Xã Mồ Côi", kind="xa", parent=orphan_province
    )
    resolve_current(AdminUnit, UnitChange)
    geo.clear_cache()
    in_kept = make_org(AdminUnit.objects.get(pk=kept.pk), founded_on=D(2010, 1, 1))
    in_orphan = make_org(AdminUnit.objects.get(pk=orphan.pk), founded_on=D(2010, 1, 1))

    stats = registry_statistics(as_of=REPORT_DAY, grouping="province")
    assert rows(stats)[province_today("24").pk]["HTX"] == 2  # Quang Tiến and the kept commune
    assert rows(stats)[None]["HTX"] == 2  # Lan Giới and the orphan
    unknown = set(statistics_drilldown(as_of=REPORT_DAY, grouping="province", area_id=UNKNOWN_AREA))
    assert unknown == {spread["lan_gioi"], in_orphan}
    assert in_kept in statistics_drilldown(as_of=REPORT_DAY, grouping="province", area_id=province_today("24").pk)
    assert_drilldowns_match(stats)


# ---------------------------------------------------------------- the page and the xlsx


@pytest.mark.parametrize(
    ("language", "choice", "heading", "help_text"),
    [
        ("vi", "Tỉnh/thành phố hiện nay", "Tỉnh, thành phố", "tính vào tỉnh, thành phố nơi đặt trụ sở"),
        ("en", "Province today", "Province or city", "counted in the province or centrally-run city"),
    ],
)
def test_the_page_groups_by_province_in_both_languages(client, staff, spread, language, choice, heading, help_text):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get(STATS, {"as_of": "15/03/2021", "grouping": "province"})
    assert response.status_code == 200 and response["Content-Language"] == language
    html = response.content.decode()
    assert response.context["stats"].grouping == "province"
    assert f'<option value="province" selected>{choice}</option>' in html
    assert f'<th scope="col">{heading}</th>' in html and help_text in html
    assert province_today("01").name in html and province_today("24").name in html
    # Counts link to the province's drilldown; the quick periods keep the grouping.
    assert f"grouping=province&amp;area={province_today('01').pk}" in html
    assert all("grouping=province" in p["url"] for p in response.context["periods"]["links"] if p["url"])

    drill = client.get(DRILL, {"as_of": "15/03/2021", "grouping": "province", "area": province_today("01").pk})
    assert drill.status_code == 200
    assert {o.pk for o in drill.context["page_obj"]} == {spread["ha_noi"].pk, spread["ha_noi_tht"].pk}
    assert f"{province_today('01').name} ({choice.lower()})" in drill.content.decode()


def test_the_xlsx_has_a_row_per_province(client, staff, spread):
    client.force_login(staff)
    response = client.get(STATS, {"as_of": "15/03/2021", "grouping": "province", "format": "xlsx"})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = list(wb["Theo địa bàn"].iter_rows(values_only=True))
    assert any(r[0] == "Nhóm địa bàn theo đơn vị hành chính cấp tỉnh hiện nay" for r in sheet)
    header = next(r for r in sheet if r[0] == "Tỉnh, thành phố")
    assert list(header[2:]) == [*KINDS, "Tổng cộng"]
    areas = {r[0]: r[2:] for r in sheet if r and r[0] and isinstance(r[-1], int)}
    assert areas[province_today("24").name] == (1, 0, 1, 1, 3)
    assert areas[province_today("01").name] == (1, 0, 0, 1, 2)
    assert areas[UNKNOWN] == (1, 0, 0, 0, 1)
    assert areas["Tổng cộng"] == (3, 0, 1, 2, 6)


def test_the_page_takes_as_many_queries_for_many_organisations_in_many_provinces(client, staff, spread):
    client.force_login(staff)
    params = {"as_of": "15/03/2021", "from": "01/01/2021", "grouping": "province"}

    def count() -> int:
        client.get(STATS, params)  # warms the caches, as on a server
        with CaptureQueriesContext(connection) as captured:
            assert client.get(STATS, params).status_code == 200
        return len(captured)

    few = count()
    # Legacy communes across the country, each becoming a commune of today in its province.
    legacy = AdminUnit.objects.filter(level=Level.COMMUNE, valid_from__isnull=True, current__isnull=False)
    communes = legacy.order_by("code")[::500]
    for i, commune in enumerate(communes):
        make_org(commune, kind=KINDS[i % 4], founded_on=D(2010, 1 + i % 12, 1))
    stats = registry_statistics(as_of=REPORT_DAY, grouping="province")
    assert len(stats.areas) >= 10
    assert count() <= few


# ---------------------------------------------------------------- on the demo register


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo register (Bắc Giang), loaded once for the module and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--public-passwords-ok", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("as_of", [REPORT_DAY, D(2024, 12, 31), D(2025, 8, 1)])
def test_demo_provinces_total_the_communes_of_today(demo, as_of):
    now = registry_statistics(as_of=as_of, date_from=D(as_of.year, 1, 1), grouping="now")
    province = registry_statistics(as_of=as_of, date_from=D(as_of.year, 1, 1), grouping="province")
    assert province.total_active > 100
    assert by_kind(province) == by_kind(now) == now.active
    # Every organisation of the demo is in Bắc Giang: one province of today, the new Bắc Ninh,
    # and "—" for the communes merged away without a successor, as many as "now" has.
    bac_ninh = province_today("24")
    assert set(rows(province)) <= {bac_ninh.pk, None}
    assert rows(province).get(None) == rows(now).get(None)
    placed = {k: sum(a["by_kind"][k] for a in now.areas if a["area_id"]) for k in KINDS}
    assert rows(province)[bac_ninh.pk] == placed
    assert_drilldowns_match(province)


def test_demo_drilldown_of_the_province_lists_exactly_its_organisations(demo):
    bac_ninh = province_today("24")
    active = Organization.objects.filter(archived_on__isnull=True).active_on(REPORT_DAY)
    expected = set(active.filter(commune__current__parent=bac_ninh).values_list("pk", flat=True))
    listed = statistics_drilldown(as_of=REPORT_DAY, grouping="province", area_id=bac_ninh.pk)
    assert set(listed.values_list("pk", flat=True)) == expected
    stats = registry_statistics(as_of=REPORT_DAY, grouping="province")
    assert len(expected) == sum(rows(stats)[bac_ninh.pk].values()) > 100
