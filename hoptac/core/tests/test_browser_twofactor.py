"""Two-factor sign-in in Debian's Chromium: an administrator must enrol at the first sign-in, reading
the key off the page as a phone would, then gives a code at every sign-in."""

import base64
import time

import pytest
from django_otp.oath import hotp

from conftest import PASSWORD, login
from hoptac.core.models import Role, User

pytestmark = pytest.mark.browser


def phone_code(key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page (RFC 6238, 30-second steps)."""
    secret = base64.b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8))
    return f"{hotp(secret, int(time.time() // 30) + steps_ahead):06d}"


def test_an_administrator_enrols_then_signs_in_with_a_code(page, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = True
    # After a wrong code django-otp makes the next one wait a second: a browser types faster than people.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    User.objects.create_user("quantri", password=PASSWORD, role=Role.ADMIN, is_staff=True, is_superuser=True)

    # The first sign-in leads to the enrolment page, and nothing else opens.
    login(page, "quantri")
    page.wait_for_url("**/accounts/two-factor/enrol/")
    assert page.locator("#qr svg").is_visible()
    page.goto(page.base_url + "/registry/")
    page.wait_for_url("**/accounts/two-factor/enrol/")
    key = page.inner_text("#manual-key")
    page.fill("#id_code", phone_code(key))
    page.click("#enrol-submit")
    page.wait_for_url("**/accounts/two-factor/backup-codes/")
    codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.goto(page.base_url + "/registry/")
    page.wait_for_url("**/registry/")

    # Log out from the account menu.
    page.click(".user-menu summary")
    page.click(".user-menu button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".user-menu").count() == 0

    # The password alone does not sign in: the code page asks for the app's code.
    login(page, "quantri")
    page.wait_for_url("**/accounts/login/code/")
    page.fill("#id_code", "000000" if phone_code(key, 1) != "000000" else "111111")
    page.click("#code-submit")
    assert page.locator(".errorlist").is_visible()
    page.fill("#id_code", phone_code(key, 1))  # the app's next code: the one used to enrol is spent
    page.click("#code-submit")
    page.wait_for_url("**/registry/")
    assert page.locator(".user-menu").count() == 1
    assert page.locator(".main-nav a[href='/admin/']").count() == 1
