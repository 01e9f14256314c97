"""Completeness and timeliness: who had to file, on time, late, not at all, by district then; command and xlsx."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from conftest import make_org
from hoptac.registry.services import event_record
from hoptac.returns import selectors, services
from hoptac.returns.periods import Period

from .conftest import submit

D = datetime.date
P2020 = Period(2020)


@pytest.fixture
def filed(annual, org_tan_yen, org_hiep_hoa, commune_tan_yen, staff):
    """Tân Yên: one on time (approved), one late, one draft; Hiệp Hòa: one not started; a THT and a QTDND."""
    late = make_org(commune_tan_yen, name="HTX Nộp muộn", code="2400000003")
    draft = make_org(commune_tan_yen, name="HTX Còn nháp", code="2400000004", phone="0987 654 321")
    make_org(commune_tan_yen, kind="THT", name="Tổ hợp tác Thử nghiệm", code="2400000005")
    make_org(commune_tan_yen, kind="QTDND", sector="tin_dung", name="Quỹ tín dụng Thử nghiệm", code="2400000006")
    services.return_approve(ret=submit(annual, org_tan_yen, 2020, on=D(2020, 12, 15)), by=staff)
    submit(annual, late, 2020, on=D(2020, 12, 16))
    services.return_open(form=annual, organization=draft, year=2020, by=None)
    return {"late": late, "draft": draft}


def test_counts_by_district_as_it_was_then(annual, filed):
    report = selectors.completeness(annual, P2020)
    assert (report.total.expected, report.total.on_time, report.total.late, report.total.missing) == (4, 1, 1, 2)
    areas = {a.area: (a.expected, a.on_time, a.late, a.missing) for a in report.areas}
    assert areas == {"Huyện Hiệp Hòa": (1, 0, 0, 1), "Huyện Tân Yên": (3, 1, 1, 1)}
    assert report.due == D(2020, 12, 15)


def test_missing_organisations_come_with_their_contacts(annual, filed, org_hiep_hoa):
    report = selectors.completeness(annual, P2020)
    missing = {r.organization.code: r for r in report.missing}
    assert set(missing) == {org_hiep_hoa.code, filed["draft"].code}
    assert missing[filed["draft"].code].return_status == "draft"
    data = report.as_dict()["missing"]
    draft = next(m for m in data if m["code"] == filed["draft"].code)
    assert draft["phone"] == "0987 654 321" and draft["representative"] == "Nguyễn Văn An"


def test_a_return_sent_back_still_counts_as_handed_in(annual, filed, staff):
    ret = selectors.return_for_period(annual, P2020, filed["late"])
    services.return_send_back(ret=ret, comment="Sửa", by=staff)
    assert selectors.completeness(annual, P2020).total.late == 1


def test_an_organisation_dissolved_before_the_period_is_not_expected(annual, filed, org_hiep_hoa):
    event_record(organization=org_hiep_hoa, kind="dissolved", on=D(2019, 8, 1))
    assert selectors.completeness(annual, P2020).total.expected == 3


def test_an_area_officer_sees_only_the_area(annual, filed, officer):
    report = selectors.completeness(annual, P2020, user=officer)
    assert [a.area for a in report.areas] == ["Huyện Tân Yên"] and report.total.expected == 3


def test_the_command_prints_json(annual, filed, org_hiep_hoa):
    out = io.StringIO()
    call_command("returns_completeness", "annual_htx", "2020", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == {"expected": 4, "submitted": 2, "on_time": 1, "late": 1, "missing": 2, "rate": 50.0}
    assert {m["code"] for m in data["missing"]} == {org_hiep_hoa.code, filed["draft"].code}


def test_the_command_prints_a_table(annual, filed):
    out = io.StringIO()
    call_command("returns_completeness", "annual_htx", "2020", stdout=out)
    text = out.getvalue()
    assert "Huyện Tân Yên" in text and "Chưa nộp" in text and "0987 654 321" in text


def test_the_command_refuses_a_quarter_for_an_annual_form(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("returns_completeness", "annual_htx", "2020Q1")


def test_the_xlsx_has_the_counts_and_the_missing_contacts(annual, filed, tmp_path):
    path = tmp_path / "nop.xlsx"
    call_command("returns_completeness", "annual_htx", "2020", "--format", "xlsx", "--output", str(path))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Tổng hợp", "Chưa nộp", "Chi tiết"]
    summary = [row for row in wb["Tổng hợp"].iter_rows(min_row=3, values_only=True)]
    assert summary[-1][:5] == ("Tổng cộng", 4, 1, 1, 2)
    missing = [row for row in wb["Chưa nộp"].iter_rows(min_row=3, values_only=True)]
    assert {r[0] for r in missing} == {"2400000002", "2400000004"}
    assert "0987 654 321" in [r[4] for r in missing]
