"""Archive instead of delete: a reason, who and when; hidden from lists, the report's selector and the export."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hoptac.core.audit import entries_for
from hoptac.journal import selectors, services
from hoptac.journal.models import Area, Document, DocumentKind, JournalEntry

from .conftest import D

pytestmark = pytest.mark.django_db

Q1 = {"date_from": D(2021, 1, 1), "date_to": D(2021, 3, 31)}


@pytest.fixture
def entry(office, proposal):
    return services.journal_entry_create(
        on=D(2021, 2, 3),
        area=Area.PROMOTION,
        title="Tư vấn sáng lập viên",
        text="Tư vấn, tuyên truyền cho các sáng lập viên có nhu cầu thành lập HTX.",
        documents=[proposal],
        by=office,
    )


# ---------------------------------------------------------------- services


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_archiving_needs_a_reason(office, entry, reason):
    with pytest.raises(ValidationError) as err:
        services.journal_entry_archive(entry=entry, reason=reason, by=office)
    assert "reason" in err.value.message_dict
    entry.refresh_from_db()
    assert entry.archived_on is None and not entries_for(entry).filter(action="journal.entry.archived").exists()


def test_archiving_an_entry_records_reason_who_and_when_and_audits_it(office, trainer, entry):
    before = timezone.now()
    archived = services.journal_entry_archive(entry=entry, reason="  Nhập trùng  ", by=trainer)
    assert archived.archived_reason == "Nhập trùng" and archived.archived_by == trainer
    assert archived.archived_on >= before
    audit = entries_for(entry).first()
    assert audit.action == "journal.entry.archived" and audit.user == trainer
    assert audit.changes == {"reason": "Nhập trùng"}


def test_restoring_an_entry_clears_the_archive_and_audits_it(office, entry):
    services.journal_entry_archive(entry=entry, reason="Nhập nhầm", by=office)
    restored = services.journal_entry_restore(entry=entry, reason="Không phải nhập trùng", by=office)
    assert restored.archived_on is None and restored.archived_reason == "" and restored.archived_by is None
    audit = entries_for(entry).first()
    assert audit.action == "journal.entry.restored"
    assert audit.changes == {"archived_reason": ["Nhập nhầm", ""], "reason": "Không phải nhập trùng"}


def test_an_archived_item_cannot_be_archived_again_nor_a_live_one_restored(office, entry, proposal):
    services.journal_entry_archive(entry=entry, reason="Nhập trùng", by=office)
    with pytest.raises(ValidationError):
        services.journal_entry_archive(entry=entry, reason="Lần nữa", by=office)
    with pytest.raises(ValidationError):
        services.document_restore(document=proposal, by=office)


def test_the_database_refuses_an_archive_without_a_reason(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(archived_on=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=entry.documents.get().pk).update(archived_reason="Lý do còn sót")


def test_archived_entries_are_left_out_of_the_reports_selector(office, entry):
    other = services.journal_entry_create(on=D(2021, 2, 4), area=Area.PROMOTION, title="X", text="Y", by=office)
    services.journal_entry_archive(entry=entry, reason="Nhập trùng", by=office)
    assert list(selectors.journal_entries(**Q1)) == [other]
    assert set(selectors.journal_entries(**Q1, include_archived=True)) == {entry, other}


def test_an_archived_entry_cannot_be_changed(office, entry):
    services.journal_entry_archive(entry=entry, reason="Nhập trùng", by=office)
    with pytest.raises(ValidationError):
        services.journal_entry_update(entry=entry, title="Sửa", by=office)
    entry.refresh_from_db()
    assert entry.title == "Tư vấn sáng lập viên"


def test_an_archived_document_leaves_the_list_and_cannot_move_on(office, proposal):
    services.document_archive(document=proposal, reason="Đề án đã gộp vào đề án khác", by=office)
    assert list(selectors.documents(**Q1)) == []
    assert list(selectors.documents(**Q1, include_archived=True)) == [proposal]
    with pytest.raises(ValidationError):
        services.document_submit(document=proposal, on=D(2021, 2, 10), by=office)
    with pytest.raises(ValidationError):
        services.document_update(document=proposal, title="Khác", by=office)
    assert entries_for(proposal).first().action == "journal.document.archived"


def test_an_archived_document_cannot_be_newly_linked_but_an_existing_link_stays(office, entry, proposal):
    services.document_archive(document=proposal, reason="Nhập trùng", by=office)
    services.journal_entry_update(entry=entry, title="Vẫn giữ liên kết", documents=[proposal], by=office)
    assert list(entry.documents.all()) == [proposal]
    with pytest.raises(ValidationError) as err:
        services.journal_entry_create(
            on=D(2021, 2, 5), area=Area.OTHER, title="Mới", text="Nội dung.", documents=[proposal], by=office
        )
    assert "documents" in err.value.message_dict


# ---------------------------------------------------------------- pages


def test_staff_archives_an_entry_with_a_reason_and_it_leaves_the_journal(client, trainer, entry):
    client.force_login(trainer)
    response = client.post(reverse("journal:entry_archive", args=[entry.pk]), {"reason": "Nhập trùng với mục khác"})
    assert response.status_code == 302
    page = client.get(reverse("journal:index"), {"year": 2021, "quarter": 1})
    assert page.context["count"] == 0 and entry.title not in page.content.decode()
    detail = client.get(reverse("journal:entry", args=[entry.pk])).content.decode()
    assert "Nhập trùng với mục khác" in detail and "daotao" in detail and 'id="archived-note"' in detail
    assert 'id="edit-entry"' not in detail and 'id="restore-form"' in detail


def test_archiving_without_a_reason_is_refused_on_the_page(client, office, entry):
    client.force_login(office)
    response = client.post(reverse("journal:entry_archive", args=[entry.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "reason" in response.context["archive_form"].errors
    assert 'id="archive-box" open' in response.content.decode()
    entry.refresh_from_db()
    assert entry.archived_on is None


def test_show_archived_lists_archived_entries_marked(client, office, entry):
    services.journal_entry_archive(entry=entry, reason="Nhập trùng", by=office)
    client.force_login(office)
    response = client.get(reverse("journal:index"), {"year": 2021, "quarter": 1, "archived": "on"})
    html = response.content.decode()
    assert response.context["count"] == 1
    assert f'<li data-entry="{entry.pk}" class="archived">' in html
    # The quarter buttons keep the choice; the export never carries it.
    assert all("archived=on" in q["query"] for q in response.context["quarters"])
    assert "archived" not in response.context["export_query"]


def test_the_export_leaves_archived_entries_out(client, office, entry):
    services.journal_entry_create(on=D(2021, 2, 9), area=Area.CAPITAL, title="Vốn", text="Tiếp nhận vốn.", by=office)
    services.journal_entry_archive(entry=entry, reason="Nhập trùng", by=office)
    client.force_login(office)
    response = client.get(reverse("journal:export"), {"date_from": "01/01/2021", "date_to": "31/03/2021"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[2:]] == ["Vốn"]


def test_document_list_hides_archived_unless_asked_and_marks_them(client, office, proposal):
    plan = services.document_create(kind=DocumentKind.PLAN, title="Kế hoạch", drafted_on=D(2021, 1, 5), by=office)
    services.document_archive(document=proposal, reason="Nhập trùng", by=office)
    client.force_login(office)
    assert list(client.get(reverse("journal:documents")).context["page_obj"].object_list) == [plan]
    response = client.get(reverse("journal:documents"), {"archived": "on"})
    assert list(response.context["page_obj"].object_list) == [proposal, plan]
    assert f'<tr data-document="{proposal.pk}" class="archived">' in response.content.decode()


def test_document_detail_shows_the_archive_and_restores(client, office, proposal):
    client.force_login(office)
    client.post(reverse("journal:document_archive", args=[proposal.pk]), {"reason": "Đã gộp vào đề án khác"})
    html = client.get(reverse("journal:document", args=[proposal.pk])).content.decode()
    assert "Đã gộp vào đề án khác" in html and "vanphong" in html
    assert 'id="submit-form"' not in html and 'id="edit-document"' not in html
    response = client.post(reverse("journal:document_restore", args=[proposal.pk]), {"reason": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.archived_on is None
    assert 'id="submit-form"' in client.get(reverse("journal:document", args=[proposal.pk])).content.decode()


def test_editing_or_submitting_an_archived_item_sends_back_with_a_message(client, office, entry, proposal):
    services.journal_entry_archive(entry=entry, reason="Nhập trùng", by=office)
    services.document_archive(document=proposal, reason="Nhập trùng", by=office)
    client.force_login(office)
    for url in (
        reverse("journal:entry_edit", args=[entry.pk]),
        reverse("journal:document_edit", args=[proposal.pk]),
    ):
        response = client.get(url, follow=True)
        assert "khôi phục" in response.content.decode()
    response = client.post(reverse("journal:document_submit", args=[proposal.pk]), {"on": "10/02/2021"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_entry_form_offers_no_archived_document_except_one_already_linked(client, office, entry, proposal):
    plan = services.document_create(kind=DocumentKind.PLAN, title="Kế hoạch", drafted_on=D(2021, 1, 5), by=office)
    services.document_archive(document=plan, reason="Nhập trùng", by=office)
    services.document_archive(document=proposal, reason="Nhập trùng", by=office)
    client.force_login(office)
    assert list(client.get(reverse("journal:entry_create")).context["form"].fields["documents"].queryset) == []
    edit = client.get(reverse("journal:entry_edit", args=[entry.pk]))
    assert list(edit.context["form"].fields["documents"].queryset) == [proposal]


def test_the_history_reads_as_words_with_the_reason(client, office, entry):
    services.journal_entry_archive(entry=entry, reason="Nhập trùng với mục 12", by=office)
    client.force_login(office)
    html = client.get(reverse("journal:entry", args=[entry.pk])).content.decode()
    assert "journal.entry.archived" not in html
    assert "Lưu trữ mục nhật ký" in html and "Nhập trùng với mục 12" in html


@pytest.mark.parametrize("who", ["officer", "coop_user"])
def test_only_those_who_edit_may_archive_or_restore(client, request, who, entry, proposal):
    client.force_login(request.getfixturevalue(who))
    for name, pk in (
        ("journal:entry_archive", entry.pk),
        ("journal:entry_restore", entry.pk),
        ("journal:document_archive", proposal.pk),
        ("journal:document_restore", proposal.pk),
    ):
        assert client.post(reverse(name, args=[pk]), {"reason": "Thử"}).status_code == 403
    entry.refresh_from_db()
    assert entry.archived_on is None


def test_archive_is_a_post_only(client, office, entry):
    client.force_login(office)
    assert client.get(reverse("journal:entry_archive", args=[entry.pk])).status_code == 405
