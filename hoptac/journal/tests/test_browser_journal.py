"""The journal in Debian's Chromium: an office entry from recording to archiving, a document from draft to approved."""

import pytest

from conftest import login
from hoptac.core.models import Department, Role, User
from hoptac.journal import services
from hoptac.journal.models import Document, DocumentKind, DocumentStatus, JournalEntry

from .conftest import PASSWORD, PDF, D

pytestmark = pytest.mark.browser


@pytest.fixture
def office_staff(transactional_db):
    return User.objects.create_user("vanphong", password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)


def test_office_records_a_promotion_entry_finds_it_in_the_quarter_and_archives_it(page, office_staff):
    plan = services.document_create(
        kind=DocumentKind.PLAN,
        title="Kế hoạch tuyên truyền phát triển HTX năm 2021",
        drafted_on=D(2021, 1, 6),
        by=office_staff,
    )
    login(page, "vanphong")

    page.goto(page.base_url + "/journal/")
    page.click("#new-entry")
    page.fill("#id_on", "03/02/2021")
    page.select_option("#id_area", "promotion")
    page.fill("#id_title", "Hội nghị tuyên truyền Luật HTX tại Tân Yên")
    page.fill("#id_text", "Tư vấn, tuyên truyền cho các sáng lập viên có nhu cầu thành lập HTX.")
    page.check("#id_conference")
    page.fill("#id_attendance", "85")
    page.select_option("#id_documents", str(plan.pk))
    page.click("#entry-form [type=submit]")
    page.wait_for_selector("#edit-entry")
    entry = JournalEntry.objects.get(title="Hội nghị tuyên truyền Luật HTX tại Tân Yên")
    assert entry.conference and entry.attendance == 85 and list(entry.documents.all()) == [plan]
    assert plan.title in page.inner_text("#linked-documents")

    # The quarter view: the entry under "Tuyên truyền, vận động phát triển HTX", with its conference.
    page.goto(page.base_url + "/journal/?year=2021")
    page.click("#quarters >> text=Quý 1/2021")
    item = page.locator(f'#area-promotion li[data-entry="{entry.pk}"]')
    item.wait_for()
    assert "Tuyên truyền" in page.inner_text("#area-promotion h2")
    assert "85 người dự" in item.inner_text()

    # Archived with a reason, it leaves the list and says why on its own page.
    item.locator("a").click()
    page.click("#archive-box summary")
    page.fill("#archive-form textarea[name=reason]", "Nhập trùng với mục ngày 04/02/2021")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#archive-form [type=submit]")
    page.wait_for_selector("#archived-note")
    assert "Nhập trùng với mục ngày 04/02/2021" in page.inner_text("#archived-reason")
    assert "vanphong" in page.inner_text("#archived-note")

    page.goto(page.base_url + "/journal/?year=2021&quarter=1")
    page.wait_for_selector(".empty")
    assert page.locator(f'li[data-entry="{entry.pk}"]').count() == 0
    entry.refresh_from_db()
    assert entry.archived_reason == "Nhập trùng với mục ngày 04/02/2021" and entry.archived_by == office_staff


def test_a_document_goes_from_draft_to_approved_with_a_number_and_a_pdf_that_downloads(page, office_staff, media):
    login(page, "vanphong")
    page.goto(page.base_url + "/journal/documents/")
    page.click("#new-document")
    page.select_option("#id_kind", "cooperation")
    page.fill("#id_title", "Chương trình phối hợp hỗ trợ tín dụng cho các HTX")
    page.fill("#id_partner", "Ngân hàng HDBank chi nhánh Bắc Giang")
    page.fill("#id_drafted_on", "01/02/2021")
    page.set_input_files("#id_file", files=[{"name": "ctph-hdbank.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#document-form [type=submit]")
    page.wait_for_selector("#submit-form")
    assert page.inner_text("#status") == "Dự thảo"

    page.fill("#submit-form input[name=on]", "22/02/2021")
    page.click("#submit-form [type=submit]")
    page.wait_for_selector("#approve-form")
    assert page.inner_text("#status") == "Đã trình"

    page.fill("#approve-form input[name=on]", "03/03/2021")
    page.fill("#approve-form input[name=number]", "02/CTPH-LMHTX-HDB")
    page.click("#approve-form [type=submit]")
    page.wait_for_selector("#status >> text=Đã duyệt")
    assert page.locator("#approve-form").count() == 0
    assert "02/CTPH-LMHTX-HDB" in page.inner_text(".facts")

    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF

    document = Document.objects.get()
    assert document.status == DocumentStatus.APPROVED and document.number == "02/CTPH-LMHTX-HDB"
    assert (document.submitted_on, document.issued_on) == (D(2021, 2, 22), D(2021, 3, 3))
