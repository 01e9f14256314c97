"""The audit of sign-ins and of who may do what, written from Django's and django-axes' signals.

Signals see every path: the product's login, the Django admin, the CMS's user editing,
code and management commands. Passwords and codes are never recorded; the username that
was tried is. Who made a change comes from the request being served (set by
``AccountGuardMiddleware``); outside a request (commands, migrations) it is left empty.
"""

import contextvars

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_save, pre_save
from django_otp.plugins.otp_static.models import StaticDevice

from hoptac.core.audit import log_action
from hoptac.core.models import AuditEntry, User

from . import sessions

acting_request: contextvars.ContextVar = contextvars.ContextVar("acting_request", default=None)

# Session key: this sign-in's account had no second factor when it signed in (saves a query per page).
NO_TWO_FACTOR = "hoptac_no_2fa"
# Request attribute: why the session is being ended (sessions.IDLE, sessions.EXPIRED, …).
LOGOUT_REASON = "hoptac_logout_reason"
# Credentials key of a failed two-factor code, so the audit tells it from a wrong password.
SECOND_FACTOR = "second_factor"

# The fields of an account that decide what it may see and do.
ACCESS_FIELDS = ["role", "department", "organization_id", "is_staff", "is_superuser", "is_active"]


def _actor():
    request = acting_request.get()
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _log_for_username(action: str, username: str, changes: dict) -> None:
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        log_action(action, instance=user, changes=changes)
        return
    # A name no account has: recorded as typed, so guessing shows in the log.
    AuditEntry.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(User),
        object_id="",
        object_repr=(username or "")[:300],
        changes=changes,
    )


def on_logged_in(sender, request, user, **kwargs):
    from . import twofactor

    device = getattr(user, "otp_device", None)
    if request is not None and hasattr(request, "session"):
        sessions.session_start(request.session)
        if device is None and not twofactor.has_two_factor(user):
            request.session[NO_TWO_FACTOR] = True
    second = None
    if device is not None:
        second = "backup_code" if isinstance(device, StaticDevice) else "app"
    log_action(
        "core.login.succeeded",
        instance=user,
        user=user,
        changes={"ip": sessions.client_ip(request) if request else None, "second_factor": second},
    )


def on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON, None) if request is not None else None
    log_action("core.logout", instance=user, user=user, changes={"reason": reason} if reason else {})


def on_login_failed(sender, credentials, request=None, **kwargs):
    action = "core.login.code_failed" if credentials.get(SECOND_FACTOR) else "core.login.failed"
    ip = sessions.client_ip(request) if request is not None else None
    _log_for_username(action, credentials.get("username") or "", {"ip": ip})


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    _log_for_username("core.login.locked_out", username or "", {"ip": ip_address})


def before_user_save(sender, instance, raw=False, update_fields=None, **kwargs):
    watched = [*ACCESS_FIELDS, "password"]
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not set(update_fields) & {*watched, "organization"})
    ):
        instance._access_before = None
        return
    instance._access_before = User.objects.filter(pk=instance.pk).values(*watched).first()


def after_user_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        log_action(
            "core.user.created",
            instance=instance,
            user=_actor(),
            changes={name.removesuffix("_id"): _shown(instance, name) for name in ACCESS_FIELDS},
        )
        return
    before = getattr(instance, "_access_before", None)
    if not before:
        return
    instance._access_before = None
    changes = {}
    for name in ACCESS_FIELDS:
        old, new = before[name], getattr(instance, name)
        if old != new:
            changes[name.removesuffix("_id")] = [_shown_value(name, old), _shown(instance, name)]
    if changes:
        log_action("core.user.access_changed", instance=instance, user=_actor(), changes=changes)
    if before["password"] != instance.password:
        log_action("core.user.password_changed", instance=instance, user=_actor())


def _shown(instance, name: str):
    return _shown_value(name, getattr(instance, name))


def _shown_value(name: str, value):
    if name == "organization_id" and value is not None:
        from hoptac.registry.models import Organization

        org = Organization.objects.filter(pk=value).first()
        return str(org) if org else value
    return value


# Many-to-many relations that grant access: through model -> (owner model, field name).
M2M_ACCESS = {
    User.groups.through: (User, "groups"),
    User.user_permissions.through: (User, "user_permissions"),
    User.areas.through: (User, "areas"),
    Group.permissions.through: (Group, "permissions"),
}


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    owner_model, field = M2M_ACCESS[sender]
    # Removing and clearing report what was asked, not what was there (the portal removes its
    # groups from every cooperative account it saves): note what is really linked first.
    if action == "pre_clear":
        instance._access_removing = _linked(sender, owner_model, instance, reverse)
        return
    if action == "pre_remove":
        instance._access_removing = _linked(sender, owner_model, instance, reverse) & set(pk_set)
        return
    if action in ("post_clear", "post_remove"):
        pk_set, verb = getattr(instance, "_access_removing", set()), "removed"
        instance._access_removing = set()
    elif action == "post_add":
        verb = "added"
    else:
        return
    if not pk_set:
        return
    actor = _actor()
    code = "core.group.permissions_changed" if owner_model is Group else "core.user.access_changed"
    if not reverse:
        names = sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set))
        log_action(code, instance=instance, user=actor, changes={field: {verb: names}})
    else:
        for owner in owner_model.objects.filter(pk__in=pk_set):
            log_action(code, instance=owner, user=actor, changes={field: {verb: [str(instance)]}})


def _linked(through, owner_model, instance, reverse) -> set:
    """The primary keys on the other side of the relation that instance has now."""
    owner_fk = next(f for f in through._meta.fields if f.related_model is owner_model).name
    other_fk = next(f for f in through._meta.fields if f.is_relation and f.name != owner_fk).name
    if reverse:
        return set(through.objects.filter(**{other_fk: instance.pk}).values_list(f"{owner_fk}_id", flat=True))
    return set(through.objects.filter(**{owner_fk: instance.pk}).values_list(f"{other_fk}_id", flat=True))


def connect() -> None:
    """Connect the receivers (from the core app's ready())."""
    user_logged_in.connect(on_logged_in, dispatch_uid="hoptac.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="hoptac.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="hoptac.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="hoptac.audit.locked_out")
    pre_save.connect(before_user_save, sender=User, dispatch_uid="hoptac.audit.user_before")
    post_save.connect(after_user_save, sender=User, dispatch_uid="hoptac.audit.user_after")
    for through in M2M_ACCESS:
        m2m_changed.connect(on_m2m_changed, sender=through, dispatch_uid=f"hoptac.audit.m2m.{through._meta.label}")
