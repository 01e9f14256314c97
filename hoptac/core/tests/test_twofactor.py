"""Two-factor sign-in: optional for everyone, required for administrators, audited."""

import base64
import re
import time

import pytest
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from hoptac.core.auth import twofactor
from hoptac.core.models import AuditEntry

pytestmark = pytest.mark.django_db

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle\s*=|<style|<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture(autouse=True)
def no_wait_after_a_wrong_code(settings):
    # django-otp makes a device wait 1 s after a wrong code, then 2, 4, 8 s…: tests type faster
    # than people. test_a_wrong_code_makes_the_next_one_wait keeps the wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = True


def code_for(device: TOTPDevice) -> str:
    """The next code the phone shows that was not used yet (a code is accepted once)."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    return f"{hotp(device.bin_key, max(now, device.last_t + 1), device.digits):0{device.digits}d}"


def code_for_key(key: str) -> str:
    """What the phone shows now for a secret being set up (hex, as in the session)."""
    return f"{hotp(bytes.fromhex(key), int(time.time() // 30)):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    key = twofactor.new_key()
    codes = twofactor.twofactor_enable(user=user, key=key, code=code_for_key(key))
    assert codes is not None
    return twofactor.confirmed_device(user), codes


def sign_in(client, username: str, code: str | None = None, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    if code is not None:
        assert response["Location"] == reverse("login_code")
        response = client.post(reverse("login_code"), {"code": code})
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(user.pk)).order_by("id").values_list("action", flat=True))


# --------------------------------------------------------------- optional for everyone


def test_staff_without_two_factor_signs_in_with_the_password_alone(client, staff, required):
    response = sign_in(client, "staff")
    assert response["Location"] == reverse("registry:list")
    assert client.get(reverse("registry:list")).status_code == 200


def test_staff_turns_two_factor_on_from_the_account_menu(client, staff):
    client.force_login(staff)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("twofactor:overview")}"' in home

    page = client.get(reverse("twofactor:enrol")).content.decode()
    assert "<svg" in page and "otpauth" not in page  # the QR code is drawn here, the address not shown
    assert not INLINE.search(page)
    shown = re.search(r'<code id="manual-key">([A-Z2-7 ]+)</code>', page).group(1)
    key = client.session["hoptac_2fa_enrol_key"]
    assert base64.b32decode(shown.replace(" ", "")) == bytes.fromhex(key)
    assert client.get(reverse("twofactor:enrol")).context["key"] == shown  # the same on every visit
    assert not TOTPDevice.objects.exists()  # nothing written before a code confirms the app

    right = code_for_key(key)
    wrong = client.post(reverse("twofactor:enrol"), {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not twofactor.has_two_factor(staff)

    response = client.post(reverse("twofactor:enrol"), {"code": right})
    assert response["Location"] == reverse("twofactor:backup_codes")
    assert twofactor.has_two_factor(staff)
    shown = client.get(reverse("twofactor:backup_codes"))
    codes = shown.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert client.get(reverse("twofactor:backup_codes"))["Location"] == reverse("twofactor:overview")  # shown once
    assert "core.twofactor.enabled" in actions(staff)
    # This session gave the first code: it goes on without signing in again.
    assert client.get(reverse("registry:list")).status_code == 200


def test_the_login_asks_for_the_code_after_the_password(client, staff):
    device, _codes = enrol(staff)
    response = sign_in(client, "staff", next_url=reverse("returns:index"))
    assert response["Location"] == reverse("login_code")
    assert not signed_in(client)
    assert client.get(reverse("registry:list")).status_code == 302  # nothing opens before the code

    wrong = client.post(reverse("login_code"), {"code": "12345"})
    assert wrong.status_code == 200 and "code" in wrong.context["form"].errors
    assert not signed_in(client)

    response = client.post(reverse("login_code"), {"code": code_for(device)})
    assert response["Location"] == reverse("returns:index")
    assert signed_in(client) and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("registry:list")).status_code == 200
    entry = AuditEntry.objects.filter(action="core.login.succeeded", object_id=str(staff.pk)).latest("id")
    assert entry.changes["second_factor"] == "app"
    assert "core.login.code_failed" in actions(staff)


def test_a_code_is_accepted_once(client, staff):
    device, _codes = enrol(staff)
    code = code_for(device)
    assert sign_in(client, "staff", code)["Location"] == reverse("registry:list")
    client.post(reverse("logout"))
    response = sign_in(client, "staff", code)
    assert response.status_code == 200 and not signed_in(client)


def test_a_backup_code_works_once(client, staff):
    _device, codes = enrol(staff)
    response = sign_in(client, "staff", codes[0].upper())
    assert response["Location"] == reverse("registry:list") and signed_in(client)
    login = AuditEntry.objects.filter(action="core.login.succeeded").latest("id")
    assert login.changes["second_factor"] == "backup_code"
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    client.post(reverse("logout"))

    response = sign_in(client, "staff", codes[0])
    assert response.status_code == 200 and not signed_in(client)


def test_wrong_codes_count_towards_the_lockout(client, staff, settings):
    enrol(staff)
    sign_in(client, "staff")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login_code"), {"code": "00000000"})
    assert response.status_code == 429
    assert "core/locked_out.html" in [t.name for t in response.templates]
    # Locked: even the right password is refused now.
    response = sign_in(client, "staff")
    assert response.status_code == 429 and not signed_in(client)
    assert actions(staff).count("core.login.code_failed") == settings.AXES_FAILURE_LIMIT
    assert "core.login.locked_out" in actions(staff)


def test_a_wrong_code_makes_the_next_one_wait(client, staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _codes = enrol(staff)
    sign_in(client, "staff")
    right = code_for(device)
    client.post(reverse("login_code"), {"code": "000000" if right != "000000" else "111111"})
    response = client.post(reverse("login_code"), {"code": right})
    assert response.status_code == 200 and not signed_in(client)
    assert "hãy đợi vài giây" in str(response.context["form"].errors["code"])


def test_the_code_step_expires(client, staff):
    device, _codes = enrol(staff)
    sign_in(client, "staff")
    session = client.session
    session["hoptac_2fa_pending"]["at"] -= 301
    session.save()
    response = client.post(reverse("login_code"), {"code": code_for(device)})
    assert response["Location"] == reverse("login") and not signed_in(client)


def test_a_session_that_skipped_the_code_is_ended(client, staff):
    # force_login stands for any way in that does not ask for the code.
    enrol(staff)
    client.force_login(staff)
    response = client.get(reverse("registry:list"))
    assert response["Location"].startswith(reverse("login"))
    assert not signed_in(client)


def test_turning_off_needs_a_current_code(client, staff):
    device, _codes = enrol(staff)
    sign_in(client, "staff", code_for(device))
    client.post(reverse("twofactor:disable"), {"code": "00000000"})
    assert twofactor.has_two_factor(staff)
    client.post(reverse("twofactor:disable"), {"code": code_for(device)})
    assert not twofactor.has_two_factor(staff)
    assert "core.twofactor.disabled" in actions(staff)
    # Still signed in, now by password alone.
    assert client.get(reverse("registry:list")).status_code == 200


def test_new_backup_codes_replace_the_old_ones(client, staff):
    device, old = enrol(staff)
    sign_in(client, "staff", code_for(device))
    response = client.post(reverse("twofactor:renew_backup_codes"), {"code": old[1]})
    assert response["Location"] == reverse("twofactor:backup_codes")
    new = client.get(reverse("twofactor:backup_codes")).context["codes"]
    assert twofactor.verify(staff, old[2]) is None
    assert twofactor.verify(staff, new[0]) is not None


# --------------------------------------------------------------- required for administrators


def test_an_administrator_without_two_factor_can_only_enrol(client, admin, required):
    admin.is_staff = admin.is_superuser = True  # as the demo's: the Django admin and the CMS open to it
    admin.save()
    response = sign_in(client, "admin")
    assert signed_in(client)
    for url in [reverse("registry:list"), "/admin/", "/cms/", reverse("api:tokens"), "/api/v1/me/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("twofactor:enrol"), url
    assert client.get(reverse("twofactor:enrol")).status_code == 200
    assert client.get(reverse("twofactor:overview")).status_code == 200
    htmx = client.get(reverse("registry:list"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("twofactor:enrol")

    client.post(reverse("twofactor:enrol"), {"code": code_for_key(client.session["hoptac_2fa_enrol_key"])})
    assert client.get(reverse("registry:list")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_an_administrator_with_two_factor_gives_the_code(client, admin, required):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    device, _codes = enrol(admin)
    sign_in(client, "admin", code_for(device))
    assert client.get("/admin/").status_code == 200


def test_a_superuser_is_an_administrator_for_this_rule(client, staff, required):
    staff.is_superuser = staff.is_staff = True
    staff.save()
    sign_in(client, "staff")
    assert client.get(reverse("registry:list"))["Location"] == reverse("twofactor:enrol")


def test_an_administrator_who_turns_it_off_enrols_again(client, admin, required):
    device, _codes = enrol(admin)
    sign_in(client, "admin", code_for(device))
    client.post(reverse("twofactor:disable"), {"code": code_for(device)})
    assert client.get(reverse("registry:list"))["Location"] == reverse("twofactor:enrol")


def test_logout_stays_open_to_an_administrator_who_must_enrol(client, admin, required):
    sign_in(client, "admin")
    client.post(reverse("logout"))
    assert not signed_in(client)


def test_the_requirement_can_be_switched_off(client, admin, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = False
    sign_in(client, "admin")
    assert client.get(reverse("registry:list")).status_code == 200


@pytest.mark.parametrize(
    ("login_page", "home"), [("/admin/login/", "/admin/"), ("/cms/login/", "/cms/"), ("/portal/_util/login/", "/")]
)
def test_the_admin_and_cms_login_pages_lead_to_the_product_login(client, admin, required, login_page, home):
    response = client.get(login_page)
    assert response["Location"] == f"{reverse('login')}?next={home.replace('/', '%2F')}"
    # Their forms cannot be used to skip the code.
    response = client.post(login_page, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302 and not signed_in(client)
    # An outside address in next is not followed.
    response = client.get(login_page, {"next": "https://example.com/"})
    assert "example.com" not in response["Location"]


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(client, admin, staff, required):
    enrol(staff)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    device, _codes = enrol(admin)
    sign_in(client, "admin", code_for(device))
    response = client.post(
        reverse("admin:core_user_changelist"), {"action": "reset_two_factor", "_selected_action": [staff.pk]}
    )
    assert response.status_code == 302
    assert not twofactor.has_two_factor(staff)
    entry = AuditEntry.objects.get(action="core.twofactor.reset")
    assert (entry.object_id, entry.user) == (str(staff.pk), admin)
    # The person signs in with the password again (and, as staff, may enrol again).
    assert sign_in(client, "staff")["Location"] == reverse("registry:list")


def test_django_otps_own_admin_pages_are_not_offered(client):
    # They show anyone's secret key and change devices without the audit.
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_totp_totpdevice_changelist")
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_static_staticdevice_changelist")


def test_two_factor_pages_have_no_inline_script_or_style(client, staff):
    device, _codes = enrol(staff)
    sign_in(client, "staff")
    assert not INLINE.search(client.get(reverse("login_code")).content.decode())
    client.post(reverse("login_code"), {"code": code_for(device)})
    for name in ["twofactor:overview"]:
        assert not INLINE.search(client.get(reverse(name)).content.decode()), name
