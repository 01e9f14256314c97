"""A draft's Word and PDF files through export jobs (issue #9): the report page's buttons, the worker, the download."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from hoptac.core.exports import ExportJob, ExportStatus

D = datetime.date


pytestmark = pytest.mark.usefixtures("report_media")


def ask(client, report, fmt):
    return client.post(reverse("exports:create"), {"kind": f"briefing.report_{fmt}", "report": report.pk})


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [p.text for t in doc.tables for c in t._cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_draft_page_asks_the_worker_for_its_word_and_pdf(client, awards_officer, draft):
    client.force_login(awards_officer)  # every alliance account reads reports
    page = client.get(reverse("briefing:detail", args=[draft.pk])).content.decode()
    create = reverse("exports:create")
    assert page.count(f'action="{create}"') == 2
    assert 'name="kind" value="briefing.report_docx"' in page and 'name="kind" value="briefing.report_pdf"' in page
    assert f'name="report" value="{draft.pk}"' in page and 'id="dl-docx"' in page and 'id="dl-pdf"' in page
    # The GET download is still there, for the other formats and for scripts.
    assert reverse("briefing:download", args=[draft.pk, "xlsx"]) in page


def test_a_draft_word_file_is_made_by_the_worker_and_downloaded_by_its_creator(client, awards_officer, admin, draft):
    client.force_login(awards_officer)
    response = ask(client, draft, "docx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    assert (job.status, job.params, job.filename) == (
        ExportStatus.DONE,
        {"report": draft.pk},
        f"du-thao-bao-cao-{draft.pk}.docx",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Báo cáo dạng tệp Word" in page and "Tải về" in page

    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200 and "wordprocessingml" in download["Content-Type"]
    assert f'filename="du-thao-bao-cao-{draft.pk}.docx"' in download["Content-Disposition"]
    text = docx_text(b"".join(download.streaming_content))
    assert draft.title in text and "nâng tổng số HTX đang hoạt động" in text

    client.force_login(admin)  # may read the report, but the file was asked for by someone else
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_draft_pdf_file_too(client, office, draft):
    client.force_login(office)
    job = ExportJob.objects.get(pk=int(ask(client, draft, "pdf")["Location"].rstrip("/").rsplit("/", 1)[1]))
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert job.filename == f"du-thao-bao-cao-{draft.pk}.pdf"


def test_who_may_not_read_reports_gets_403_and_no_job(client, officer, coop_user, draft):
    for user in (officer, coop_user):
        client.force_login(user)
        assert ask(client, draft, "docx").status_code == 403
    assert not ExportJob.objects.exists()


def test_a_report_that_does_not_exist_is_404_and_no_job(client, office, draft):
    client.force_login(office)
    assert (
        client.post(reverse("exports:create"), {"kind": "briefing.report_pdf", "report": draft.pk + 1}).status_code
        == 404
    )
    assert client.post(reverse("exports:create"), {"kind": "briefing.report_pdf", "report": "x"}).status_code == 404
    assert not ExportJob.objects.exists()


def test_the_get_download_still_answers_at_once(client, office, draft):
    client.force_login(office)
    response = client.get(reverse("briefing:download", args=[draft.pk, "docx"]))
    assert response.status_code == 200 and draft.title in docx_text(response.content)
    assert not ExportJob.objects.exists()
