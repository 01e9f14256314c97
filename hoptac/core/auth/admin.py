"""What the Django admin gets from the sign-in work: resetting someone's second factor."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import twofactor


@admin.action(description=_("Reset two-factor sign-in (lost phone)"), permissions=["change"])
def reset_two_factor(modeladmin, request, queryset):
    """Remove the chosen accounts' authenticator apps and backup codes; each is audited."""
    if not request.user.is_admin:
        raise PermissionDenied
    done = sum(twofactor.twofactor_reset(user=user, by=request.user) for user in queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "Two-factor sign-in was reset for %(n)d account; it sets it up again at its next sign-in.",
            "Two-factor sign-in was reset for %(n)d accounts; they set it up again at their next sign-in.",
            done,
        )
        % {"n": done},
        messages.SUCCESS,
    )


def unregister_device_admins() -> None:
    """django-otp's own admin pages would show anyone's secret key and bypass the audit: not offered."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
