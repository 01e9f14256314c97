"""Who may write: administrators and the awards department; a cooperative its own self-assessment,
the bloc leader's account the bloc's scores. Every other write answers 403, whatever the method."""

import pytest
from django.urls import reverse

from hoptac.awards import services
from hoptac.awards.models import Decision, Nominee, Proposal, Recipient, Registration
from hoptac.core.models import Role, User

from .conftest import PASSWORD, D, registration_of

pytestmark = pytest.mark.django_db

# URL name -> the fixture object its pk comes from (None: no argument).
WRITES = {
    "decision_create": None,
    "decision_edit": "decision",
    "recipient_add": "decision",
    "recipient_import": "decision",
    "recipient_template": None,
    "recipient_edit": "recipient",
    "recipient_archive": "recipient",
    "recipient_restore": "recipient",
    "proposal_create": None,
    "proposal_edit": "proposal",
    "proposal_submit": "proposal",
    "proposal_approve": "proposal",
    "proposal_refuse": "proposal",
    "proposal_link": "proposal",
    "nominee_add": "proposal",
    "nominee_edit": "nominee",
    "nominee_withdraw": "nominee",
    "nominee_restore": "nominee",
    "movement_create": None,
    "movement_edit": "movement",
    "bloc_create": None,
    "bloc_edit": "bloc",
    "bloc_member_add": "bloc",
    "bloc_scores": "bloc",
    "registration_create": None,
    "registration_edit": "registration",
    "self_assessment": "registration",
}


@pytest.fixture
def objects(decision, proposal, movement, bloc, org_tan_yen):
    return {
        "decision": decision,
        "recipient": decision.recipients.first(),
        "proposal": proposal,
        "nominee": proposal.nominees.first(),
        "movement": movement,
        "bloc": bloc,
        "registration": registration_of(org_tan_yen, movement),
    }


def url_of(name, objects):
    key = WRITES[name]
    return reverse(f"awards:{name}", args=[objects[key].pk] if key else [])


def snapshot():
    models = (Decision, Recipient, Proposal, Nominee, Registration)
    return [list(m.objects.order_by("pk").values()) for m in models]


@pytest.mark.parametrize("name", WRITES)
def test_a_training_officer_gets_403_on_every_write(client, training_staff, objects, name):
    client.force_login(training_staff)
    before = snapshot()
    url = url_of(name, objects)
    # A POST-only URL refuses GET with 405 (before any check); a GET-only one (the template) refuses POST.
    assert client.get(url).status_code in (403, 405)
    data = {"reason": "x", "on": "01/02/2021", "number": "1/QĐ", "kind": "individual", "person_name": "Ai"}
    assert client.post(url, data).status_code in (403, 405)
    assert 403 in (client.get(url).status_code, client.post(url, data).status_code)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["decision_edit", "recipient_edit", "proposal_edit", "bloc_edit", "self_assessment"])
def test_an_area_officer_cannot_reach_what_is_outside_their_area(client, officer, objects, org_hiep_hoa, name):
    # The officer's area is Tân Yên; these objects are Hiệp Hòa's only.
    decision = services.award_decision_create(number="9/QĐ", on=D(2021, 1, 2), issuer="vca", form="flag")
    recipient = services.award_recipient_add(decision=decision, kind="collective", organization=org_hiep_hoa)
    proposal = services.proposal_create(title="T", year=2020, issuer="vca", form="flag", drafted_on=D(2021, 1, 1))
    services.nominee_add(proposal=proposal, kind="collective", organization=org_hiep_hoa)
    bloc = services.bloc_create(name="Khối Hiệp Hòa", year=2020, members=[org_hiep_hoa])
    others = {
        "decision": decision,
        "recipient": recipient,
        "proposal": proposal,
        "bloc": bloc,
        "registration": registration_of(org_hiep_hoa, objects["movement"]),
    }
    client.force_login(officer)
    assert client.get(url_of(name, others)).status_code == 404


def test_a_cooperative_self_assesses_its_own_registration_only(client, coop_user, objects, movement, org_hiep_hoa):
    client.force_login(coop_user)
    own = objects["registration"]
    url = reverse("awards:self_assessment", args=[own.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"self_score": "92,5", "self_assessment": "Doanh thu tăng 7%"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert str(own.self_score) == "92.50"
    # Another member's registration is not even visible to it.
    other = registration_of(org_hiep_hoa, movement)
    response = client.post(
        reverse("awards:self_assessment", args=[other.pk]), {"self_score": "99", "self_assessment": "x"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.self_score is None
    # Nor may it edit its registration, or score its bloc (the bloc is led by Hiệp Hòa).
    assert client.get(reverse("awards:registration_edit", args=[own.pk])).status_code == 403
    assert client.get(reverse("awards:bloc_scores", args=[objects["bloc"].pk])).status_code == 403


def test_a_cooperative_cannot_change_its_self_assessment_once_scored(client, coop_user, awards_staff, objects):
    registration = objects["registration"]
    services.registration_self_assess(registration=registration, self_score=90, self_assessment="Tốt")
    services.bloc_score(bloc=objects["bloc"], scores={registration.pk: 88})
    client.force_login(coop_user)
    url = reverse("awards:self_assessment", args=[registration.pk])
    assert client.post(url, {"self_score": "100", "self_assessment": "Rất tốt"}).status_code == 403
    client.force_login(awards_staff)
    assert client.post(url, {"self_score": "91", "self_assessment": "Tốt"}).status_code == 302


def test_the_bloc_leaders_account_scores_the_bloc(client, objects, movement, org_tan_yen, org_hiep_hoa):
    leader = User.objects.create_user("hiephoa", password=PASSWORD, role=Role.COOPERATIVE, organization=org_hiep_hoa)
    tan_yen = objects["registration"]
    services.registration_self_assess(registration=tan_yen, self_score=95, self_assessment="Tốt")
    client.force_login(leader)
    url = reverse("awards:bloc_scores", args=[objects["bloc"].pk])
    form = client.get(url).context["form"]
    hiep_hoa = registration_of(org_hiep_hoa, movement)
    assert set(form.fields) == {f"score_{tan_yen.pk}", f"score_{hiep_hoa.pk}"}
    # Hiệp Hòa has not assessed itself: its score is refused, nothing is saved.
    response = client.post(url, {f"score_{tan_yen.pk}": "90", f"score_{hiep_hoa.pk}": "80"})
    assert response.status_code == 400 and response.context["form"].errors[f"score_{hiep_hoa.pk}"]
    tan_yen.refresh_from_db()
    assert tan_yen.score is None
    response = client.post(url, {f"score_{tan_yen.pk}": "90,5", f"score_{hiep_hoa.pk}": ""})
    assert response.status_code == 302
    tan_yen.refresh_from_db()
    assert str(tan_yen.score) == "90.50"
    # The leader sees the members it scores, but writes nothing else.
    assert client.get(reverse("awards:registration", args=[tan_yen.pk])).status_code == 200
    assert client.get(reverse("awards:bloc_edit", args=[objects["bloc"].pk])).status_code == 403


@pytest.mark.parametrize("score", ["101", "-5", "abc"])
def test_a_bad_score_is_refused_on_the_form(client, awards_staff, objects, score):
    registration = objects["registration"]
    services.registration_self_assess(registration=registration, self_score=95, self_assessment="Tốt")
    client.force_login(awards_staff)
    response = client.post(
        reverse("awards:bloc_scores", args=[objects["bloc"].pk]), {f"score_{registration.pk}": score}
    )
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.score is None
