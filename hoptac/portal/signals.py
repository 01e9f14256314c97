"""Glue between Wagtail, the accounts and the audit log.

- After every migrate (and every test flush), the portal's groups, workflow and tree are put back.
- Accounts: administrators are kept in the portal's administrators group; an account that is
  not the alliance's never keeps a portal group.
- Every action Wagtail logs on a page (created, edited, submitted, approved, scheduled,
  published, unpublished…) is copied into the product's audit log.
"""

import logging

from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, PageLogEntry

from hoptac.core.audit import log_action
from hoptac.core.models import Role, User

from . import setup

logger = logging.getLogger(__name__)
PORTAL_GROUPS = (setup.EDITORS, setup.REVIEWERS, setup.ADMINISTRATORS)


def ensure_after_migrate(sender, using="default", **kwargs):
    tables = set(connection.introspection.table_names())
    if {"portal_homepage", "wagtailcore_page", "wagtailcore_workflowpage"} <= tables:
        setup.ensure_portal()


@receiver(post_save, sender=User, dispatch_uid="portal_user_groups")
def keep_portal_groups(sender, instance: User, raw=False, **kwargs):
    if raw:
        return
    from django.contrib.auth.models import Group

    if instance.role == Role.ADMIN:
        group = Group.objects.filter(name=setup.ADMINISTRATORS).first()
        if group is not None:
            instance.groups.add(group)
    elif instance.role not in (Role.STAFF,) and not instance.is_superuser:
        instance.groups.remove(*Group.objects.filter(name__in=PORTAL_GROUPS))


@receiver(post_save, sender=PageLogEntry, dispatch_uid="portal_page_log_audit")
def copy_page_log(sender, instance: PageLogEntry, created=False, raw=False, **kwargs):
    if not created or raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    log_action(
        f"portal.{instance.action}",
        instance=page or instance,
        user=instance.user,
        changes={"title": instance.label},
    )
