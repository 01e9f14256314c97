"""Browser journeys of the registry, in Debian's Chromium: what an alliance officer does."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from conftest import login, make_org
from hoptac.registry.excel import HEADERS
from hoptac.registry.models import Organization

pytestmark = pytest.mark.browser


def xlsx(path, rows):
    wb = Workbook()
    sheet = wb.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


GOOD = {
    "Mã số": "2400555001",
    "Tên": "Hợp tác xã Chè Đồng Vương",
    "Loại hình": "HTX",
    "Lĩnh vực": "Nông nghiệp",
    "Tỉnh": "Bắc Giang",
    "Huyện": "Yen The",  # without diacritics
    "Xã": "Đồng Vương",  # without the unit word
    "Ngày thành lập": "12/04/2019",
    "Số thành viên": 9,
    "Vốn điều lệ (đồng)": "300.000.000",
    "Người đại diện": "Hoàng Văn Chè",
}
SECOND = GOOD | {"Mã số": "2400555002", "Tên": "Hợp tác xã Gà đồi Đồng Vương", "Ngày thành lập": "03/08/2020"}


def test_officer_searches_filters_and_imports_a_file_fixed_after_errors(page, staff, commune_tan_yen, tmp_path):
    make_org(commune_tan_yen, name="Hợp tác xã Nông nghiệp Quang Tiến", code="2400000777")
    make_org(
        commune_tan_yen, name="Quỹ tín dụng nhân dân Quang Tiến", code="2400000778", kind="QTDND", sector="tin_dung"
    )

    login(page, "staff")
    page.goto(page.base_url + "/registry/")
    # Search without diacritics, as people type.
    page.fill("#id_q", "htx quang tien")
    page.press("#id_q", "Enter")
    # Both were listed before the search: wait until the credit fund is gone, the HTX stays.
    # (Locator assertions, not wait_for_function: the CSP forbids evaluating strings.)
    expect(page.locator("#results")).not_to_contain_text("Quỹ tín dụng nhân dân Quang Tiến")
    expect(page.locator("#results")).to_contain_text("Hợp tác xã Nông nghiệp Quang Tiến")

    # Filter by type: only the credit fund.
    page.fill("#id_q", "quang tien")
    page.select_option("#id_kind", "QTDND")
    page.wait_for_selector("#results >> text=Quỹ tín dụng nhân dân Quang Tiến")
    expect(page.locator("#results")).not_to_contain_text("Hợp tác xã Nông nghiệp Quang Tiến")

    # Upload a file with errors: nothing is imported, every error shown by row.
    before = Organization.objects.count()
    bad = xlsx(
        tmp_path / "loi.xlsx",
        [
            GOOD | {"Ngày thành lập": "31/02/2019"},
            SECOND | {"Xã": "Không Có Xã Này"},
        ],
    )
    page.goto(page.base_url + "/registry/import/")
    page.set_input_files("#id_file", bad)
    page.click("#import-submit")
    errors = page.wait_for_selector("#import-errors")
    text = errors.inner_text()
    assert "Ngày thành lập" in text and "Xã" in text
    rows = [r.inner_text() for r in page.query_selector_all("#import-errors tbody tr")]
    assert any(r.startswith("2") for r in rows) and any(r.startswith("3") for r in rows)
    assert Organization.objects.count() == before

    # The same file fixed: imported, and the new organisations are in the list.
    good = xlsx(tmp_path / "dung.xlsx", [GOOD, SECOND])
    page.goto(page.base_url + "/registry/import/")
    page.set_input_files("#id_file", good)
    page.click("#import-submit")
    page.wait_for_selector("#import-result")
    assert page.inner_text("#import-created").strip() == "2"
    assert Organization.objects.count() == before + 2

    page.goto(page.base_url + "/registry/?q=dong vuong")
    page.wait_for_selector("#results >> text=Hợp tác xã Chè Đồng Vương")
    assert "Hợp tác xã Gà đồi Đồng Vương" in page.inner_text("#results")


def test_area_officer_cannot_open_another_districts_organisation(page, officer, org_tan_yen, org_hiep_hoa):
    login(page, "officer")
    assert page.goto(f"{page.base_url}/registry/{org_tan_yen.pk}/").status == 200
    assert page.goto(f"{page.base_url}/registry/{org_hiep_hoa.pk}/").status == 404
    assert page.goto(f"{page.base_url}/registry/{org_hiep_hoa.pk}/edit/").status == 404
    page.goto(page.base_url + "/registry/")
    assert org_hiep_hoa.name not in page.inner_text("main")


def test_public_home_is_in_vietnamese_and_the_directory_hides_personal_data(page, org_tan_yen):
    page.goto(page.base_url + "/")
    assert page.get_attribute("html", "lang") == "vi"
    page.goto(page.base_url + "/directory/?q=quang tien")
    body = page.inner_text("main")
    assert org_tan_yen.name in body
    assert org_tan_yen.representative not in body and org_tan_yen.phone not in body
