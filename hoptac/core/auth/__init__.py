"""Signing in and staying signed in: two-factor codes, session timeouts, the audit of sign-ins.

docs/security.md says which threat each piece answers and which test shows it works.
"""


def ready() -> None:
    """Connect the audit's signal receivers and hide django-otp's admin pages (core app's ready())."""
    from .admin import unregister_device_admins
    from .signals import connect

    connect()
    unregister_device_admins()
