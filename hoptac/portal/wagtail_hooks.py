"""The CMS's rules that Wagtail's permissions cannot say.

Nothing is deleted in this product: an article that should no longer be read is unpublished
(it stays in the CMS, with its history). Only an administrator may delete, e.g. a test page.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail import hooks


def _may_delete(user) -> bool:
    return bool(getattr(user, "is_admin", False))


@hooks.register("before_delete_page")
def refuse_page_deletion(request, page):
    if _may_delete(request.user):
        return None
    messages.error(
        request, _("Pages are not deleted: unpublish the page instead. Only an administrator deletes pages.")
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_deletion(request, action_type, objects, action_class_instance):
    if action_type != "delete" or _may_delete(request.user):
        return None
    messages.error(
        request, _("Pages are not deleted: unpublish the page instead. Only an administrator deletes pages.")
    )
    return redirect("wagtailadmin_home")


@hooks.register("construct_main_menu")
def name_the_pages_menu(request, menu_items):
    # The product's catalogue says "Phân trang" (pagination) for "Pages": the CMS menu means the site's pages.
    for item in menu_items:
        if item.name == "explorer":
            item.label = pgettext("CMS menu", "Pages")
