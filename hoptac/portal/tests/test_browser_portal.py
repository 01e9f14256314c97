"""The portal in Debian's Chromium: an editor writes and schedules an article, a reviewer approves it,
the server publishes it when its time comes, and readers find it on the home page, in search and
in the feed; an issued report is in the archive."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD, login
from hoptac.briefing import services as briefing
from hoptac.briefing.periods import make_period
from hoptac.core.models import Department, Role, User
from hoptac.portal import setup
from hoptac.portal.models import ArticlePage, HomePage

pytestmark = pytest.mark.browser
TITLE = "Hội nghị tổng kết Quỹ hỗ trợ phát triển HTX năm 2020"


def member(username: str, group: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)
    user.groups.add(Group.objects.get(name=group))
    return user


def issue_report() -> None:
    office = User.objects.create_user("vanphong", password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)
    period = make_period("quarter", 2021, 1)
    report = briefing.report_create(period=period, as_of=datetime.date(2021, 3, 15), by=office)
    report = briefing.report_issue(
        report=report,
        issued_on=datetime.date(2021, 3, 16),
        signer_name="Nguyễn Văn Tùng",
        signer_title="Phó Chánh Văn phòng",
        by=office,
    )
    briefing.report_publish(report=report, by=office)


def test_editor_schedules_reviewer_approves_readers_find_the_article(page):
    setup.ensure_portal()  # after another browser test's flush
    member("bientap", setup.EDITORS)
    member("duyettin", setup.REVIEWERS)
    news = HomePage.objects.get().get_children().get(slug="tin-tuc")
    issue_report()

    # The editor writes the article and sets it to go live in an hour, then submits it for review.
    login(page, "bientap")
    page.goto(f"{page.base_url}/cms/pages/add/portal/articlepage/{news.pk}/")
    page.type("#id_title", TITLE)
    page.fill("#id_intro", "Quỹ tiếp nhận thêm 3 tỷ đồng vốn cấp cho Liên minh HTX tỉnh vay.")
    page.click(".public-DraftEditor-content")
    page.keyboard.type("Đến ngày 15/3/2021, tổng nguồn vốn của Quỹ là 17.547 triệu đồng.")
    page.click("[data-side-panel-toggle=status]")
    page.click("[data-a11y-dialog-show=schedule-publishing-dialog]")
    go_live = timezone.localtime() + datetime.timedelta(hours=1)
    page.fill("#id_go_live_at", go_live.strftime("%Y-%m-%d %H:%M"))
    # The field's date picker may cover the dialog's button: the click goes to the button itself.
    with page.expect_navigation(url="**/edit/"):
        page.locator("#schedule-publishing-dialog button.action-save").dispatch_event("click")
    page.click("footer .w-dropdown__toggle")
    with page.expect_navigation():
        page.click("footer button[name=action-submit]")
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live and article.current_workflow_state is not None

    # The reviewer finds it on the CMS dashboard and approves it: it is scheduled, not yet public.
    page.context.clear_cookies()
    login(page, "duyettin")
    page.goto(page.base_url + "/cms/")
    page.click(f"a:has-text('{TITLE}')")
    page.wait_for_url(f"**/cms/pages/{article.pk}/edit/")
    page.click("footer .w-dropdown__toggle")
    with page.expect_navigation():
        page.click("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    article.refresh_from_db()
    assert not article.live and article.scheduled_revision is not None
    page.context.clear_cookies()
    page.goto(page.base_url + "/")
    assert TITLE not in page.inner_text("#news")

    # An hour later the server's periodic publish_scheduled makes it public.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=2)):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live

    page.goto(page.base_url + "/")
    with page.expect_navigation():
        page.click(f"#news a:has-text('{TITLE}')")
    page.wait_for_selector("article.article")
    assert "17.547 triệu đồng" in page.inner_text(".rich-text")

    page.goto(page.base_url + "/")
    page.fill("#portal-q", "quy ho tro phat trien htx")  # no diacritics
    with page.expect_navigation():
        page.click(".portal-search [type=submit]")
    page.wait_for_selector(".news-list")
    assert TITLE in page.inner_text(".news-list")

    feed = page.request.get(page.base_url + "/portal/rss.xml")
    assert feed.ok and TITLE in feed.text()

    # The issued report is in the archive, with its file.
    page.goto(page.base_url + "/")
    with page.expect_navigation():
        page.click(".portal-nav a:has-text('Báo cáo')")
    page.wait_for_selector("table.report-archive")
    page.select_option("#f-year", "2021")
    page.select_option("#f-period", "quarter-1")
    with page.expect_navigation():
        page.click(".filters [type=submit]")
    row = page.locator("table.report-archive tbody tr")
    assert row.count() == 1 and "quý I năm 2021" in row.inner_text()
    pdf = page.request.get(page.base_url + row.locator("a:has-text('PDF')").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
