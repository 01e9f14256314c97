"""The returns pages: index, entry (errors beside the field, typed values kept), review, reopen, lists, dashboard."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from hoptac.returns import selectors, services, validation
from hoptac.returns.models import Return, Status
from hoptac.returns.periods import Period

from .conftest import VALID, approve, submit

D = datetime.date


def post_values(values: dict, action: str = "save", revision: int = 0) -> dict:
    return {"action": action, "revision": revision, **{f"v-{k}": v for k, v in values.items()}}


# ---------------------------------------------------------------- index and dashboard


def test_a_cooperative_sees_its_returns_to_file(client, coop_user, annual, org_tan_yen):
    client.force_login(coop_user)
    response = client.get(reverse("returns:index"))
    html = response.content.decode()
    year = datetime.date.today().year
    assert f'id="due-annual_htx-{year}"' in html and f'id="due-grading-{year}"' in html
    assert reverse("returns:fill", args=["annual_htx", str(year), org_tan_yen.pk]) in html


def test_staff_see_each_forms_periods_with_counts(client, staff, annual, org_tan_yen):
    client.force_login(staff)
    html = client.get(reverse("returns:index")).content.decode()
    year = datetime.date.today().year
    assert f'id="period-annual_htx-{year}"' in html and 'id="form-alliance_quarterly"' in html
    assert reverse("returns:completeness", args=["annual_htx", str(year)]) in html


def test_the_index_opens_any_period(client, staff, annual):
    client.force_login(staff)
    response = client.get(reverse("returns:goto"), {"form": annual.pk, "period": "2019"})
    assert response.status_code == 302 and response.url == reverse("returns:list", args=["annual_htx", "2019"])
    response = client.get(reverse("returns:goto"), {"form": annual.pk, "period": "2019Q1"})
    assert response.status_code == 400 and "theo năm" in response.content.decode()


def test_the_dashboard_shows_a_cooperatives_due_and_overdue_returns(coop_user, annual, org_tan_yen):
    dashboard = selectors.dashboard_for(coop_user, D(2020, 12, 1))
    assert [(d.form.code, d.period.slug) for d in dashboard.due_soon] == [("annual_htx", "2020"), ("grading", "2020")]
    dashboard = selectors.dashboard_for(coop_user, D(2020, 12, 20))
    assert [d.period.slug for d in dashboard.overdue] == ["2020", "2020"]


def test_the_dashboard_forgets_what_was_handed_in(coop_user, annual, grading_form, org_tan_yen):
    from .conftest import SCORES

    submit(annual, org_tan_yen, 2020)
    submit(grading_form, org_tan_yen, 2020, SCORES)
    assert selectors.dashboard_for(coop_user, D(2020, 12, 20)) is None


def test_the_dashboard_counts_per_form_for_staff(staff, annual, org_tan_yen, org_hiep_hoa):
    submit(annual, org_tan_yen, 2020)
    dashboard = selectors.dashboard_for(staff, D(2020, 12, 1))
    count = next(c for c in dashboard.counts if c.form.code == "annual_htx" and c.period.slug == "2020")
    assert (count.expected, count.handed_in, count.submitted, count.missing) == (2, 1, 1, 1)


def test_no_dashboard_when_nothing_is_due(fund_staff, annual):
    # No organisation in the register: nothing to file; the fund officer does not file the alliance's form.
    assert selectors.dashboard_for(fund_staff, D(2020, 12, 1)) is None


def test_the_home_page_shows_the_dashboard(client, coop_user, annual):
    client.force_login(coop_user)
    html = client.get(reverse("home")).content.decode()
    assert 'id="returns-dashboard"' in html


# ---------------------------------------------------------------- entry


def test_the_entry_page_shows_one_input_per_indicator_by_section(client, coop_user, annual, org_tan_yen):
    client.force_login(coop_user)
    response = client.get(reverse("returns:fill", args=["annual_htx", "2020", org_tan_yen.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for spec in validation.specs_for(annual.version_for(2020)):
        assert f'name="v-{spec.code}"' in html
    assert "Thành viên, lao động" in html and not Return.objects.exists()


def test_saving_a_draft_opens_the_return(client, coop_user, annual, org_tan_yen):
    client.force_login(coop_user)
    url = reverse("returns:fill", args=["annual_htx", "2020", org_tan_yen.pk])
    response = client.post(url, post_values({"revenue": "2.500.000.000", "employees": "8"}))
    ret = Return.objects.get()
    assert response.status_code == 302 and response.url == reverse("returns:entry", args=[ret.pk])
    assert validation.values_of(ret) == {"revenue": 2_500_000_000, "employees": 8}
    assert not ret.entered_on_behalf
    html = client.get(response.url).content.decode()
    assert 'value="2.500.000.000"' in html


def test_an_error_is_shown_beside_its_field_and_what_was_typed_is_kept(client, coop_user, annual, org_tan_yen):
    client.force_login(coop_user)
    url = reverse("returns:fill", args=["annual_htx", "2020", org_tan_yen.pk])
    response = client.post(url, post_values({**VALID, "profit": "3.000.000.000"}, action="submit"))
    html = response.content.decode()
    assert response.status_code == 200 and not Return.objects.exists()
    assert 'id="id_v-profit_error"' in html and "Lợi nhuận không được lớn hơn doanh thu." in html
    assert 'value="3.000.000.000"' in html and 'value="2.500.000.000"' in html


def test_submitting_from_the_entry_page(client, coop_user, annual, org_tan_yen):
    client.force_login(coop_user)
    url = reverse("returns:fill", args=["annual_htx", "2020", org_tan_yen.pk])
    response = client.post(url, post_values(VALID, action="submit"))
    ret = Return.objects.get()
    assert response.url == reverse("returns:detail", args=[ret.pk]) and ret.status == Status.SUBMITTED


def test_a_stale_save_keeps_what_the_user_changed(client, coop_user, officer, annual, org_tan_yen):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    ret = services.return_save(ret=ret, values={"employees": "8", "revenue": "100"}, revision=1, by=coop_user)
    services.return_save(ret=ret, values={"revenue": "200"}, revision=2, by=officer)
    client.force_login(coop_user)
    response = client.post(
        reverse("returns:entry", args=[ret.pk]), post_values({"employees": "9", "revenue": "100"}, revision=2)
    )
    html = response.content.decode()
    assert response.status_code == 409 and 'id="stale"' in html
    assert 'name="v-employees" id="id_v-employees" value="9"' in html
    assert 'name="v-revenue" id="id_v-revenue" value="200"' in html
    assert 'name="revision" value="3"' in html


def test_a_cooperative_cannot_enter_anothers_return(client, coop_user, annual, org_hiep_hoa):
    client.force_login(coop_user)
    assert client.get(reverse("returns:fill", args=["annual_htx", "2020", org_hiep_hoa.pk])).status_code == 404


def test_an_approved_return_cannot_be_posted_by_the_cooperative(client, coop_user, annual, org_tan_yen):
    ret = approve(submit(annual, org_tan_yen, 2020))
    client.force_login(coop_user)
    assert client.get(reverse("returns:entry", args=[ret.pk])).url == reverse("returns:detail", args=[ret.pk])
    response = client.post(
        reverse("returns:entry", args=[ret.pk]), post_values({"employees": "9"}, revision=ret.revision)
    )
    assert response.status_code == 403


def test_an_unknown_period_or_form_is_404(client, staff, annual):
    client.force_login(staff)
    assert client.get("/returns/annual_htx/2020Q1/").status_code == 404
    assert client.get("/returns/khong_co/2020/").status_code == 404


# ---------------------------------------------------------------- review


def test_a_reviewer_sends_back_with_a_comment_the_cooperative_sees(client, staff, coop_user, annual, org_tan_yen):
    ret = submit(annual, org_tan_yen, 2020)
    client.force_login(staff)
    assert 'id="review"' in client.get(reverse("returns:detail", args=[ret.pk])).content.decode()
    assert client.post(reverse("returns:send_back", args=[ret.pk]), {"comment": ""}).status_code == 400
    client.post(reverse("returns:send_back", args=[ret.pk]), {"comment": "Kiểm tra lại doanh thu"})
    ret.refresh_from_db()
    assert ret.status == Status.RETURNED
    client.force_login(coop_user)
    html = client.get(reverse("returns:entry", args=[ret.pk])).content.decode()
    assert 'id="reviewer-comment"' in html and "Kiểm tra lại doanh thu" in html


def test_a_cooperative_has_no_review_buttons_and_cannot_approve(client, coop_user, annual, org_tan_yen):
    ret = submit(annual, org_tan_yen, 2020)
    client.force_login(coop_user)
    assert 'id="review"' not in client.get(reverse("returns:detail", args=[ret.pk])).content.decode()
    assert client.post(reverse("returns:approve", args=[ret.pk])).status_code == 403


def test_approving_from_the_page(client, officer, annual, org_tan_yen):
    ret = submit(annual, org_tan_yen, 2020)
    client.force_login(officer)
    client.post(reverse("returns:approve", args=[ret.pk]))
    ret.refresh_from_db()
    assert ret.status == Status.APPROVED and ret.approved_by == officer


def test_the_detail_page_shows_flags_and_history(client, staff, annual, org_tan_yen):
    submit(annual, org_tan_yen, 2019)
    ret = submit(annual, org_tan_yen, 2020, {**VALID, "revenue": "9.000.000.000"})
    client.force_login(staff)
    html = client.get(reverse("returns:detail", args=[ret.pk])).content.decode()
    assert 'id="flags"' in html and "2.500.000.000" in html and "9.000.000.000" in html
    assert 'id="history"' in html


def test_an_administrator_reopens_with_a_reason(client, admin, staff, annual, org_tan_yen):
    ret = approve(submit(annual, org_tan_yen, 2020))
    client.force_login(staff)
    assert client.get(reverse("returns:reopen", args=[ret.pk])).status_code == 403
    client.force_login(admin)
    assert client.post(reverse("returns:reopen", args=[ret.pk]), {"reason": ""}).status_code == 200
    client.post(reverse("returns:reopen", args=[ret.pk]), {"reason": "Sai số lao động"})
    ret.refresh_from_db()
    assert ret.status == Status.RETURNED and ret.comment == "Sai số lao động"


def test_the_grading_sheet_shows_its_total_and_grade(client, staff, grading_form, org_tan_yen):
    from .conftest import SCORES

    ret = approve(submit(grading_form, org_tan_yen, 2020, SCORES))
    client.force_login(staff)
    html = client.get(reverse("returns:detail", args=[ret.pk])).content.decode()
    assert 'id="grade"' in html and "<strong>78</strong>" in html


# ---------------------------------------------------------------- lists


@pytest.fixture
def many(annual, commune_tan_yen, commune_hiep_hoa):
    for n in range(12):
        org = make_org(commune_tan_yen if n % 2 else commune_hiep_hoa, name=f"HTX Thử {n:02d}")
        ret = submit(annual, org, 2020, on=D(2020, 12, 10 + n))
        if n % 3 == 0:
            approve(ret)


def test_the_list_filters_by_status_and_district(client, staff, annual, many, tan_yen):
    client.force_login(staff)
    url = reverse("returns:list", args=["annual_htx", "2020"])
    html = client.get(url, {"status": "approved"}).content.decode()
    assert html.count('id="return-') == 4
    html = client.get(url, {"district": tan_yen.pk}).content.decode()
    assert html.count('id="return-') == 6


def test_the_list_takes_the_same_queries_for_few_or_many(client, staff, officer, annual, commune_tan_yen, many):
    url = reverse("returns:list", args=["annual_htx", "2020"])
    query = {"status": "submitted", "district": "", "flagged": ""}

    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, query).status_code == 200
        return len(context)

    few = {user.pk: queries(user) for user in (staff, officer)}
    for n in range(8):
        submit(annual, make_org(commune_tan_yen, name=f"HTX Thêm {n}"), 2020)
    assert {user.pk: queries(user) for user in (staff, officer)} == few
    assert max(few.values()) <= 16


def test_the_completeness_page_takes_a_constant_number_of_queries(
    client, staff, annual, many, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("returns:completeness", args=["annual_htx", "2020"]))
    assert response.status_code == 200


def test_the_completeness_lists_are_paginated_and_the_counts_stay_complete(
    client, staff, annual, many, commune_tan_yen, monkeypatch
):
    """Issue #9: nationally the lists ran to 40.000 rows; each now has its own pages."""
    from hoptac.returns.views import lists

    monkeypatch.setattr(lists, "COMPLETENESS_PAGE_SIZE", 5)
    for n in range(7):
        make_org(commune_tan_yen, name=f"HTX Chưa nộp {n}")
    client.force_login(staff)
    url = reverse("returns:completeness", args=["annual_htx", "2020"])
    with CaptureQueriesContext(connection) as first:
        html = client.get(url, {"late_page": "2"}).content.decode()
    assert html.count('id="missing-') == 5
    assert 'id="total-expected">19<' in html and 'id="total-missing">7<' in html
    assert "Chưa nộp" in html and "(7)" in html  # the heading counts the whole list
    report = selectors.completeness(annual, Period(2020))
    assert sum(a.expected for a in report.areas) == 19 and len(report.missing) == 7
    # A page link changes its own list's page and keeps the others' (and any other parameter).
    assert "?late_page=2&amp;missing_page=2#h-missing" in html
    with CaptureQueriesContext(connection) as second:
        html = client.get(url, {"missing_page": "2", "late_page": "2"}).content.decode()
    assert html.count('id="missing-') == 2
    assert len(second) == len(first)
    response = client.get(reverse("returns:completeness_xlsx", args=["annual_htx", "2020"]))
    sheet = load_workbook(io.BytesIO(response.content))["Chưa nộp"]
    names = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {f"HTX Chưa nộp {n}" for n in range(7)} <= names  # the export lists every one


def test_a_cooperative_does_not_see_lists(client, coop_user, annual):
    client.force_login(coop_user)
    assert client.get(reverse("returns:list", args=["annual_htx", "2020"])).status_code == 403
    assert client.get(reverse("returns:completeness", args=["annual_htx", "2020"])).status_code == 403


def test_the_completeness_page_lists_the_missing_with_their_phone(client, staff, annual, org_tan_yen, org_hiep_hoa):
    submit(annual, org_tan_yen, 2020)
    client.force_login(staff)
    html = client.get(reverse("returns:completeness", args=["annual_htx", "2020"])).content.decode()
    assert f'id="missing-{org_hiep_hoa.code}"' in html and "0912 345 678" in html
    assert f'id="submitted-{org_tan_yen.code}"' in html or f'id="late-{org_tan_yen.code}"' in html


def test_the_completeness_export(client, staff, annual, org_tan_yen):
    client.force_login(staff)
    response = client.get(reverse("returns:completeness_xlsx", args=["annual_htx", "2020"]))
    wb = load_workbook(io.BytesIO(response.content))
    assert "Chưa nộp" in wb.sheetnames


# ---------------------------------------------------------------- bulk entry pages


def test_the_template_download_and_the_upload_preview(client, officer, annual, org_tan_yen, org_hiep_hoa):
    client.force_login(officer)
    response = client.get(reverse("returns:template", args=["annual_htx", "2020"]))
    wb = load_workbook(io.BytesIO(response.content))
    assert [r[0] for r in wb["Báo cáo"].iter_rows(min_row=2, max_col=1, values_only=True)] == [org_tan_yen.code]
    ws = wb["Báo cáo"]
    headers = [c.value for c in ws[1]]
    for code, value in VALID.items():
        name = next(s.indicator.name_vi for s in validation.specs_for(annual.version_for(2020)) if s.code == code)
        ws.cell(row=2, column=headers.index(name) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "bao-cao.xlsx"
    url = reverse("returns:import", args=["annual_htx", "2020"])
    html = client.post(url, {"file": upload, "action": "check"}).content.decode()
    assert 'id="import-preview"' in html and not Return.objects.exists()
    upload = io.BytesIO(out.getvalue())
    upload.name = "bao-cao.xlsx"
    client.post(url, {"file": upload, "action": "import"})
    assert Return.objects.get().status == Status.SUBMITTED


def test_a_cooperative_cannot_use_bulk_entry(client, coop_user, annual):
    client.force_login(coop_user)
    assert client.get(reverse("returns:template", args=["annual_htx", "2020"])).status_code == 403
    assert client.get(reverse("returns:import", args=["annual_htx", "2020"])).status_code == 403


def test_pages_in_english(client, staff, annual, org_tan_yen):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.force_login(staff)
    html = client.get(reverse("returns:index")).content.decode()
    assert "Annual operations report" in html and "Periodic returns" in html


def test_the_statistics_from_returns_keep_their_urls():
    from django.urls import Resolver404, resolve

    assert resolve("/returns/statistics/").namespace == "analytics"
    try:
        match = resolve("/returns/statistics/2020/")
    except Resolver404:
        match = None
    assert match is None or match.namespace == "analytics"
