import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoptac.core.audit import entries_for
from hoptac.journal import selectors, services
from hoptac.journal.models import Area, DocumentKind, DocumentStatus, JournalEntry

from .conftest import D

pytestmark = pytest.mark.django_db


def entry(by, **kw):
    data = {"on": D(2021, 1, 20), "area": Area.ADVISING, "title": "Báo cáo", "text": "Xây dựng báo cáo."}
    data.update(kw)
    return services.journal_entry_create(by=by, **data)


def test_entry_is_created_with_links_and_audited(office, proposal, org_tan_yen):
    e = entry(office, documents=[proposal], organizations=[org_tan_yen], conference=True, attendance=120)
    assert list(e.documents.all()) == [proposal]
    assert list(e.organizations.all()) == [org_tan_yen]
    assert entries_for(e).get().action == "journal.entry.created"


def test_entry_date_cannot_be_in_the_future(office):
    with pytest.raises(ValidationError) as err:
        entry(office, on=timezone.localdate().replace(year=timezone.localdate().year + 1))
    assert "on" in err.value.message_dict


def test_attendance_only_with_a_conference(office):
    with pytest.raises(ValidationError) as err:
        entry(office, attendance=30)
    assert "attendance" in err.value.message_dict


def test_attendance_cannot_be_negative(office):
    with pytest.raises(ValidationError):
        entry(office, conference=True, attendance=-1)


def test_database_refuses_attendance_without_conference(office):
    e = entry(office)
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.filter(pk=e.pk).update(attendance=5)


def test_update_audits_changed_fields_and_clears_attendance(office):
    e = entry(office, conference=True, attendance=80)
    services.journal_entry_update(entry=e, by=office, conference=False, title="Báo cáo mới")
    e.refresh_from_db()
    assert e.attendance is None
    changed = entries_for(e).first()
    assert changed.action == "journal.entry.changed"
    assert changed.changes["title"] == ["Báo cáo", "Báo cáo mới"]


def test_document_moves_forward_only(office, proposal):
    services.document_submit(document=proposal, on=D(2021, 2, 10), by=office)
    with pytest.raises(ValidationError):
        services.document_submit(document=proposal, on=D(2021, 2, 11), by=office)
    doc = services.document_approve(document=proposal, on=D(2021, 3, 1), number="12/ĐA-LMHTX", by=office)
    assert doc.status == DocumentStatus.APPROVED
    assert doc.issued_on == D(2021, 3, 1)
    with pytest.raises(ValidationError):
        services.document_approve(document=doc, on=D(2021, 3, 2), number="13", by=office)
    actions = [a.action for a in entries_for(doc)]
    assert actions == ["journal.document.approved", "journal.document.submitted", "journal.document.created"]


def test_draft_cannot_be_approved_directly(office, proposal):
    with pytest.raises(ValidationError):
        services.document_approve(document=proposal, on=D(2021, 3, 1), number="1", by=office)


def test_approval_requires_a_number(office, proposal):
    services.document_submit(document=proposal, on=D(2021, 2, 10), by=office)
    with pytest.raises(ValidationError) as err:
        services.document_approve(document=proposal, on=D(2021, 3, 1), by=office)
    assert "number" in err.value.message_dict


def test_approval_not_before_submission(office, proposal):
    services.document_submit(document=proposal, on=D(2021, 2, 10), by=office)
    with pytest.raises(ValidationError):
        services.document_approve(document=proposal, on=D(2021, 2, 9), number="1", by=office)


def test_document_draft_date_not_in_future(office):
    future = timezone.localdate().replace(year=timezone.localdate().year + 1)
    with pytest.raises(ValidationError):
        services.document_create(kind=DocumentKind.PLAN, title="Kế hoạch", drafted_on=future, by=office)


def test_document_update_audits_changes(office, proposal):
    services.document_update(document=proposal, by=office, partner="UBND tỉnh")
    assert entries_for(proposal).first().changes["partner"] == ["", "UBND tỉnh"]


def test_journal_entries_ordered_by_area_then_date(office):
    late_advice = entry(office, on=D(2021, 3, 10), area=Area.ADVISING)
    training = entry(office, on=D(2021, 1, 5), area=Area.TRAINING)
    early_advice = entry(office, on=D(2021, 1, 10), area=Area.ADVISING)
    capital = entry(office, on=D(2021, 2, 1), area=Area.CAPITAL)
    entry(office, on=D(2021, 4, 1), area=Area.ADVISING)  # next quarter
    rows = list(selectors.journal_entries(date_from=D(2021, 1, 1), date_to=D(2021, 3, 31)))
    assert rows == [early_advice, late_advice, capital, training]
    only = selectors.journal_entries(date_from=D(2021, 1, 1), date_to=D(2021, 3, 31), area=Area.CAPITAL)
    assert list(only) == [capital]


def test_documents_selector_filters(office, proposal):
    plan = services.document_create(kind=DocumentKind.PLAN, title="Kế hoạch", drafted_on=D(2020, 12, 1), by=office)
    services.document_submit(document=plan, on=D(2021, 1, 5), by=office)
    q1 = {"date_from": D(2021, 1, 1), "date_to": D(2021, 3, 31)}
    assert set(selectors.documents(**q1)) == {proposal, plan}
    assert list(selectors.documents(**q1, kind=DocumentKind.PLAN)) == [plan]
    assert list(selectors.documents(**q1, status=DocumentStatus.DRAFT)) == [proposal]
    assert list(selectors.documents(date_from=D(2021, 4, 1), date_to=D(2021, 6, 30))) == []


def test_areas_have_the_reports_vietnamese_labels():
    from django.utils import translation

    with translation.override("vi"):
        labels = [str(label) for label in Area.labels]
    assert labels == [
        "Tham mưu",
        "Tuyên truyền, vận động phát triển HTX",
        "Hỗ trợ vốn",
        "Quản trị hệ thống thông tin",
        "Bồi dưỡng, tập huấn",
        "Chuỗi giá trị",
        "Thi đua, khen thưởng",
        "Khác",
    ]
