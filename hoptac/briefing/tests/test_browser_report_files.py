"""The report's files made by the worker (issue #9), in Debian's Chromium: the pages follow the worker by themselves."""

import datetime

import pytest

from conftest import PASSWORD, login, make_org
from hoptac.briefing import services
from hoptac.briefing import tasks as briefing_tasks
from hoptac.briefing.periods import QUARTER, make_period
from hoptac.core import tasks as core_tasks
from hoptac.core.exports import ExportJob
from hoptac.core.models import Department, Role, User

pytestmark = pytest.mark.browser
D = datetime.date
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_the_pages_wait_for_the_worker_then_offer_the_files(page, commune_tan_yen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DUMMY  # the test plays the worker
    make_org(commune_tan_yen, name="HTX Mới Quý Một", founded_on=D(2021, 2, 1))
    office = User.objects.create_user("vanphong", password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)
    draft = services.report_create(period=make_period(QUARTER, 2021, 1), as_of=D(2021, 3, 15), by=office)
    login(page, "vanphong")

    # A draft's Word button: the job's page waits, then offers the file without being reloaded.
    page.goto(f"{page.base_url}/reports/{draft.pk}/")
    page.click("#dl-docx")
    page.wait_for_selector("#export-job[data-status=queued]")
    assert "Đang chờ bắt đầu tạo tệp…" in page.inner_text("#export-job")
    core_tasks.run_export.call(ExportJob.objects.get().pk)
    page.wait_for_selector("#export-download", timeout=10_000)
    with page.expect_download() as download:
        page.click("#export-download")
    assert download.value.suggested_filename == f"du-thao-bao-cao-{draft.pk}.docx"

    # Issued: the report's page says its files are being made, then shows their links.
    report = services.report_issue(
        report=draft,
        issued_on=D(2021, 3, 16),
        signer_name="Nguyễn Văn Tùng",
        signer_title="Phó Chánh Văn phòng",
        by=office,
    )
    page.goto(f"{page.base_url}/reports/{report.pk}/")
    assert "Đang tạo tệp Word và PDF của báo cáo đã ban hành…" in page.inner_text("#issued-files")
    briefing_tasks.render_issued_files.call(report.pk)
    # HTMX asks again until the files are there: the note goes, the links stay.
    page.wait_for_selector("#issued-files-refresh", state="detached", timeout=10_000)
    assert "Đang tạo tệp" not in page.inner_text(".downloads")
    with page.expect_download() as download:
        page.click("#dl-pdf")
    assert download.value.suggested_filename == "bao-cao-01-2021.pdf"
