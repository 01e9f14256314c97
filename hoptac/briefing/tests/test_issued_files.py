"""Issuing commits at once; the worker writes the Word and PDF files after the commit (issue #9).

These tests use Django's own on_commit (the app's conftest.py runs it at once for the others):
the callbacks are caught, looked at, then run as the commit would run them.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from hoptac.briefing import outputs, services, tasks
from hoptac.briefing.models import Report
from hoptac.briefing.periods import QUARTER, make_period

D = datetime.date
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
MAKING = "Đang tạo tệp Word và PDF của báo cáo đã ban hành…"


@pytest.fixture
def _on_commit_at_once():
    """Django's on_commit as it is: this module's tests run the callbacks themselves."""


pytestmark = pytest.mark.usefixtures("report_media")


def issue(report, by, **fields):
    data = {"issued_on": D(2021, 3, 16), "signer_name": "Nguyễn Văn Tùng", "signer_title": "Phó Chánh Văn phòng"}
    return services.report_issue(report=report, by=by, **{**data, **fields})


def numbers_in(content: bytes) -> list[str]:
    doc = Document(io.BytesIO(content))
    return [p.text for t in doc.tables for c in t._cells for p in c.paragraphs if p.text.startswith("Số:")]


def test_the_issue_commits_without_its_files_and_the_task_writes_them_after_the_commit(
    client, office, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = issue(draft, office)
    # Numbered, frozen and logged: only the files wait for the commit.
    assert report.number == "01/BC-LMHTX" and report.figures and not report.docx and not report.pdf
    assert len(callbacks) == 1

    client.force_login(office)
    page = client.get(reverse("briefing:detail", args=[report.pk])).content.decode()
    # The links are there meanwhile (and if the worker failed): they build the file at once.
    assert MAKING in page and 'id="dl-docx"' in page
    assert f'hx-get="{reverse("briefing:detail", args=[report.pk])}" hx-select="#issued-files"' in page
    # Meanwhile the download builds the file from the frozen content, as before.
    word = client.get(reverse("briefing:download", args=[report.pk, "docx"]))
    assert word.status_code == 200 and numbers_in(word.content) == ["Số: 01/BC-LMHTX"]

    callbacks[0]()  # the commit: the task is enqueued, and the immediate backend runs it
    report.refresh_from_db()
    assert report.docx.name.endswith("bao-cao-01-2021.docx") and report.pdf.name.endswith("bao-cao-01-2021.pdf")
    assert report.pdf.read().startswith(b"%PDF-")
    page = client.get(reverse("briefing:detail", args=[report.pk])).content.decode()
    assert MAKING not in page and 'id="issued-files-refresh"' not in page and 'id="dl-docx"' in page
    stored = client.get(reverse("briefing:download", args=[report.pk, "docx"]))
    assert stored.streaming and numbers_in(b"".join(stored.streaming_content)) == ["Số: 01/BC-LMHTX"]


def test_with_a_committed_issue_and_the_immediate_backend_the_files_are_there_on_return(
    office, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(draft, office)
    draft.refresh_from_db()
    assert draft.docx and draft.pdf


def test_a_refused_issue_enqueues_nothing(office, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        issue(draft, office, signer_name=" ")
    assert callbacks == []


def test_the_task_writes_only_what_is_missing_and_nothing_twice(office, draft, monkeypatch):
    report = issue(draft, office)  # the test's transaction never commits: no task yet
    assert not report.docx and not report.pdf
    tasks.render_issued_files.call(report.pk)
    report.refresh_from_db()
    docx = report.docx.name
    assert docx and report.pdf

    def never(*args, **kwargs):
        raise AssertionError("written twice")

    monkeypatch.setattr(outputs, "docx_bytes", never)
    Report.objects.filter(pk=report.pk).update(pdf="")  # say the PDF was lost
    tasks.render_issued_files.call(report.pk)
    report.refresh_from_db()
    assert report.docx.name == docx and report.pdf.read().startswith(b"%PDF-")

    monkeypatch.setattr(outputs, "pdf_bytes", never)
    tasks.render_issued_files.call(report.pk)  # both there: nothing to do

    # A draft has no issued files to write.
    other = services.report_create(period=make_period(QUARTER, 2021, 1), as_of=D(2021, 3, 20), by=office)
    tasks.render_issued_files.call(other.pk)
    other.refresh_from_db()
    assert not other.docx and not other.pdf


def test_the_public_file_before_and_after_the_worker(
    client, office, draft, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # enqueued at the commit, but no worker runs it yet
    with django_capture_on_commit_callbacks(execute=True):
        report = issue(draft, office)
    services.report_publish(report=report, by=office)
    report.refresh_from_db()
    assert not report.pdf

    built = client.get(reverse("public_reports:file", args=[report.pk, "pdf"]))
    assert built.status_code == 200 and built["Content-Type"] == "application/pdf" and not built.streaming
    assert built.content.startswith(b"%PDF-")

    tasks.render_issued_files.call(report.pk)
    stored = client.get(reverse("public_reports:file", args=[report.pk, "pdf"]))
    assert stored.status_code == 200 and stored.streaming and stored["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-01-2021.pdf"' in stored["Content-Disposition"]
