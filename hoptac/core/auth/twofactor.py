"""Two-factor sign-in with a TOTP app (docs/decisions/0011-two-factor.md).

A person has at most one confirmed TOTP device (the app on their phone) and one set of
single-use backup codes, kept by django-otp. Administrators must have one when
``settings.TWO_FACTOR_REQUIRED_FOR_ADMINS`` is on; everyone else may. Every change is audited.
"""

import base64
import time
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from hoptac.core.audit import log_action

BACKUP_CODE_COUNT = 10
DEVICE_NAME = "app"
BACKUP_NAME = "backup"


def must_enrol(user) -> bool:
    """Whether this account may do nothing before it has a second factor."""
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and user.is_authenticated and user.is_admin)


def confirmed_device(user) -> TOTPDevice | None:
    """The account's TOTP app, once its first code confirmed it."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_key() -> str:
    """A new secret for an app being set up (hex, as django-otp keeps it); kept in the session until confirmed."""
    return default_key()


def device_for_key(user, key: str) -> TOTPDevice:
    """An unsaved device with this secret: what the QR code and the typed key describe."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed by hand: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, drawn here: nothing leaves the server."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def twofactor_enable(*, user, key: str, code: str) -> list[str] | None:
    """Turn two-factor on with the app's first code for this secret; returns new backup codes.

    None (and nothing written) when the code is wrong.
    """
    code = _digits(code)
    if not code.isdigit():
        return None
    totp = TOTP(unhexlify(key), digits=6)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    _remove_devices(user)
    # The code just typed is spent: the next sign-in needs a later one.
    TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=totp.t(), drift=totp.drift)
    codes = _new_backup_codes(user)
    log_action("core.twofactor.enabled", instance=user, user=user)
    return codes


def verify(user, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code (the app's, or an unused backup code, which is then spent)."""
    code = (code or "").strip().replace(" ", "").replace("-", "").lower()
    if not code:
        return None
    with transaction.atomic():
        # The app shows six digits; a backup code is eight letters and digits.
        if len(code) == 6 and code.isdigit():
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def must_wait(user) -> bool:
    """Whether wrong codes in a row make the app's codes wait a little (1, 2, 4, 8… seconds)."""
    device = confirmed_device(user)
    return device is not None and not device.verify_is_allowed()[0]


@transaction.atomic
def twofactor_disable(*, user, code: str) -> bool:
    """Turn two-factor off, proven by a current code; False (nothing changed) when the code is wrong."""
    if verify(user, code) is None:
        return False
    _remove_devices(user)
    log_action("core.twofactor.disabled", instance=user, user=user)
    return True


@transaction.atomic
def backup_codes_renew(*, user, code: str) -> list[str] | None:
    """A new set of backup codes (the old ones stop working), proven by a current code."""
    if verify(user, code) is None:
        return None
    codes = _new_backup_codes(user)
    log_action("core.twofactor.backup_codes_renewed", instance=user, user=user)
    return codes


@transaction.atomic
def twofactor_reset(*, user, by) -> bool:
    """An administrator removes someone's second factor (a lost phone); they enrol again.

    False when the account had none.
    """
    had = TOTPDevice.objects.filter(user=user).exists() or StaticDevice.objects.filter(user=user).exists()
    if not had:
        return False
    _remove_devices(user)
    log_action("core.twofactor.reset", instance=user, user=by)
    return True


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _digits(code: str) -> str:
    return (code or "").strip().replace(" ", "")
