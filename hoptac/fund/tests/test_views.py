import datetime
import io
import re
import sys
import types

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoptac.core.models import Department, Role, User
from hoptac.fund import selectors, services
from hoptac.fund.models import Appraisal, CapitalMovement, Loan, LoanStatus

from .conftest import D, disbursed_loan

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-1"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def training(db):
    return User.objects.create_user("daotao", password=PASSWORD, role=Role.STAFF, department=Department.TRAINING)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def hiep_hoa_loan(org_hiep_hoa, product, fund_staff):
    return disbursed_loan(org_hiep_hoa, product, fund_staff, code="VAY-HH", amount=200_000_000)


APPLIED_ON = D(2021, 1, 5)


def application(org, product, *, code="VAY-2021-0001", on=APPLIED_ON, **extra):
    return services.loan_apply(
        borrower=org,
        product=product,
        code=code,
        project_name="Nhà sơ chế vải thiều",
        amount=extra.pop("amount", 300_000_000),
        term_months=24,
        on=on,
        project_cost=extra.pop("project_cost", 600_000_000),
        equity_amount=extra.pop("equity_amount", 300_000_000),
    )


def errors(response, form_name: str) -> dict:
    """The errors of one of the loan page's action forms (or of the page's only form)."""
    ctx = response.context
    if form_name in ("apply", "capital"):
        return ctx["form"].errors
    return next(item["form"] for item in ctx["actions"] if item["action"].name == form_name).errors


def url(name, loan=None):
    return reverse(f"fund:{name}", args=[loan.pk] if loan else [])


# ---------------------------------------------------------------- pages render


@pytest.mark.parametrize("name", ["home", "loans", "apply", "loan", "capital", "arrears", "statement"])
def test_each_page_renders_for_fund_staff_without_inline_code(client, fund_staff, loan, source, name):
    services.capital_record(source=source, on=D(2020, 1, 1), amount=2_000_000_000, by=fund_staff)
    client.force_login(fund_staff)
    response = client.get(url(name, loan if name == "loan" else None))
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html) and not INLINE_HANDLER.search(html)
    assert f'href="{reverse("fund:home")}"' in html  # the header link


def test_anonymous_visitors_are_sent_to_login(client, loan):
    for name in ("home", "loans", "apply", "capital", "arrears", "statement"):
        assert client.get(url(name)).status_code == 302
    assert client.get(url("loan", loan)).status_code == 302


def test_fund_link_in_the_header_only_for_users_who_can_see_loans(client, coop_user, officer, make_user_no_role):
    for user in (coop_user, officer):
        client.force_login(user)
        assert f'href="{reverse("fund:home")}"' in client.get(reverse("registry:list")).content.decode()
    client.force_login(make_user_no_role)
    assert f'href="{reverse("fund:home")}"' not in client.get(reverse("home")).content.decode()


@pytest.fixture
def make_user_no_role(db):
    # A cooperative account not yet tied to an organisation has no loan to see.
    return User.objects.create_user("chua-gan", password=PASSWORD, role=Role.COOPERATIVE)


# ---------------------------------------------------------------- who sees what


def test_cooperative_sees_its_loan_and_schedule_but_not_the_appraisals(client, coop_user, loan):
    client.force_login(coop_user)
    response = client.get(url("loan", loan))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 36
    html = response.content.decode()
    assert 'id="schedule"' in html and 'id="loan-status"' in html
    assert 'id="appraisals"' not in html and "Dự án khả thi" not in html
    appraised = next(i for i in response.context["history"] if i["entry"].action == "fund.loan.appraised")
    assert len(appraised["changes"]) == 1  # the date; the recommendation stays with the fund
    assert response.context["actions"] == [] and not response.context["warnings"]
    assert [row["loan"] for row in client.get(url("loans")).context["page_obj"].object_list] == [loan]


def test_cooperative_gets_404_for_another_organisations_loan(client, coop_user, hiep_hoa_loan):
    client.force_login(coop_user)
    assert client.get(url("loan", hiep_hoa_loan)).status_code == 404
    assert (
        client.post(url("repay", hiep_hoa_loan), {"repay-amount": "1000", "repay-on": "15/02/2021"}).status_code == 404
    )


@pytest.mark.parametrize("action", ["approve", "contract", "disburse", "repay", "reschedule", "write_off"])
def test_cooperative_cannot_take_staff_actions_on_its_own_loan(client, coop_user, loan, action):
    client.force_login(coop_user)
    response = client.post(url(action, loan), {f"{action}-amount": "1000000", f"{action}-on": "15/02/2021"})
    assert response.status_code == 403
    assert not loan.repayments.exists()


def test_area_officer_sees_only_the_loans_of_their_area(client, officer, loan, hiep_hoa_loan):
    client.force_login(officer)
    listed = [row["loan"] for row in client.get(url("loans")).context["page_obj"].object_list]
    assert listed == [loan]
    assert client.get(url("loan", loan)).status_code == 200
    assert client.get(url("loan", hiep_hoa_loan)).status_code == 404
    arrears = client.get(url("arrears")).context["st"]
    assert [p.loan for p in arrears.overdue] == [loan]
    assert client.post(url("repay", loan), {"repay-amount": "1000", "repay-on": "15/02/2021"}).status_code == 403


def test_training_staff_can_view_but_not_decide_or_move_money(client, training, org_tan_yen, product, loan, source):
    pending = application(org_tan_yen, product, code="VAY-2021-0009")
    client.force_login(training)
    assert client.get(url("loan", pending)).status_code == 200
    assert client.get(url("loan", loan)).context["actions"] == []
    approve = {
        "approve-amount": "300.000.000",
        "approve-term_months": "24",
        "approve-decision_number": "1/QĐ",
        "approve-decision_on": "10/01/2021",
        "approve-approver": "GĐ",
    }
    assert client.post(url("approve", pending), approve).status_code == 403
    assert client.post(url("disburse", loan), {"disburse-amount": "1", "disburse-on": "16/01/2021"}).status_code == 403
    assert client.get(url("apply")).status_code == 403
    capital = {"source": source.pk, "direction": "in", "on": "01/01/2021", "amount": "1000"}
    assert client.post(url("capital"), capital).status_code == 403
    pending.refresh_from_db()
    assert pending.status == LoanStatus.APPLIED and not CapitalMovement.objects.exists()


# ---------------------------------------------------------------- applying


def test_cooperative_applies_for_its_own_organisation_only(client, coop_user, org_tan_yen, org_hiep_hoa, product):
    client.force_login(coop_user)
    form = client.get(url("apply")).context["form"]
    assert "borrower" not in form.fields
    response = client.post(
        url("apply"),
        {
            "borrower": org_hiep_hoa.pk,  # ignored: the account applies for itself
            "product": product.pk,
            "project_name": "Kho lạnh bảo quản vải",
            "project_cost": "800.000.000",
            "equity_amount": "300.000.000",
            "requested_amount": "500.000.000",
            "requested_term_months": "36",
            "applied_on": "05/01/2021",
        },
    )
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == url("loan", loan)
    assert loan.borrower == org_tan_yen and loan.code == "VAY-2021-0001" and loan.requested_amount == 500_000_000
    assert loan.created_by == coop_user


def test_loan_codes_follow_the_year_of_application(org_tan_yen, product):
    application(org_tan_yen, product, code="VAY-2021-0007")
    application(org_tan_yen, product, code="HISTORIC-12")
    assert services.loan_next_code(2021) == "VAY-2021-0008"
    assert services.loan_next_code(2022) == "VAY-2022-0001"


def test_application_errors_keep_what_was_typed(client, fund_staff, org_tan_yen, product):
    client.force_login(fund_staff)
    response = client.post(
        url("apply"),
        {
            "borrower": org_tan_yen.pk,
            "product": product.pk,
            "project_name": "Dự án thử",
            "project_cost": "800.000.000",
            "requested_amount": "0",
            "requested_term_months": "36",
            "applied_on": "05/01/2099",
        },
    )
    assert response.status_code == 200 and not Loan.objects.exists()
    form_errors = errors(response, "apply")
    assert "requested_amount" in form_errors and "applied_on" in form_errors
    assert 'value="Dự án thử"' in response.content.decode()


def test_staff_see_the_eligibility_precheck(client, fund_staff, org_tan_yen, product):
    short = application(org_tan_yen, product, equity_amount=10_000_000, amount=590_000_000)
    client.force_login(fund_staff)
    warnings = client.get(url("loan", short)).context["warnings"]
    assert len(warnings) == 2  # more than 80% of the project, less than 20% own capital
    assert 'id="eligibility"' in client.get(url("loan", short)).content.decode()


# ---------------------------------------------------------------- the whole path through the views


def test_apply_appraise_approve_contract_disburse_repay_through_the_views(
    client, fund_staff, coop_user, org_tan_yen, product, media
):
    client.force_login(fund_staff)
    response = client.post(
        url("apply"),
        {
            "borrower": org_tan_yen.pk,
            "product": product.pk,
            "project_name": "Mở rộng vùng trồng vải",
            "purpose": "Mua cây giống",
            "project_cost": "1.000.000.000",
            "equity_amount": "500.000.000",
            "requested_amount": "500.000.000",
            "requested_term_months": "36",
            "applied_on": "16/12/2020",
        },
    )
    loan = Loan.objects.get()
    assert response.status_code == 302 and loan.code == "VAY-2020-0001"

    report = SimpleUploadedFile("tham-dinh.pdf", PDF, content_type="application/pdf")
    steps = [
        ("appraise", {"on": "26/12/2020", "text": "Dự án khả thi", "recommendation": "approve", "attachment": report}),
        (
            "approve",
            {
                "amount": "500.000.000",
                "term_months": "36",
                "decision_number": "12/QĐ-QHT",
                "decision_on": "05/01/2021",
                "approver": "Giám đốc Quỹ",
            },
        ),
        ("contract", {"number": "HĐ-12", "on": "10/01/2021"}),
        ("disburse", {"amount": "500.000.000", "on": "15/01/2021", "document": "UNC-01"}),
    ]
    for action, data in steps:
        response = client.post(url(action, loan), {f"{action}-{k}": v for k, v in data.items()})
        assert response.status_code == 302, (action, response.context and errors(response, action))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE and loan.approved_amount == 500_000_000
    assert loan.schedules.count() == 1

    response = client.post(url("repay", loan), {"repay-amount": "16.888.888", "repay-on": "15/02/2021"}, follow=True)
    repayment = loan.repayments.get()
    assert (repayment.overdue_interest, repayment.interest, repayment.principal) == (0, 3_000_000, 13_888_888)
    shown = [str(m) for m in response.context["messages"]]
    assert any("3.000.000đ" in m and "13.888.888đ" in m for m in shown)  # the split, right after saving
    html = response.content.decode()
    assert 'data-state="paid"' in html and 'id="repayment-list"' in html

    actions = [e["entry"].action for e in response.context["history"]]
    for action in ("applied", "appraised", "approved", "contracted", "disbursed", "repaid"):
        assert f"fund.loan.{action}" in actions

    # The attachment: a download for staff, not for the borrower's account.
    appraisal = Appraisal.objects.get()
    download = client.get(reverse("fund:attachment", args=[appraisal.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    client.force_login(coop_user)
    assert client.get(reverse("fund:attachment", args=[appraisal.pk])).status_code == 404
    assert client.get(url("loan", loan)).status_code == 200


@pytest.mark.parametrize(
    "name, content",
    [("virus.exe", b"MZ\x90\x00"), ("ghi-chu.txt", b"hello"), ("gia-mao.pdf", b"MZ not a pdf")],
)
def test_appraisal_attachment_of_another_type_is_refused(
    client, fund_staff, org_tan_yen, product, media, name, content
):
    pending = application(org_tan_yen, product)
    client.force_login(fund_staff)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        url("appraise", pending),
        {"appraise-on": "06/01/2021", "appraise-text": "Ghi chú", "appraise-attachment": upload},
    )
    assert response.status_code == 200
    assert "attachment" in errors(response, "appraise")
    assert 'id="action-appraise"' in response.content.decode()
    assert not Appraisal.objects.exists() and not list(media.rglob("*.*"))


def test_attachment_over_10_mb_is_refused(client, fund_staff, org_tan_yen, product, media):
    pending = application(org_tan_yen, product)
    client.force_login(fund_staff)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = client.post(
        url("appraise", pending), {"appraise-on": "06/01/2021", "appraise-text": "x", "appraise-attachment": big}
    )
    assert response.status_code == 200 and "attachment" in errors(response, "appraise")


def test_service_error_shows_beside_the_field_and_keeps_the_input(client, fund_staff, loan):
    client.force_login(fund_staff)
    # The loan is fully disbursed: no more tranches offered, and a posted one is refused with the reason.
    assert "disburse" not in [a["action"].name for a in client.get(url("loan", loan)).context["actions"]]
    response = client.post(
        url("repay", loan), {"repay-amount": "600.000.000", "repay-on": "15/02/2021", "repay-document": "PT-77"}
    )
    assert response.status_code == 200
    assert "amount" in errors(response, "repay")
    assert 'value="PT-77"' in response.content.decode() and response.context["open_action"] == "repay"
    assert not loan.repayments.exists()


def test_action_for_another_status_is_refused(client, fund_staff, loan):
    client.force_login(fund_staff)
    data = {"contract-number": "HĐ-99", "contract-on": "20/01/2021"}
    response = client.post(url("contract", loan), data, follow=True)
    assert response.redirect_chain == [(url("loan", loan), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    loan.refresh_from_db()
    assert loan.contract_number == "HĐ-12"


def test_reject_and_write_off(client, fund_staff, org_tan_yen, product, loan):
    pending = application(org_tan_yen, product, code="VAY-2021-0002")
    client.force_login(fund_staff)
    client.post(url("reject", pending), {"reject-decision_on": "10/01/2021", "reject-reason": "Thiếu vốn đối ứng"})
    pending.refresh_from_db()
    assert pending.status == LoanStatus.REJECTED
    client.post(url("write_off", loan), {"write_off-on": "01/06/2023", "write_off-reason": "HTX giải thể"})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF and loan.written_off_on == D(2023, 6, 1)


def test_rescheduling_keeps_the_old_schedule_on_the_page(client, fund_staff, loan):
    client.force_login(fund_staff)
    response = client.post(
        url("reschedule", loan),
        {
            "reschedule-on": "20/02/2021",
            "reschedule-term_months": "48",
            "reschedule-annual_rate": "6,5",
            "reschedule-reason": "Thiên tai",
        },
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.term_months == 48 and str(loan.annual_rate) == "6.5000"
    page = client.get(url("loan", loan))
    assert page.context["current_schedule"].number == 2
    assert [v.number for v in page.context["older_schedules"]] == [1]
    assert 'id="schedule-v1"' in page.content.decode()


# ---------------------------------------------------------------- lists and figures


def test_loan_list_takes_the_same_queries_for_2_or_12_loans(
    client, fund_staff, org_tan_yen, org_hiep_hoa, product, django_assert_max_num_queries
):
    client.force_login(fund_staff)

    def make(start, n):
        for i in range(start, start + n):
            org = org_tan_yen if i % 2 else org_hiep_hoa
            if i % 3 == 0:
                disbursed_loan(org, product, fund_staff, code=f"VAY-D{i}", amount=100_000_000 + i)
            else:
                application(org, product, code=f"VAY-A{i}")

    make(0, 2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url("loans")).status_code == 200
    make(2, 10)
    with django_assert_max_num_queries(len(two)):
        response = client.get(url("loans"))
    assert len(response.context["page_obj"].object_list) == 12


def test_loan_list_filters(client, fund_staff, loan, org_hiep_hoa, org_tan_yen, product):
    pending = application(org_tan_yen, product, code="VAY-2021-0003")
    repaid = disbursed_loan(org_hiep_hoa, product, fund_staff, amount=12_000_000, term=3, code="VAY-HH")
    for line in selectors.lines_in_force(repaid, D(2021, 4, 15)):
        services.repayment_record(loan=repaid, on=line.due_on, amount=line.total, by=fund_staff)
    client.force_login(fund_staff)

    def codes(**params):
        return sorted(row["loan"].code for row in client.get(url("loans"), params).context["page_obj"].object_list)

    assert codes() == sorted([loan.code, repaid.code, pending.code])
    assert codes(status="applied") == [pending.code]
    assert codes(status="closed") == [repaid.code]
    assert codes(q="thanh van") == [repaid.code]  # no diacritics
    assert codes(overdue="on") == [loan.code]


def test_arrears_page_on_a_date(client, fund_staff, loan, org_tan_yen):
    client.force_login(fund_staff)
    response = client.get(url("arrears"), {"on": "20/03/2021"})
    st = response.context["st"]
    assert [p.days_past_due for p in st.overdue] == [33]
    assert response.context["par30"] == "100,0%" and response.context["par90"] == "0,0%"
    html = response.content.decode()
    assert 'data-days="33"' in html and org_tan_yen.phone in html and org_tan_yen.representative in html
    assert client.get(url("arrears"), {"on": "10/02/2021"}).context["st"].overdue == []


def test_statement_on_a_date_with_flows_and_breakdowns(client, fund_staff, loan, source):
    services.capital_record(source=source, on=D(2020, 1, 1), amount=2_000_000_000, by=fund_staff)
    client.force_login(fund_staff)
    response = client.get(url("statement"), {"as_of": "20/03/2021", "from": "01/01/2021", "grouping": "then"})
    st = response.context["st"]
    assert st.capital == 2_000_000_000 and st.outstanding == 500_000_000 and st.disbursed_in_period == 500_000_000
    tables = {t["id"]: t["rows"] for t in response.context["tables"]}
    assert [r["outstanding"] for r in tables["by-area"]] == [500_000_000]
    html = response.content.decode()
    assert "500.000.000đ" in html and 'id="flows"' in html


def test_statement_downloads_as_xlsx(client, fund_staff, loan, monkeypatch):
    seen = []
    fake = types.ModuleType("hoptac.fund.exporters")

    def statement_xlsx(statement):
        seen.append(statement)
        return b"PK\x03\x04 workbook"

    fake.statement_xlsx = statement_xlsx
    monkeypatch.setitem(sys.modules, "hoptac.fund.exporters", fake)
    client.force_login(fund_staff)
    response = client.get(url("statement"), {"as_of": "15/03/2021", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"] == 'attachment; filename="so-du-quy-2021-03-15.xlsx"'
    assert response.content.startswith(b"PK") and seen[0].as_of == D(2021, 3, 15)


def test_statement_xlsx_is_the_exporters_workbook_of_the_loans_the_user_sees(client, officer, loan, hiep_hoa_loan):
    client.force_login(officer)
    response = client.get(url("statement"), {"as_of": "20/03/2021", "from": "01/01/2021", "format": "xlsx"})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    text = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    assert loan.code in text and hiep_hoa_loan.code not in text  # the overdue list is the officer's


def test_capital_page_records_movements_and_totals_on_a_date(client, fund_staff, source):
    client.force_login(fund_staff)
    contribution = {"source": source.pk, "direction": "in", "on": "01/01/2021", "amount": "3.000.000.000"}
    assert client.post(url("capital"), contribution).status_code == 302
    withdrawal = {"source": source.pk, "direction": "out", "on": "01/02/2021", "amount": "500.000.000"}
    assert client.post(url("capital"), withdrawal).status_code == 302
    too_much = {"source": source.pk, "direction": "out", "on": "01/03/2021", "amount": "9.000.000.000"}
    response = client.post(url("capital"), too_much)
    assert response.status_code == 200 and "amount" in errors(response, "capital")
    assert client.get(url("capital"), {"on": "15/01/2021"}).context["total"] == 3_000_000_000
    page = client.get(url("capital"), {"on": "15/02/2021"})
    assert page.context["total"] == 2_500_000_000 and page.context["sources"][0].total == 2_500_000_000
    assert len(page.context["page_obj"].object_list) == 2


def test_capital_page_is_the_alliances(client, coop_user, officer):
    for user in (coop_user, officer):
        client.force_login(user)
        assert client.get(url("capital")).status_code == 403


def test_organisation_page_lists_its_loans_for_those_who_see_them(client, staff, officer, loan, org_tan_yen):
    for user in (staff, officer):
        client.force_login(user)
        response = client.get(reverse("registry:detail", args=[org_tan_yen.pk]))
        assert response.context["loans"] == [loan]
        assert f'href="{url("loan", loan)}"' in response.content.decode()


def test_home_headline_figures(client, fund_staff, loan, source):
    services.capital_record(source=source, on=D(2020, 1, 1), amount=2_000_000_000, by=fund_staff)
    client.force_login(fund_staff)
    response = client.get(url("home"))
    st = response.context["st"]
    assert st.capital == 2_000_000_000 and st.loans_outstanding == 1
    # The fixture's loan was never repaid: long past due by now.
    assert response.context["par30"] == "100,0%"
    assert datetime.date.today() >= st.as_of - datetime.timedelta(days=1)


def fund_urls():
    from django.urls import URLPattern, get_resolver

    for pattern in get_resolver().namespace_dict["fund"][1].url_patterns:
        assert isinstance(pattern, URLPattern)
        yield pattern


@pytest.mark.parametrize("pattern", list(fund_urls()), ids=lambda p: p.name)
def test_officer_of_tan_yen_never_reaches_a_hiep_hoa_loan(client, officer, loan, hiep_hoa_loan, org_hiep_hoa, pattern):
    """Every fund URL (a new one is covered the day it is added), by GET and POST."""
    client.force_login(officer)
    pk = hiep_hoa_loan.appraisals.get().pk if pattern.name == "attachment" else hiep_hoa_loan.pk
    kwargs = {"pk": pk} if "pk" in pattern.pattern.converters else {}
    target = reverse(f"fund:{pattern.name}", kwargs=kwargs)
    before = (hiep_hoa_loan.version, hiep_hoa_loan.repayments.count())
    data = {f"{pattern.name}-{k}": v for k, v in {"amount": "1000", "on": "20/02/2021", "reason": "x"}.items()}
    for response in (
        client.get(target, {"q": "thanh van"}),
        client.get(target, {"format": "xlsx", "as_of": "20/03/2021"}),
        client.post(target, data),
    ):
        if kwargs:
            assert response.status_code in (403, 404, 405), (target, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            wb = openpyxl.load_workbook(io.BytesIO(body))
            body = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row).encode()
        assert org_hiep_hoa.name.encode() not in body, target
        assert hiep_hoa_loan.code.encode() not in body, target
    hiep_hoa_loan.refresh_from_db()
    assert (hiep_hoa_loan.version, hiep_hoa_loan.repayments.count()) == before


# ---------------------------------------------------------------- settings in the admin


def test_products_and_sources_are_edited_in_the_admin_never_deleted(admin_client, product, loan):
    changelist = reverse("admin:fund_loanproduct_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(reverse("admin:fund_loanproduct_delete", args=[product.pk])).status_code == 403
    assert admin_client.get(reverse("admin:fund_capitalsource_add")).status_code == 200
    data = {
        "code": product.code,
        "name": product.name,
        "eligible_kinds": '["HTX", "LHHTX", "THT"]',
        "max_amount": product.max_amount,
        "max_project_share": "80",
        "min_equity_share": "20",
        "max_term_months": 60,
        "annual_rate": "9",
        "principal_every_months": 1,
        "interest_every_months": 1,
        "grace_months": 0,
        "method": product.method,
        "day_count": product.day_count,
        "active": "on",
    }
    response = admin_client.post(reverse("admin:fund_loanproduct_change", args=[product.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    product.refresh_from_db()
    loan.refresh_from_db()
    assert str(product.annual_rate) == "9.0000" and str(loan.annual_rate) == "7.2000"
    from hoptac.core.audit import entries_for

    entry = entries_for(product).get()
    assert entry.action == "fund.product.changed" and entry.changes == {"annual_rate": ["7.2000", "9.0000"]}
