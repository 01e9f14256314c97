"""A form opened before someone else's save is refused, says what changed, and keeps what was typed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoptac.journal import services
from hoptac.journal.models import Area

from .conftest import PDF, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(office):
    return services.journal_entry_create(
        on=D(2021, 1, 20), area=Area.ADVISING, title="Hội nghị BCH", text="Tổ chức Hội nghị BCH.", by=office
    )


def form_data(response) -> dict:
    """What the browser would send back from the form as it was opened (single values only)."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value in (None, False):
            continue
        if isinstance(value, list):
            data[field.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.strftime("%d/%m/%Y")
        else:
            data[field.html_name] = value
    return data


def test_service_refuses_an_older_version(office, entry):
    services.journal_entry_update(entry=entry, title="Lần 1", by=office)
    with pytest.raises(services.StaleEdit):
        services.journal_entry_update(entry=entry, title="Lần 2", expected_version=1, by=office)
    entry.refresh_from_db()
    assert entry.title == "Lần 1" and entry.version == 2


def test_a_save_without_changes_keeps_the_version(office, entry):
    services.journal_entry_update(entry=entry, title=entry.title, by=office)
    entry.refresh_from_db()
    assert entry.version == 1


def test_entry_edit_over_someone_elses_save_is_refused_and_keeps_the_typed_values(client, office, trainer, entry):
    client.force_login(office)
    opened = form_data(client.get(reverse("journal:entry_edit", args=[entry.pk])))
    # Meanwhile a colleague changes the text.
    services.journal_entry_update(entry=entry, text="Nội dung do đồng nghiệp sửa.", by=trainer)

    mine = {**opened, "title": "Tiêu đề tôi vừa gõ"}
    response = client.post(reverse("journal:entry_edit", args=[entry.pk]), mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="stale-edit"' in html and "Người khác đã lưu" in html
    assert "Nội dung do đồng nghiệp sửa." in html  # what changed in the meantime
    kept = response.context["form"]
    # The user's change is kept; the field they did not touch shows the colleague's value.
    assert kept["title"].value() == "Tiêu đề tôi vừa gõ"
    assert kept["text"].value() == "Nội dung do đồng nghiệp sửa."
    entry.refresh_from_db()
    assert entry.title == "Hội nghị BCH" and entry.text == "Nội dung do đồng nghiệp sửa."

    # Saving the kept form again applies the user's change without undoing the colleague's.
    again = form_data(response)
    assert client.post(reverse("journal:entry_edit", args=[entry.pk]), again).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Tiêu đề tôi vừa gõ" and entry.text == "Nội dung do đồng nghiệp sửa."


def test_a_field_both_changed_keeps_the_users_value_and_shows_the_other(client, office, trainer, entry):
    client.force_login(office)
    opened = form_data(client.get(reverse("journal:entry_edit", args=[entry.pk])))
    services.journal_entry_update(
        entry=entry, title="Tiêu đề của đồng nghiệp", conference=True, attendance=40, by=trainer
    )
    response = client.post(reverse("journal:entry_edit", args=[entry.pk]), {**opened, "title": "Tiêu đề của tôi"})
    assert response.status_code == 409
    kept = response.context["form"]
    assert kept["title"].value() == "Tiêu đề của tôi"
    assert kept["conference"].value() is True and kept["attendance"].value() == "40"
    assert "Tiêu đề của đồng nghiệp" in response.content.decode()


def test_an_edit_opened_before_a_submission_is_refused(client, office, proposal):
    client.force_login(office)
    opened = form_data(client.get(reverse("journal:document_edit", args=[proposal.pk])))
    services.document_submit(document=proposal, on=D(2021, 2, 10), by=office)
    response = client.post(reverse("journal:document_edit", args=[proposal.pk]), {**opened, "partner": "UBND tỉnh"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Đã trình" in html and "10/02/2021" in html
    assert response.context["form"]["partner"].value() == "UBND tỉnh"
    proposal.refresh_from_db()
    assert proposal.partner == ""


def test_document_stale_edit_asks_to_choose_the_file_again(client, office, proposal, media):
    client.force_login(office)
    opened = form_data(client.get(reverse("journal:document_edit", args=[proposal.pk])))
    services.document_update(document=proposal, number="15/ĐA-LMHTX", by=office)
    upload = SimpleUploadedFile("de-an.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("journal:document_edit", args=[proposal.pk]), {**opened, "file": upload})
    assert response.status_code == 409
    assert "chọn lại" in response.content.decode()
    proposal.refresh_from_db()
    assert not proposal.file and proposal.number == "15/ĐA-LMHTX"


def test_a_form_without_its_version_is_refused(client, office, entry):
    client.force_login(office)
    data = {"on": "20/01/2021", "area": Area.ADVISING, "title": "Mới", "text": "Nội dung."}
    response = client.post(reverse("journal:entry_edit", args=[entry.pk]), data)
    assert response.status_code == 200 and "version" in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.title == "Hội nghị BCH"
