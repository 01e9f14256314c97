import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from hoptac.core.models import AuditEntry, Department, Role, User
from hoptac.fund import excel
from hoptac.fund.models import CapitalMovement, Loan, Repayment
from hoptac.fund.selectors import can_manage_fund

from .test_excel import CAPITAL, LOANS, REPAYMENTS, loan_row, xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def trainer(db):
    return User.objects.create_user(
        "dao-tao", password="mat-khau-thu-nghiem-1", role=Role.STAFF, department=Department.TRAINING
    )


def upload(client, user, book, headers=None, rows=None, *, content=None, name="so.xlsx", htmx=False):
    client.force_login(user)
    data = content if content is not None else xlsx(headers, rows).getvalue()
    return client.post(
        reverse("fund:import"),
        {"book": book, "file": SimpleUploadedFile(name, data, content_type=XLSX)},
        headers={"HX-Request": "true"} if htmx else {},
    )


CAPITAL_ROWS = [
    ["15/01/2021", "Ngân sách tỉnh", "3.000.000.000"],
    ["31/02/2021", "Ngân sách tỉnh", "1.000.000"],  # row 3: no such day
    ["30/06/2021", "Ngân hàng", "1.000.000"],  # row 4: no such source
]


# ---------------------------------------------------------------- access


def test_cooperative_account_and_training_staff_get_403(client, coop_user, trainer, source):
    for user in (coop_user, trainer):
        client.force_login(user)
        assert client.get(reverse("fund:import")).status_code == 403
        assert client.get(reverse("fund:import_template", kwargs={"book": "capital"})).status_code == 403
        assert upload(client, user, "capital", CAPITAL, CAPITAL_ROWS[:1]).status_code == 403
    assert not CapitalMovement.objects.exists()


def test_anonymous_is_sent_to_login(client):
    for url in (reverse("fund:import"), reverse("fund:import_template", kwargs={"book": "loans"})):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_import_tab_and_home_link_show_exactly_for_who_may_import(client, fund_staff, admin, staff, trainer, officer):
    for user in (fund_staff, admin, staff, trainer, officer):
        client.force_login(user)
        html = client.get(reverse("fund:home")).content.decode()
        allowed = can_manage_fund(user)
        assert ('id="fund-import-tab"' in html) is allowed, user
        assert ('id="import-link"' in html) is allowed, user


def test_import_page_offers_the_three_books_in_order_with_their_templates(client, fund_staff):
    client.force_login(fund_staff)
    response = client.get(reverse("fund:import"))
    assert response.status_code == 200
    html = response.content.decode()
    templates = [reverse("fund:import_template", kwargs={"book": book}) for book in ("capital", "loans", "repayments")]
    assert all(url in html for url in templates)
    assert html.index(templates[0]) < html.index(templates[1]) < html.index(templates[2])
    assert 'name="book" value="capital" id="id_book_capital" required checked' in html
    assert 'type="file"' in html and 'id="import-result"' in html and "<progress" in html
    assert "registry/import.js" in html and "registry/import.css" in html
    assert "style=" not in html and "<script>" not in html and " on" + "click=" not in html
    assert 'aria-current="page" id="fund-import-tab"' in html


def test_the_page_can_preselect_a_book(client, fund_staff):
    client.force_login(fund_staff)
    html = client.get(reverse("fund:import"), {"book": "repayments"}).content.decode()
    assert 'value="repayments" id="id_book_repayments" required checked' in html


@pytest.mark.parametrize("book", ["capital", "loans", "repayments"])
def test_template_download_is_the_books_xlsx(client, fund_staff, book):
    client.force_login(fund_staff)
    response = client.get(reverse("fund:import_template", kwargs={"book": book}))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f'filename="{excel.template_filename(book)}"' in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in next(ws.iter_rows(max_row=1))] == excel.BOOKS[book].headers


def test_unknown_book_template_is_404(client, fund_staff):
    client.force_login(fund_staff)
    assert reverse("fund:import_template", kwargs={"book": "loans"}) == "/fund/import/loans/template.xlsx"
    assert client.get("/fund/import/ledger/template.xlsx").status_code == 404


# ---------------------------------------------------------------- upload


def test_file_with_errors_lists_them_by_row_and_imports_nothing(client, fund_staff, source):
    response = upload(client, fund_staff, "capital", CAPITAL, CAPITAL_ROWS)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html and "Không có dữ liệu nào được nhập." in html
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, "Ngày"), (4, "Nguồn vốn")]
    assert '<td class="num">3</td>' in html and '<td class="num">4</td>' in html
    assert "không đọc được ngày “31/02/2021”" in html and "“Ngân hàng”" in html
    assert not CapitalMovement.objects.exists()


def test_fixed_file_shows_the_counts_and_then_unchanged(client, fund_staff, source):
    fixed = [CAPITAL_ROWS[0], ["28/02/2021", "Ngân sách tỉnh", "1.000.000"], ["30/06/2021", "ngan sach tinh", "1.000"]]
    response = upload(client, fund_staff, "capital", CAPITAL, fixed)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' not in html
    result = response.context["result"]
    assert (result.created, result.unchanged) == (3, 0)
    assert 'id="import-created">3<' in html and reverse("fund:capital") in html
    assert f"{reverse('fund:import')}?book=loans" in html  # the next book
    assert CapitalMovement.objects.count() == 3
    assert AuditEntry.objects.filter(action="fund.import.done", user=fund_staff).exists()

    again = upload(client, fund_staff, "capital", CAPITAL, fixed).context["result"]
    assert (again.created, again.unchanged) == (0, 3) and CapitalMovement.objects.count() == 3


def test_loans_then_repayments_through_htmx_return_only_the_fragment(client, fund_staff, org_tan_yen):
    response = upload(client, fund_staff, "loans", LOANS, [loan_row()], htmx=True)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-result"') and "<html" not in html
    assert response.context["result"].created == 1 and reverse("fund:loans") in html

    rows = [["QHT-01", "15/04/2020", "41.666.666", "9.000.000"], ["QHT-01", "15/07/2020", "41.666.666", "8.250.000"]]
    response = upload(client, fund_staff, "repayments", REPAYMENTS, rows, htmx=True)
    assert response.context["result"].created == 2
    assert Repayment.objects.filter(loan=Loan.objects.get(code="QHT-01")).count() == 2


def test_htmx_upload_with_errors_returns_the_error_fragment(client, fund_staff):
    response = upload(client, fund_staff, "repayments", REPAYMENTS, [["NONE", "15/04/2020", "1.000", ""]], htmx=True)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-result"') and 'id="import-errors"' in html
    assert "không có khoản vay mã “NONE”" in html


def test_renamed_text_file_is_a_clear_error_not_a_500(client, fund_staff):
    response = upload(client, fund_staff, "loans", content="Mã khoản vay;Ngày\n".encode(), name="so-cho-vay.xlsx")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in html
    assert "Tệp “so-cho-vay.xlsx” không phải tệp Excel .xlsx" in html


def test_file_above_the_size_limit_is_refused(client, fund_staff, source, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(client, fund_staff, "capital", CAPITAL, CAPITAL_ROWS[:1])
    assert "Tệp quá lớn" in response.content.decode()
    assert not CapitalMovement.objects.exists()


def test_post_without_a_file_or_a_book(client, fund_staff):
    client.force_login(fund_staff)
    assert "Chưa chọn tệp để nhập." in client.post(reverse("fund:import"), {"book": "capital"}).content.decode()
    response = upload(client, fund_staff, "ledger", CAPITAL, CAPITAL_ROWS[:1])
    assert response.status_code == 200 and "Chưa chọn sổ cần nhập" in response.content.decode()


# ---------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_fund_staff_upload_in_the_browser_shows_errors_then_counts(page, fund_staff, source, tmp_path):
    from conftest import login

    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    login(page, "quy")
    page.goto(page.base_url + reverse("fund:home"))
    page.click("#fund-import-tab")

    bad, good = tmp_path / "so-von-loi.xlsx", tmp_path / "so-von.xlsx"
    bad.write_bytes(xlsx(CAPITAL, CAPITAL_ROWS).getvalue())
    good.write_bytes(xlsx(CAPITAL, CAPITAL_ROWS[:1]).getvalue())
    page.check("#id_book_capital")
    page.set_input_files("#id_file", str(bad))
    page.click("#import-submit")
    rows = [r.inner_text() for r in page.wait_for_selector("#import-errors").query_selector_all("tbody tr")]
    assert [r.split("\t")[:2] for r in rows] == [["3", "Ngày"], ["4", "Nguồn vốn"]]
    assert "Không có dữ liệu nào được nhập." in page.inner_text("#import-result")
    assert not CapitalMovement.objects.exists()

    page.set_input_files("#id_file", str(good))
    page.click("#import-submit")
    page.wait_for_selector("#import-created")
    assert page.inner_text("#import-created").strip() == "1" and CapitalMovement.objects.count() == 1
    assert page.is_hidden("#import-progress-box") and page.is_enabled("#import-submit")
    assert problems == []
