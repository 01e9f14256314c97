"""Portal fixtures: the site tree, an editor and a reviewer, articles published on a given day.

The tree and the groups are put back by post_migrate, so every test database has them; the
fixtures only look them up.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from hoptac.core.models import Department, Role, User
from hoptac.portal import setup
from hoptac.portal.models import ArticlePage, CategoryPage, HomePage, ReportArchivePage

PASSWORD = "mat-khau-thu-nghiem-1"
D = datetime.date
REPORT_DAY = D(2021, 3, 15)


@pytest.fixture
def tree(db):
    setup.ensure_portal()
    home = HomePage.objects.get()
    categories = {page.slug: page.specific for page in home.get_children()}
    return {"home": home, **categories}


@pytest.fixture
def news(tree) -> CategoryPage:
    return tree["tin-tuc"]


@pytest.fixture
def archive_page(tree) -> ReportArchivePage:
    return tree["bao-cao"]


def _member(username: str, group: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(tree) -> User:
    return _member("bientap", setup.EDITORS)


@pytest.fixture
def reviewer(tree) -> User:
    return _member("duyettin", setup.REVIEWERS)


def picture(name: str = "anh.png", size=(800, 450)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (11, 61, 110)).save(buffer, "PNG")
    return get_image_model().objects.create(title=name, file=ImageFile(buffer, name=name))


def publish(
    category,
    title: str,
    *,
    day: datetime.date = REPORT_DAY,
    intro: str = "Tóm tắt tin bài.",
    body: str = "<p>Nội dung.</p>",
    by=None,
    **fields,
) -> ArticlePage:
    """An article added to category and published (as a reviewer would), dated day."""
    page = ArticlePage(title=title, date=day, intro=intro, body=body, **fields)
    category.add_child(instance=page)
    page.save_revision(user=by).publish(user=by)
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
    )
    page.refresh_from_db()
    return page


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Pictures and attachments written by a test go to its own folder.

    Wagtail caches renditions by image id, which the next test's database may give again: a
    cached rendition would point at the previous test's folder.
    """
    from wagtail.images.models import AbstractRendition

    settings.MEDIA_ROOT = tmp_path / "media"
    AbstractRendition.cache_backend.clear()
    return settings.MEDIA_ROOT


def issued_report(year: int, quarter: int, *, published: bool = True, number: int | None = None):
    """An issued quarterly report as the briefing app stores it (without computing its text or files)."""
    from hoptac.briefing.models import Report
    from hoptac.briefing.periods import make_period

    period = make_period("quarter", year, quarter)
    sequence = number or quarter + 4 * (year - 2000)
    return Report.objects.create(
        period_kind="quarter",
        year=year,
        period_number=quarter,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=period.date_to,
        title=f"Một số kết quả hoạt động của Liên minh HTX tỉnh {period.label}",
        status="issued",
        sequence_year=year,
        sequence=sequence,
        number=f"{sequence:02d}/BC-LMHTX",
        issued_on=period.date_to,
        published_on=timezone.now() if published else None,
    )
