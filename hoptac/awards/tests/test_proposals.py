"""Award proposals: draft → submitted → approved or refused, nominees, and the decision that granted them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hoptac.awards import selectors, services
from hoptac.awards.models import AwardForm, Issuer, ProposalStatus, RecipientKind
from hoptac.core.audit import entries_for

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_proposal_goes_from_draft_to_approved_with_audit(proposal, awards_staff):
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8), by=awards_staff)
    services.proposal_approve(proposal=proposal, on=D(2021, 1, 28), by=awards_staff)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert (proposal.submitted_on, proposal.decided_on) == (D(2021, 1, 8), D(2021, 1, 28))
    actions = [e.action for e in entries_for(proposal)]
    assert actions == [
        "awards.proposal.approved",
        "awards.proposal.submitted",
        "awards.proposal.nominee_added",
        "awards.proposal.created",
    ]


def test_a_proposal_without_nominees_cannot_be_submitted(awards_staff):
    empty = services.proposal_create(
        title="Tờ trình", year=2020, issuer=Issuer.VCA, form=AwardForm.FLAG, drafted_on=D(2021, 1, 6)
    )
    with pytest.raises(ValidationError):
        services.proposal_submit(proposal=empty, on=D(2021, 1, 8))
    empty.refresh_from_db()
    assert empty.status == ProposalStatus.DRAFT


def test_dates_follow_each_other_and_are_not_in_the_future(proposal):
    with pytest.raises(ValidationError):
        services.proposal_submit(proposal=proposal, on=D(2021, 1, 5))  # before it was drafted
    with pytest.raises(ValidationError):
        services.proposal_submit(proposal=proposal, on=timezone.localdate() + datetime.timedelta(days=1))
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    with pytest.raises(ValidationError):
        services.proposal_approve(proposal=proposal, on=D(2021, 1, 7))


def test_only_a_submitted_proposal_is_decided_and_a_refusal_needs_a_reason(proposal):
    with pytest.raises(ValidationError):
        services.proposal_approve(proposal=proposal, on=D(2021, 1, 28))
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    with pytest.raises(ValidationError) as info:
        services.proposal_refuse(proposal=proposal, on=D(2021, 1, 28), reason=" ")
    assert "reason" in info.value.error_dict
    services.proposal_refuse(proposal=proposal, on=D(2021, 1, 28), reason="Chưa đủ tiêu chuẩn")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED and proposal.refusal_reason == "Chưa đủ tiêu chuẩn"
    with pytest.raises(ValidationError):
        services.proposal_update(proposal=proposal, title="Sửa sau khi đã có kết quả")


def test_nominees_change_only_while_draft_and_are_withdrawn_not_deleted(proposal, org_hiep_hoa):
    person = services.nominee_add(
        proposal=proposal, kind=RecipientKind.INDIVIDUAL, person_name="Lê Văn Hải", position="Kế toán"
    )
    with pytest.raises(ValidationError):
        services.nominee_add(proposal=proposal, kind=RecipientKind.INDIVIDUAL, person_name="lê văn  hải")
    services.nominee_withdraw(nominee=person, reason="Chưa đủ thời gian công tác")
    assert list(selectors.nominees_of(proposal, archived=True)) == [person]
    services.nominee_restore(nominee=person)
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    with pytest.raises(ValidationError):
        services.nominee_add(proposal=proposal, kind=RecipientKind.COLLECTIVE, organization=org_hiep_hoa)
    with pytest.raises(ValidationError):
        services.nominee_withdraw(nominee=person, reason="x")
    assert proposal.nominees.count() == 2


def test_a_decision_recorded_from_an_approved_proposal_takes_its_nominees(proposal, org_tan_yen, awards_staff):
    services.nominee_add(
        proposal=proposal,
        kind=RecipientKind.INDIVIDUAL,
        person_name="Trần Thị Lan",
        position="Giám đốc HTX",
        organization=org_tan_yen,
    )
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    with pytest.raises(ValidationError):  # not approved yet
        services.award_decision_create(
            number="126/QĐ-UBND", on=D(2021, 1, 28), issuer="province", form="merit", proposal=proposal
        )
    services.proposal_approve(proposal=proposal, on=D(2021, 1, 28))
    decision = services.award_decision_create(
        number="126/QĐ-UBND", on=D(2021, 1, 28), issuer="province", form="merit", proposal=proposal, by=awards_staff
    )
    proposal.refresh_from_db()
    assert proposal.decision == decision
    assert sorted(str(r) for r in decision.recipients.all()) == sorted([org_tan_yen.name, "Trần Thị Lan"])
    assert decision.recipients.get(kind="individual").position == "Giám đốc HTX"


def test_linking_an_existing_decision_skips_recipients_it_already_has(proposal, decision):
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    services.proposal_approve(proposal=proposal, on=D(2021, 1, 28))
    # The decision already awards Tân Yên, the proposal's only nominee.
    assert services.proposal_link_decision(proposal=proposal, decision=decision, add_recipients=True) == 0
    assert decision.recipients.count() == 3
    with pytest.raises(ValidationError):
        services.proposal_link_decision(proposal=proposal, decision=decision)


def test_a_decision_before_the_submission_cannot_be_the_proposals(proposal, decision):
    services.proposal_submit(proposal=proposal, on=D(2021, 1, 8))
    services.proposal_approve(proposal=proposal, on=D(2021, 1, 28))
    earlier = services.award_decision_create(number="1/QĐ", on=D(2021, 1, 2), issuer="province", form="merit")
    with pytest.raises(ValidationError) as info:
        services.proposal_link_decision(proposal=proposal, decision=earlier)
    assert "decision" in info.value.error_dict


def test_cooperative_sees_only_proposals_nominating_it(proposal, coop_user, org_hiep_hoa, awards_staff):
    other = services.proposal_create(
        title="Tờ trình khác", year=2020, issuer=Issuer.VCA, form=AwardForm.FLAG, drafted_on=D(2021, 1, 6)
    )
    services.nominee_add(proposal=other, kind=RecipientKind.COLLECTIVE, organization=org_hiep_hoa)
    assert list(selectors.proposals_for(coop_user)) == [proposal]
    assert set(selectors.proposals_for(awards_staff)) == {proposal, other}
