import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoptac.core.audit import entries_for
from hoptac.journal import services
from hoptac.journal.models import Area, Document, DocumentStatus, JournalEntry

from .conftest import PDF, D

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def entry(office, proposal):
    e = services.journal_entry_create(
        on=D(2021, 1, 20),
        area=Area.ADVISING,
        title="Hội nghị BCH lần thứ 2",
        text="Tổ chức Hội nghị BCH Liên minh HTX tỉnh lần thứ 2.",
        conference=True,
        attendance=45,
        documents=[proposal],
        by=office,
    )
    return e


def pages(entry, proposal):
    return [
        reverse("journal:index"),
        reverse("journal:index") + "?year=2021&quarter=1",
        reverse("journal:entry", args=[entry.pk]),
        reverse("journal:entry_create"),
        reverse("journal:entry_edit", args=[entry.pk]),
        reverse("journal:documents"),
        reverse("journal:document", args=[proposal.pk]),
        reverse("journal:document_create"),
        reverse("journal:document_edit", args=[proposal.pk]),
    ]


@pytest.mark.parametrize("who", ["office", "trainer", "admin", "staff"])
def test_alliance_staff_of_any_department_see_every_page_without_inline_code(client, request, who, entry, proposal):
    client.force_login(request.getfixturevalue(who))
    for url in pages(entry, proposal):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html) and not INLINE_HANDLER.search(html)


@pytest.mark.parametrize("who", ["officer", "coop_user"])
def test_area_officers_and_cooperatives_get_403(client, request, who, entry, proposal):
    client.force_login(request.getfixturevalue(who))
    for url in [*pages(entry, proposal), reverse("journal:export")]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("journal:document_submit", args=[proposal.pk]), {"on": "10/02/2021"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("journal:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_journal_list_groups_by_area_for_the_quarter(client, office, entry):
    services.journal_entry_create(on=D(2021, 2, 1), area=Area.CAPITAL, title="Vốn", text="Tiếp nhận vốn.", by=office)
    services.journal_entry_create(on=D(2021, 5, 1), area=Area.CAPITAL, title="Quý II", text="Khác quý.", by=office)
    client.force_login(office)
    response = client.get(reverse("journal:index"), {"year": 2021, "quarter": 1})
    assert [g["area"] for g in response.context["groups"]] == [Area.ADVISING, Area.CAPITAL]
    assert response.context["count"] == 2
    assert "Khác quý." not in response.content.decode()


def test_staff_creates_an_entry(client, trainer, proposal):
    client.force_login(trainer)
    response = client.post(
        reverse("journal:entry_create"),
        {
            "on": "05/02/2021",
            "area": Area.TRAINING,
            "title": "Kế hoạch tập huấn",
            "text": "Ban hành kế hoạch bồi dưỡng tập huấn năm 2021.",
            "documents": [proposal.pk],
        },
    )
    entry = JournalEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("journal:entry", args=[entry.pk])
    assert entry.created_by == trainer and list(entry.documents.all()) == [proposal]


def test_attendance_without_conference_is_refused_on_the_form(client, office):
    client.force_login(office)
    response = client.post(
        reverse("journal:entry_create"),
        {"on": "05/02/2021", "area": Area.OTHER, "title": "X", "text": "Y", "attendance": "10"},
    )
    assert response.status_code == 200
    assert "attendance" in response.context["form"].errors
    assert not JournalEntry.objects.exists()


def test_entry_edit_saves(client, office, entry):
    client.force_login(office)
    data = {"on": "20/01/2021", "area": Area.ADVISING, "title": "Mới", "text": entry.text, "conference": "on"}
    data.update(attendance="50", version=entry.version)
    assert client.post(reverse("journal:entry_edit", args=[entry.pk]), data).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Mới" and entry.attendance == 50 and list(entry.documents.all()) == []


def test_document_create_with_file_and_download(client, office, media):
    client.force_login(office)
    upload = SimpleUploadedFile("de-an.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("journal:document_create"),
        {"kind": "proposal", "title": "Đề án khởi nghiệp", "drafted_on": "01/02/2021", "year": "2021", "file": upload},
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.status == DocumentStatus.DRAFT and document.file
    download = client.get(reverse("journal:document_file", args=[document.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_document_file_is_checked_by_content_and_type(client, office, media):
    client.force_login(office)
    fake = SimpleUploadedFile("de-an.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    image = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png")
    for upload in (fake, image):
        response = client.post(
            reverse("journal:document_create"),
            {"kind": "plan", "title": "Kế hoạch", "drafted_on": "01/02/2021", "file": upload},
        )
        assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_download_without_file_is_404(client, office, proposal):
    client.force_login(office)
    assert client.get(reverse("journal:document_file", args=[proposal.pk])).status_code == 404


def test_status_buttons_move_the_document_forward(client, office, proposal):
    client.force_login(office)
    submit = reverse("journal:document_submit", args=[proposal.pk])
    approve = reverse("journal:document_approve", args=[proposal.pk])
    assert client.post(approve, {"on": "01/03/2021", "number": "1"}).status_code == 400
    assert client.post(submit, {"on": "10/02/2021"}).status_code == 302
    response = client.post(approve, {"on": "01/03/2021", "number": ""})
    assert response.status_code == 400 and "number" in response.context["approve_form"].errors
    assert client.post(approve, {"on": "01/03/2021", "number": "15/ĐA-LMHTX"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == DocumentStatus.APPROVED and proposal.number == "15/ĐA-LMHTX"
    assert entries_for(proposal).first().user == office


def test_document_list_filters(client, office, proposal):
    client.force_login(office)
    response = client.get(reverse("journal:documents"), {"status": "approved"})
    assert list(response.context["page_obj"].object_list) == []
    response = client.get(reverse("journal:documents"), {"kind": "proposal", "date_from": "01/01/2021"})
    assert list(response.context["page_obj"].object_list) == [proposal]


def test_export_has_one_row_per_entry(client, office, entry):
    client.force_login(office)
    response = client.get(reverse("journal:export"), {"date_from": "01/01/2021", "date_to": "31/03/2021"})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[1]) == ["Ngày", "Lĩnh vực", "Tiêu đề", "Nội dung", "Hội nghị", "Số người dự"]
    assert rows[2][1:] == ("Tham mưu", entry.title, entry.text, "Có", 45)
    assert len(rows) == 3


def test_journal_list_filters_by_area(client, office, entry):
    services.journal_entry_create(on=D(2021, 2, 1), area=Area.CAPITAL, title="Vốn", text="Tiếp nhận vốn.", by=office)
    client.force_login(office)
    response = client.get(
        reverse("journal:index"), {"date_from": "01/01/2021", "date_to": "31/03/2021", "area": "capital"}
    )
    assert [g["area"] for g in response.context["groups"]] == [Area.CAPITAL]
    assert "area=capital" in response.context["export_query"]
