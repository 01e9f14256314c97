"""Proposal pages: record with a file, the file's download, the workflow's forms, filters and export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from hoptac.awards import services
from hoptac.awards.models import Decision, Proposal, ProposalStatus
from hoptac.core.models import Role, User

from .conftest import PASSWORD, PDF, D

pytestmark = pytest.mark.django_db


def proposal_data(**extra):
    return {
        "title": "Tờ trình đề nghị tặng Cờ thi đua năm 2020",
        "number": "05/TTr-LMHTX",
        "year": 2020,
        "issuer": "vca",
        "form": "flag",
        "drafted_on": "06/01/2021",
        **extra,
    }


def test_awards_officer_records_a_proposal_with_its_file(client, awards_staff, media):
    client.force_login(awards_staff)
    upload = SimpleUploadedFile("to-trinh.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("awards:proposal_create"), proposal_data(file=upload))
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("awards:proposal", args=[proposal.pk])
    assert proposal.status == ProposalStatus.DRAFT and proposal.file.name.endswith(".pdf")
    download = client.get(reverse("awards:proposal_file", args=[proposal.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("to-trinh.pdf", b"MZ\x90\x00 not a pdf", "PDF"),
        ("anh.png", b"\x89PNG\r\n\x1a\n....", "PDF, Word"),
        ("to-trinh.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "10 MB"),
    ],
)
def test_a_file_is_checked_by_its_content_and_size(client, awards_staff, media, name, content, message):
    client.force_login(awards_staff)
    response = client.post(reverse("awards:proposal_create"), proposal_data(file=SimpleUploadedFile(name, content)))
    assert response.status_code == 200 and message in str(response.context["form"].errors["file"])
    assert not Proposal.objects.exists()


def test_the_file_is_downloaded_by_the_alliance_only(client, media, proposal, awards_staff, staff, coop_user, officer):
    services.proposal_update(
        proposal=proposal, file=SimpleUploadedFile("to-trinh.pdf", PDF), by=awards_staff, title=proposal.title
    )
    url = reverse("awards:proposal_file", args=[proposal.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(staff)  # the registry's staff: the alliance
    assert client.get(url).status_code == 200
    client.force_login(coop_user)  # Tân Yên's account: sees the proposal naming it, not the file naming everyone
    assert client.get(reverse("awards:proposal", args=[proposal.pk])).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert client.get(url).status_code == 403
    other = User.objects.create_user("khac", password=PASSWORD, role=Role.COOPERATIVE)
    client.force_login(other)  # an account the proposal does not concern
    assert client.get(url).status_code == 404
    assert client.get(reverse("awards:proposal", args=[proposal.pk])).status_code == 404


def test_the_workflow_through_the_pages_ends_in_a_decision_with_the_nominees(client, awards_staff, proposal):
    client.force_login(awards_staff)
    page = client.get(reverse("awards:proposal", args=[proposal.pk]))
    assert page.context["submit_form"] and "approve_form" not in page.context
    assert client.post(reverse("awards:proposal_submit", args=[proposal.pk]), {"on": "05/01/2021"}).status_code == 400
    assert client.post(reverse("awards:proposal_submit", args=[proposal.pk]), {"on": "08/01/2021"}).status_code == 302
    assert client.post(reverse("awards:proposal_approve", args=[proposal.pk]), {"on": "28/01/2021"}).status_code == 302
    page = client.get(reverse("awards:proposal", args=[proposal.pk]))
    assert page.context["link_form"] and 'id="decision-from-proposal"' in page.content.decode()
    url = reverse("awards:decision_create") + f"?proposal={proposal.pk}"
    form = client.get(url).context["form"]
    assert form.initial["issuer"] == "province" and form.initial["form"] == "merit"
    response = client.post(
        url,
        {"number": "126/QĐ-UBND", "on": "28/01/2021", "issuer": "province", "form": "merit", "proposal": proposal.pk},
    )
    decision = Decision.objects.get()
    assert response["Location"] == reverse("awards:decision", args=[decision.pk])
    proposal.refresh_from_db()
    assert proposal.decision == decision and decision.recipients.count() == 1
    # Linked: the proposal cannot give a second decision.
    assert client.get(url).status_code == 404


def test_a_refusal_needs_its_reason_on_the_page(client, awards_staff, proposal):
    client.force_login(awards_staff)
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    url = reverse("awards:proposal_refuse", args=[proposal.pk])
    response = client.post(url, {"on": "20/01/2021", "reason": ""})
    assert response.status_code == 400 and response.context["refuse_form"].errors["reason"]
    client.post(url, {"on": "20/01/2021", "reason": "Chưa đủ tiêu chuẩn"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED


def test_an_approved_proposal_is_linked_to_a_decision_already_recorded(client, awards_staff, proposal, decision):
    client.force_login(awards_staff)
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    services.proposal_approve(proposal=proposal, on=D(2021, 1, 28))
    response = client.post(
        reverse("awards:proposal_link", args=[proposal.pk]), {"decision": decision.pk, "add_recipients": "on"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.decision == decision
    page = client.get(reverse("awards:decision", args=[decision.pk])).content.decode()
    assert proposal.title in page


def test_nominee_pages(client, awards_staff, proposal, org_hiep_hoa):
    client.force_login(awards_staff)
    url = reverse("awards:nominee_add", args=[proposal.pk])
    assert client.post(url, {"kind": "individual", "person_name": ""}).status_code == 400
    client.post(url, {"kind": "collective", "organization_text": org_hiep_hoa.code, "reason": "Xuất sắc"})
    nominee = proposal.nominees.get(organization=org_hiep_hoa)
    client.post(reverse("awards:nominee_withdraw", args=[nominee.pk]), {"reason": "Không đủ điều kiện"})
    nominee.refresh_from_db()
    assert nominee.archived_on is not None
    page = client.get(reverse("awards:proposal", args=[proposal.pk]))
    assert [n.pk for n in page.context["withdrawn"]] == [nominee.pk]


def test_list_filters_and_export(client, staff, proposal, awards_staff):
    other = services.proposal_create(
        title="Tờ trình Kỷ niệm chương", year=2021, issuer="vca", form="medal", drafted_on=D(2021, 3, 8)
    )
    client.force_login(staff)

    def listed(**filters):
        return [p.pk for p in client.get(reverse("awards:proposals"), filters).context["page_obj"].object_list]

    assert set(listed()) == {proposal.pk, other.pk}
    assert listed(year=2020) == [proposal.pk]
    assert listed(form="medal") == [other.pk]
    assert listed(status="submitted") == []
    ws = load_workbook(io.BytesIO(client.get(reverse("awards:proposals_export"), {"year": 2020}).content)).active
    assert ws.max_row == 4 and ws["B4"].value == proposal.title and ws["J4"].value == 1
