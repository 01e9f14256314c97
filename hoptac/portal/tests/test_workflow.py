"""The editorial workflow through the CMS itself: an editor drafts and submits, a reviewer approves.

Scheduled articles go live only when ``publish_scheduled`` runs after their date (the server
runs it every few minutes; here it is called directly, with the clock moved forward).
"""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from hoptac.core.models import AuditEntry, Role, User
from hoptac.portal import setup
from hoptac.portal.models import ArticlePage, slug_for

pytestmark = pytest.mark.django_db


def article_form(title: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug_for(title),
            "date": "2021-03-20",
            "intro": "Tóm tắt.",
            "image": "",
            "image_caption": "",
            "body": rich_text("<p>Hội nghị tổng kết năm 2020.</p>"),
            "author": "",
            "attachments": inline_formset([]),
            "go_live_at": "",
            "expire_at": "",
            "seo_title": "",
            "search_description": "",
            **extra,
        }
    )


def submit_article(client, editor, news, title: str, **extra) -> ArticlePage:
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["portal", "articlepage", news.pk])
    response = client.post(url, {**article_form(title, **extra), "action-submit": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ArticlePage.objects.get(title=title)


def approve(client, reviewer, page: ArticlePage):
    client.force_login(reviewer)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def test_editor_cannot_publish_but_can_submit_for_review(client, editor, news):
    page = submit_article(client, editor, news, "Hội nghị BCH lần thứ 2", **{"action-publish": "1"})
    assert not page.live
    assert page.current_workflow_state is not None
    assert page.current_workflow_task.name == setup.TASK
    perms = page.permissions_for_user(editor)
    assert not perms.can_publish()


def test_reviewer_approval_publishes_the_article(client, editor, reviewer, news):
    page = submit_article(client, editor, news, "Tổng kết Quỹ hỗ trợ phát triển HTX năm 2020")
    assert approve(client, reviewer, page).status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200
    # Every step is in the product's audit log too.
    actions = set(AuditEntry.objects.filter(object_id=str(page.pk)).values_list("action", flat=True))
    assert {"portal.wagtail.create", "portal.wagtail.workflow.start", "portal.wagtail.publish"} <= actions


def test_editor_cannot_approve_their_own_article(client, editor, news):
    page = submit_article(client, editor, news, "Ký chương trình phối hợp với HDBank")
    response = approve(client, editor, page)
    page.refresh_from_db()
    assert response.status_code in (302, 403)
    assert not page.live


def test_scheduled_article_goes_live_when_publish_scheduled_runs_after_its_time(client, editor, reviewer, news):
    go_live = timezone.localtime() + datetime.timedelta(hours=2)
    page = submit_article(
        client, editor, news, "Kế hoạch tập huấn năm 2021", go_live_at=go_live.strftime("%Y-%m-%d %H:%M")
    )
    approve(client, reviewer, page)
    page.refresh_from_db()
    assert not page.live
    assert page.scheduled_revision is not None

    call_command("publish_scheduled")  # too early: nothing happens
    page.refresh_from_db()
    assert not page.live

    later = timezone.now() + datetime.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_cooperative_account_never_enters_the_cms_even_in_a_portal_group(client, coop_user, tree):
    from django.contrib.auth.models import Group

    coop_user.groups.add(Group.objects.get(name=setup.EDITORS))
    client.force_login(coop_user)
    assert client.get("/cms/").status_code == 403


def test_staff_without_a_portal_group_cannot_enter_the_cms(client, staff, tree):
    client.force_login(staff)
    response = client.get("/cms/")
    assert response.status_code in (302, 403)


def test_administrators_join_the_portal_administrators_group(tree):
    admin = User.objects.create_user("quantri", password="x" * 12, role=Role.ADMIN)
    assert admin.groups.filter(name=setup.ADMINISTRATORS).exists()
    assert admin.has_perm("wagtailadmin.access_admin")
    admin.role = Role.COOPERATIVE
    admin.save()
    assert not admin.groups.filter(name__in=[setup.EDITORS, setup.REVIEWERS, setup.ADMINISTRATORS]).exists()


def test_only_administrators_delete_pages(client, editor, reviewer, admin, news):
    page = submit_article(client, editor, news, "Bài viết nháp")
    client.force_login(reviewer)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    assert Page.objects.filter(pk=page.pk).exists()
    client.force_login(admin)
    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert not Page.objects.filter(pk=page.pk).exists()


def test_groups_and_workflow_are_put_back_by_ensure_portal(tree):
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow, WorkflowPage

    setup.ensure_portal()  # idempotent
    assert set(Group.objects.filter(name__startswith="").values_list("name", flat=True)) >= {
        setup.EDITORS,
        setup.REVIEWERS,
        setup.ADMINISTRATORS,
    }
    root = Page.get_first_root_node()
    assert WorkflowPage.objects.get(page=root).workflow == Workflow.objects.get(name=setup.WORKFLOW)
    assert Workflow.objects.filter(name=setup.WORKFLOW).count() == 1


def test_addresses_lose_their_diacritics(client, editor, news):
    page = submit_article(client, editor, news, "Hội nghị Đắk Lắk", slug="hội-nghị-đắk-lắk")
    assert page.slug == "hoi-nghi-dak-lak"
    assert page.url == "/portal/tin-tuc/hoi-nghi-dak-lak/"


def test_an_address_taken_once_diacritics_are_off_is_refused_in_the_form(client, editor, news):
    submit_article(client, editor, news, "Hội nghị Đắk Lắk", slug="hoi-nghi-dak-lak")
    client.force_login(editor)
    data = {**article_form("Hội nghị Đắk Lắk lần 2", slug="hội-nghị-đắk-lắk"), "action-submit": "1"}
    response = client.post(reverse("wagtailadmin_pages:add", args=["portal", "articlepage", news.pk]), data)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors


def test_existing_administrators_join_when_the_groups_are_set_up(tree):
    from django.contrib.auth.models import Group

    admin = User.objects.create_user("quantri2", password="x" * 12, role=Role.ADMIN)
    admin.groups.clear()
    setup.ensure_portal()
    assert admin.groups.filter(name=setup.ADMINISTRATORS).exists()
    assert not Group.objects.get(name=setup.ADMINISTRATORS).user_set.filter(role=Role.STAFF).exists()
