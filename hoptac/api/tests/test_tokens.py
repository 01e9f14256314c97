"""API tokens: created and revoked through services (audited), shown once, hashed, refused once unusable."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hoptac.api import services
from hoptac.api.models import ApiToken, key_hash
from hoptac.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db


def me(api, key):
    return api.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_acts_as_its_owner_and_only_its_hash_is_stored(api, officer):
    token, key = services.token_create(user=officer, name="Bảng tính huyện", by=officer)

    assert token.key_hash == key_hash(key) and key not in token.key_hash and token.prefix == key[:8]
    response = me(api, key)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "officer" and body["role"] == "area_officer" and body["token"] == "Bảng tính huyện"
    assert body["areas"] == [{"code": officer.areas.get().code, "name": "Huyện Tân Yên"}]
    assert AuditEntry.objects.filter(action="api.token.created", object_id=str(token.pk)).exists()


def test_bearer_is_accepted_as_well_as_token(api, staff):
    _token, key = services.token_create(user=staff, name="x", by=staff)
    assert api.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_revoked_token_stops_working_at_once_and_stays_listed(api, staff):
    token, key = services.token_create(user=staff, name="Phần mềm kế toán", by=staff)
    services.token_revoke(token=token, by=staff, reason="Máy bị mất")

    response = me(api, key)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Token")
    token.refresh_from_db()
    assert token.revoked_reason == "Máy bị mất" and ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditEntry.objects.filter(action="api.token.revoked", object_id=str(token.pk)).exists()
    with pytest.raises(ValidationError):
        services.token_revoke(token=token, by=staff)


def test_an_expired_token_or_a_disabled_account_is_refused(api, staff, officer):
    token, key = services.token_create(user=staff, name="x", by=staff)
    ApiToken.objects.filter(pk=token.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert me(api, key).status_code == 401

    _token, officer_key = services.token_create(user=officer, name="y", by=officer)
    officer.is_active = False
    officer.save()
    assert me(api, officer_key).status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token khóa-sai", "Bearer " + "x" * 43])
def test_a_malformed_or_unknown_token_is_refused(api, staff, header):
    response = api.get(reverse("api:me"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_no_token_on_a_private_endpoint_is_401_with_the_error_body(api, db):
    response = api.get(reverse("api:me"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "Authorization" in response.json()["error"]["message"]


def test_token_rules(staff):
    with pytest.raises(ValidationError) as blank:
        services.token_create(user=staff, name="  ", by=staff)
    assert "name" in blank.value.error_dict
    with pytest.raises(ValidationError) as past:
        services.token_create(user=staff, name="x", expires_on=datetime.date(2020, 1, 1), by=staff)
    assert "expires_on" in past.value.error_dict
    for i in range(services.MAX_TOKENS_PER_USER):
        services.token_create(user=staff, name=f"t{i}", by=staff)
    with pytest.raises(ValidationError):
        services.token_create(user=staff, name="one too many", by=staff)
    assert ApiToken.objects.filter(user=staff).count() == services.MAX_TOKENS_PER_USER


def test_last_use_is_noted(api, staff):
    token, key = services.token_create(user=staff, name="x", by=staff)
    me(api, key)
    token.refresh_from_db()
    assert token.last_used_on is not None


# ---------------------------------------------------------------- the page


def test_the_token_page_shows_a_new_key_once_and_never_caches_it(client, staff):
    client.force_login(staff)

    response = client.post(reverse("api:tokens"), {"name": "Phần mềm kế toán", "expires_on": "31/12/2099"})

    assert response.status_code == 200
    key = response.context["new_key"]
    html = response.content.decode()
    assert key in html and "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=staff)
    assert token.expires_on == datetime.date(2099, 12, 31)
    assert key not in client.get(reverse("api:tokens")).content.decode()


def test_the_token_page_explains_a_refused_form(client, staff):
    client.force_login(staff)
    response = client.post(reverse("api:tokens"), {"name": "", "expires_on": "01/01/2020"})
    assert response.status_code == 200
    assert response.context["new_key"] is None and not ApiToken.objects.exists()
    assert set(response.context["form"].errors) == {"name", "expires_on"}


def test_people_revoke_their_own_tokens_and_administrators_anyones(client, staff, officer, admin):
    token, _key = services.token_create(user=officer, name="x", by=officer)

    client.force_login(staff)
    assert client.post(reverse("api:token_revoke", args=[token.pk]), {"reason": ""}).status_code == 404
    assert "x (" not in client.get(reverse("api:tokens")).content.decode()

    client.force_login(admin)
    response = client.post(reverse("api:token_revoke", args=[token.pk]), {"reason": "Nghỉ việc"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_on and token.revoked_reason == "Nghỉ việc"


def test_the_token_page_needs_a_login(client, db):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_admin_lists_tokens_without_their_hash(client, staff):
    token, key = services.token_create(user=staff, name="Phần mềm kế toán", by=staff)
    root = User.objects.create_superuser("root", password="mat-khau-thu-nghiem-1")
    client.force_login(root)

    listing = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()

    assert "Phần mềm kế toán" in listing
    assert token.key_hash not in page and key not in page and token.prefix in page
