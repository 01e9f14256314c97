"""What the portal needs before anyone writes: the editorial groups, their workflow, the site tree.

``ensure_editorial_groups(apps)`` takes an app registry so the data migration can run it on
historical models; ``ensure_portal()`` (post_migrate, the demo, tests) runs both on the
current models and is idempotent: after a test flush, or on a fresh install, it puts back
exactly what is missing and never touches what editors made.

Roles: the alliance's staff (role staff) become editors or reviewers when an administrator
adds them to "Biên tập viên" or "Người duyệt"; the alliance's administrators (role admin)
are kept in "Quản trị cổng thông tin", which may do everything; other accounts never keep a
portal group (signals.py).
"""

from django.conf import settings

EDITORS = "Biên tập viên"
REVIEWERS = "Người duyệt"
ADMINISTRATORS = "Quản trị cổng thông tin"
WORKFLOW = "Biên tập → duyệt → xuất bản"
TASK = "Người duyệt duyệt tin bài"

# Page permissions on the tree's root (so on every page), per group.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATORS: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}
_FILES = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]
# Images and attachments, on the root collection.
COLLECTION_PERMISSIONS = {
    EDITORS: _FILES,
    REVIEWERS: _FILES,
    ADMINISTRATORS: [
        ("wagtailimages", "image", ["add_image", "change_image", "choose_image", "delete_image"]),
        ("wagtaildocs", "document", ["add_document", "change_document", "choose_document", "delete_document"]),
    ],
}
# Model permissions: entering the CMS; administrators also run the workflows and the groups.
MODEL_PERMISSIONS = {
    EDITORS: [("wagtailadmin", "admin", "access_admin")],
    REVIEWERS: [("wagtailadmin", "admin", "access_admin")],
    ADMINISTRATORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("wagtailcore", "workflow", "add_workflow"),
        ("wagtailcore", "workflow", "change_workflow"),
        ("wagtailcore", "task", "add_task"),
        ("wagtailcore", "task", "change_task"),
        ("auth", "group", "add_group"),
        ("auth", "group", "change_group"),
    ],
}

# The portal's categories, in menu order: (page model, slug, title, introduction).
CATEGORIES = [
    ("CategoryPage", "tin-tuc", "Tin tức", "Hoạt động của Liên minh Hợp tác xã tỉnh và các hợp tác xã."),
    ("CategoryPage", "van-ban", "Văn bản", "Văn bản chỉ đạo, hướng dẫn, kế hoạch về kinh tế tập thể."),
    ("ReportArchivePage", "bao-cao", "Báo cáo", "Báo cáo định kỳ của Liên minh Hợp tác xã tỉnh."),
    ("CategoryPage", "guong-dien-hinh", "Gương điển hình", "Hợp tác xã, tổ hợp tác làm ăn hiệu quả."),
    ("CategoryPage", "thong-bao", "Thông báo", "Thông báo của Liên minh Hợp tác xã tỉnh."),
]


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def ensure_editorial_groups(apps) -> None:
    """The three portal groups with their permissions, and the review workflow on the whole tree."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Page.objects.filter(depth=1).first()
    collection = Collection.objects.filter(depth=1).first()
    groups = {}
    for name in (EDITORS, REVIEWERS, ADMINISTRATORS):
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for app_label, model, codename in MODEL_PERMISSIONS[name]:
            group.permissions.add(_permission(apps, app_label, model, codename))
        if root is not None:
            for codename in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=_permission(apps, "wagtailcore", "page", codename)
                )
        if collection is not None:
            for app_label, model, codenames in COLLECTION_PERMISSIONS[name]:
                for codename in codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=collection, permission=_permission(apps, app_label, model, codename)
                    )
    if root is not None:
        _ensure_workflow(apps, root, [groups[REVIEWERS], groups[ADMINISTRATORS]])
    # The alliance's administrators run the portal too (later ones join when saved: signals.py).
    User = apps.get_model("core", "User")
    groups[ADMINISTRATORS].user_set.add(*User.objects.filter(role="admin"))


def _ensure_workflow(apps, root, reviewer_groups) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK, active=True, content_type=content_type)
        task.groups.set(reviewer_groups)
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        # Wagtail's own "Moderators approval" stays in the list, unused.
        Workflow.objects.exclude(pk=workflow.pk).filter(workflow_pages__page=root).update(active=False)
    if not WorkflowPage.objects.filter(page=root).exists():
        WorkflowPage.objects.create(page=root, workflow=workflow)
    else:
        WorkflowPage.objects.filter(page=root).update(workflow=workflow)


def ensure_site_tree() -> None:
    """The root page and collection, the default locale, the portal's home page as the site, its categories."""
    from wagtail.models import Collection, Locale, Page, Site

    from .models import HomePage

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's "Welcome to your new Wagtail site!" placeholder, untouched: the portal's home replaces it.
        for placeholder in root.get_children().filter(slug="home", numchild=0).exact_type(Page):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(
                title=settings.ALLIANCE_NAME,
                slug="home",
                seo_title=settings.ALLIANCE_NAME,
                intro="Cổng thông tin kinh tế tập thể: tin tức, văn bản, báo cáo, gương điển hình, thông báo.",
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.ALLIANCE_NAME
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or settings.ALLIANCE_NAME
        site.save()
    _ensure_categories(home)


def _ensure_categories(home) -> None:
    from . import models

    existing = set(home.get_children().values_list("slug", flat=True))
    for model_name, slug, title, intro in CATEGORIES:
        if slug in existing:
            continue
        model = getattr(models, model_name)
        if model is models.ReportArchivePage and model.objects.exists():
            continue
        home.add_child(instance=model(title=title, slug=slug, intro=intro, show_in_menus=True))
        home.refresh_from_db()


def ensure_portal() -> None:
    """Everything above on the current models (post_migrate, demo, tests)."""
    from django.apps import apps

    ensure_site_tree()
    ensure_editorial_groups(apps)
