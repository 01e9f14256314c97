import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from hoptac.briefing import services
from hoptac.briefing.models import Report
from hoptac.briefing.periods import QUARTER, make_period

D = datetime.date
Q1 = make_period(QUARTER, 2021, 1)


@pytest.fixture
def draft(q1_orgs, office):
    return services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)


def test_the_office_writes_a_draft_from_the_form(client, office, q1_orgs):
    client.force_login(office)
    response = client.post(
        reverse("briefing:create"),
        {"period_kind": "quarter", "year": "2021", "quarter": "1", "as_of": "15/03/2021", "half": "1"},
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("briefing:detail", args=[report.pk])
    page = client.get(response["Location"]).content.decode()
    assert "nâng tổng số HTX đang hoạt động" in page
    # Each figure is a link to the records behind it.
    assert 'class="fig" href="/registry/stats/organizations/?' in page


def test_a_bad_period_is_explained_and_nothing_is_created(client, office):
    client.force_login(office)
    response = client.post(
        reverse("briefing:create"),
        {"period_kind": "range", "year": "2021", "date_from": "01/05/2021", "date_to": "01/04/2021"},
    )
    assert response.status_code == 200 and "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert not Report.objects.exists()


def test_other_departments_read_but_do_not_write(client, awards_officer, draft):
    client.force_login(awards_officer)
    assert client.get(reverse("briefing:detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("briefing:create")).status_code == 403
    assert (
        client.post(reverse("briefing:edit", args=[draft.pk]), {"version": draft.version, "title": "X"}).status_code
        == 403
    )
    assert client.post(reverse("briefing:issue", args=[draft.pk]), {}).status_code == 403


def test_area_officers_and_cooperatives_see_no_report(client, officer, coop_user, draft):
    for user in (officer, coop_user):
        client.force_login(user)
        assert client.get(reverse("briefing:index")).status_code == 403
        assert client.get(reverse("briefing:detail", args=[draft.pk])).status_code == 403


def test_a_stale_edit_keeps_what_was_typed(client, office, draft):
    client.force_login(office)
    url = reverse("briefing:edit", args=[draft.pk])
    client.post(url, {"version": draft.version, "title": draft.title, "text_advising": "Lần một."})
    response = client.post(url, {"version": draft.version, "title": draft.title, "text_advising": "Lần hai, gõ dở."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "người khác lưu" in page and "Lần hai, gõ dở." in page


def test_issue_publish_and_the_public_page(client, office, draft):
    client.force_login(office)
    response = client.post(
        reverse("briefing:issue", args=[draft.pk]),
        {
            "issued_on": "16/03/2021",
            "signer_name": "Nguyễn Văn Tùng",
            "signer_title": "Phó Chánh Văn phòng",
            "recipients": "Lưu: VT.",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.number == "01/BC-LMHTX"
    word = client.get(reverse("briefing:download", args=[draft.pk, "docx"]))
    assert "Số: 01/BC-LMHTX" in [
        p.text
        for t in Document(io.BytesIO(b"".join(word.streaming_content))).tables
        for c in t._cells
        for p in c.paragraphs
    ]
    client.logout()
    assert client.get(reverse("public_reports:detail", args=[draft.pk])).status_code == 404  # not yet published
    client.force_login(office)
    client.post(reverse("briefing:publish", args=[draft.pk]))
    client.logout()
    page = client.get(reverse("public_reports:list")).content.decode()
    assert draft.title in page
    detail = client.get(reverse("public_reports:detail", args=[draft.pk])).content.decode()
    assert "Năm báo cáo" in detail and "Kỳ báo cáo" in detail and "Quý 1" in detail
    pdf = client.get(reverse("public_reports:file", args=[draft.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"


def test_draft_downloads(client, office, draft):
    client.force_login(office)
    for fmt, kind in (
        ("docx", "wordprocessingml"),
        ("pdf", "application/pdf"),
        ("xlsx", "spreadsheetml"),
        ("html", "text/html"),
    ):
        response = client.get(reverse("briefing:download", args=[draft.pk, fmt]))
        assert response.status_code == 200 and kind in response["Content-Type"], fmt
    assert client.get(reverse("briefing:download", args=[draft.pk, "exe"])).status_code == 404


def test_the_list_queries_do_not_grow_with_reports(client, office, q1_orgs, django_assert_max_num_queries):
    client.force_login(office)
    for month in range(1, 4):
        services.report_create(period=Q1, as_of=D(2021, month, 28), by=office)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("briefing:index")).status_code == 200
