"""Demo portal: the site tree, the news of Q1 2021 that the seed report tells, and its visit counts.

The articles retell the seed report's quarter (the executive committee's conference, the
members' review of 2020, the fund's 2020 review, the cooperation programmes with the Ethnic
Minorities Committee and HDBank, the 2021 training and value-chain plans, the emulation
movement…); one more waits in review, written by the demo editor. Pictures are drawn here
with Pillow (nothing is downloaded). Visits: every day of Q1 2021, about 300 a day as the
report says ("trung bình hằng ngày có khoảng trên dưới 300 lượt truy cập"), exactly 27 000
for the 90 days, spread over the public pages. Everything is deterministic.

Loaded after the other demos, on an empty portal.
"""

import datetime
import io
import random
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Workflow

from hoptac.core.models import Department, Role, User

from . import setup
from .models import ArticleAttachment, ArticlePage, CategoryPage, DailyVisits, HomePage

D = datetime.date
QUARTER = (D(2021, 1, 1), D(2021, 3, 31))
VISITS_PER_DAY = 300
SEED = 2021
FONT = Path(settings.BASE_DIR) / "hoptac/briefing/static/briefing/fonts/LiberationSerif-Bold.ttf"

# username, role, department, first name, last name, portal group
PORTAL_USERS = [
    ("bientap", Role.STAFF, Department.OFFICE, "Trần Thị", "Mai", setup.EDITORS),
    ("duyettin", Role.STAFF, Department.OFFICE, "Phạm Văn", "Hùng", setup.REVIEWERS),
]

# (category slug, date, title, summary, body paragraphs, picture colours or None, attachment or None)
ARTICLES = [
    (
        "tin-tuc",
        D(2021, 1, 12),
        "Hội nghị Ban Chấp hành Liên minh HTX tỉnh lần thứ 2, khóa VI, nhiệm kỳ 2020–2025",
        "Ban Chấp hành Liên minh HTX tỉnh họp lần thứ 2, đánh giá kết quả năm 2020 và triển khai nhiệm vụ năm 2021.",
        [
            "Ngày 12/01/2021, Liên minh HTX tỉnh Bắc Giang tổ chức Hội nghị Ban Chấp hành lần thứ 2, khóa VI, "
            "nhiệm kỳ 2020–2025. Hội nghị đánh giá kết quả thực hiện nhiệm vụ năm 2020 trong bối cảnh dịch "
            "Covid-19 diễn biến phức tạp và thống nhất phương hướng, nhiệm vụ năm 2021.",
            "Năm 2021, Liên minh HTX tỉnh tập trung tham mưu cho Tỉnh ủy, UBND tỉnh các chính sách phát triển "
            "kinh tế tập thể; tư vấn thành lập mới hợp tác xã; hỗ trợ vốn, bồi dưỡng, tập huấn và xây dựng "
            "chuỗi giá trị cho các hợp tác xã.",
        ],
        ("#0b3d6e", "#0f766e"),
        None,
    ),
    (
        "tin-tuc",
        D(2021, 1, 27),
        "Hội nghị tổng kết đơn vị thành viên năm 2020, phương hướng nhiệm vụ năm 2021",
        "Liên minh HTX tỉnh tổng kết hoạt động của các đơn vị thành viên năm 2020 và biểu dương các tập thể, "
        "cá nhân có thành tích xuất sắc.",
        [
            "Thực hiện chỉ đạo của UBND tỉnh, Liên minh HTX tỉnh tổ chức Hội nghị tổng kết đơn vị thành viên năm "
            "2020, phương hướng nhiệm vụ năm 2021, bảo đảm an toàn phòng chống dịch.",
            "Tại hội nghị, đồng chí Nguyễn Đức Hiền, Chủ tịch Liên minh HTX tỉnh, thừa ủy quyền của Chủ tịch UBND "
            "tỉnh trao Cờ thi đua cho các đơn vị dẫn đầu phong trào thi đua Khối các HTX tỉnh Bắc Giang năm 2020.",
            "Hội nghị biểu dương 02 đơn vị được tặng Cờ thi đua của Ban Chấp hành Liên minh HTX Việt Nam, 02 đơn vị "
            "được tặng Cờ thi đua của UBND tỉnh, 04 Bằng khen tập thể và 04 Bằng khen cá nhân của UBND tỉnh, "
            "10 Kỷ niệm chương vì sự nghiệp phát triển HTX, 11 Giấy khen tập thể và 06 Giấy khen cá nhân của "
            "Chủ tịch Liên minh HTX tỉnh.",
        ],
        ("#8a5a00", "#d9a21b"),
        None,
    ),
    (
        "tin-tuc",
        D(2021, 2, 2),
        "Tổng kết hoạt động Quỹ hỗ trợ phát triển HTX tỉnh Bắc Giang năm 2020",
        "Quỹ hỗ trợ phát triển HTX tổng kết năm 2020 và triển khai nhiệm vụ năm 2021, tiếp nhận thêm 3 tỷ đồng "
        "vốn cấp cho Liên minh HTX tỉnh vay.",
        [
            "Liên minh HTX tỉnh tổ chức hội nghị tổng kết hoạt động Quỹ hỗ trợ phát triển HTX tỉnh Bắc Giang năm "
            "2020 và triển khai nhiệm vụ năm 2021.",
            "Trong quý I năm 2021, Quỹ tiếp nhận, triển khai nguồn vốn cấp cho Liên minh HTX tỉnh vay với số tiền "
            "3.000.000.000 đồng. Đến ngày 15/3/2021, tổng nguồn vốn của Quỹ là 17.547 triệu đồng; 49 dự án đang "
            "vay với số tiền 14.450 triệu đồng.",
            "Các hợp tác xã có nhu cầu vay vốn liên hệ Văn phòng Quỹ tại trụ sở Liên minh HTX tỉnh để được hướng "
            "dẫn lập hồ sơ.",
        ],
        ("#17663a", "#0f766e"),
        None,
    ),
    (
        "tin-tuc",
        D(2021, 2, 24),
        "Ký kết chương trình phối hợp phát triển kinh tế tập thể, hợp tác xã với Ban Dân tộc tỉnh",
        "Liên minh HTX tỉnh và Ban Dân tộc tỉnh ký chương trình phối hợp phát triển kinh tế tập thể, hợp tác xã "
        "vùng đồng bào dân tộc thiểu số.",
        [
            "Liên minh HTX tỉnh Bắc Giang và Ban Dân tộc tỉnh ký kết chương trình phối hợp về phát triển kinh tế "
            "tập thể, hợp tác xã giai đoạn 2021–2025.",
            "Hai bên phối hợp tuyên truyền, vận động đồng bào dân tộc thiểu số tham gia hợp tác xã, tổ hợp tác; "
            "hỗ trợ thành lập mới, bồi dưỡng cán bộ quản lý và kết nối tiêu thụ sản phẩm.",
        ],
        ("#0b3d6e", "#6b7f94"),
        None,
    ),
    (
        "tin-tuc",
        D(2021, 3, 4),
        "Liên minh HTX tỉnh ký chương trình phối hợp với Ngân hàng HDBank chi nhánh Bắc Giang",
        "Chương trình phối hợp giúp các hợp tác xã tiếp cận vốn tín dụng và dịch vụ ngân hàng thuận lợi hơn.",
        [
            "Liên minh HTX tỉnh ký chương trình phối hợp với Ngân hàng TMCP Phát triển TP. Hồ Chí Minh (HDBank) "
            "chi nhánh Bắc Giang.",
            "Theo chương trình, ngân hàng tư vấn, hỗ trợ các hợp tác xã thành viên tiếp cận các gói tín dụng ưu "
            "đãi; Liên minh HTX tỉnh giới thiệu các dự án sản xuất, kinh doanh hiệu quả.",
        ],
        ("#082c50", "#d9a21b"),
        None,
    ),
    (
        "tin-tuc",
        D(2021, 3, 18),
        "Xây dựng đề án ứng dụng công nghệ 4.0 trong quản lý, điều hành hoạt động của HTX",
        "Liên minh HTX tỉnh xây dựng dự thảo 02 đề án trình UBND tỉnh năm 2021 về ứng dụng công nghệ và khởi "
        "nghiệp hợp tác xã.",
        [
            "Liên minh HTX tỉnh triển khai xây dựng dự thảo 02 đề án báo cáo UBND tỉnh năm 2021: Đề án “Xây dựng "
            "mô hình ứng dụng công nghệ 4.0 trong quản lý, điều hành hoạt động của HTX trên địa bàn tỉnh Bắc "
            "Giang, giai đoạn 2020–2025” và đề án “Xây dựng, phát triển mô hình khởi nghiệp HTX ứng dụng công "
            "nghệ cao trên địa bàn tỉnh Bắc Giang, giai đoạn 2020–2025”.",
            "Trong quý I, đã có 12 hợp tác xã thành lập mới, nâng tổng số hợp tác xã đang hoạt động lên 830 và "
            "20 quỹ tín dụng nhân dân.",
        ],
        ("#0f766e", "#0b3d6e"),
        None,
    ),
    (
        "van-ban",
        D(2021, 1, 20),
        "Kế hoạch bồi dưỡng, tập huấn năm 2021",
        "Liên minh HTX tỉnh ban hành kế hoạch bồi dưỡng, tập huấn cho cán bộ quản lý, thành viên hợp tác xã năm 2021.",
        [
            "Liên minh HTX tỉnh ban hành kế hoạch bồi dưỡng, tập huấn năm 2021, triển khai các nhiệm vụ theo kế "
            "hoạch để tổ chức các lớp bồi dưỡng, tập huấn đạt hiệu quả cao nhất.",
            "Đối tượng: cán bộ quản lý, kiểm soát viên, kế toán và thành viên các hợp tác xã trên địa bàn tỉnh. "
            "Nội dung chi tiết xem tệp đính kèm.",
        ],
        None,
        ("Kế hoạch bồi dưỡng, tập huấn năm 2021", "ke-hoach-boi-duong-tap-huan-2021.docx"),
    ),
    (
        "van-ban",
        D(2021, 3, 10),
        "Kế hoạch hỗ trợ xây dựng chuỗi giá trị năm 2021",
        "Khảo sát, lựa chọn các hợp tác xã đủ điều kiện và hỗ trợ xây dựng chuỗi giá trị sản phẩm.",
        [
            "Liên minh HTX tỉnh triển khai khảo sát, lựa chọn các hợp tác xã đủ điều kiện xây dựng chuỗi và hỗ "
            "trợ xây dựng chuỗi giá trị; xây dựng, ban hành kế hoạch hỗ trợ xây dựng chuỗi giá trị năm 2021.",
        ],
        None,
        ("Kế hoạch hỗ trợ xây dựng chuỗi giá trị năm 2021", "ke-hoach-chuoi-gia-tri-2021.docx"),
    ),
    (
        "thong-bao",
        D(2021, 3, 1),
        "Phát động phong trào thi đua năm 2021 và hướng dẫn đăng ký thi đua",
        "Liên minh HTX tỉnh phát động thi đua năm 2021 và hướng dẫn các hợp tác xã đăng ký thi đua.",
        [
            "Với vai trò Trưởng khối thi đua các HTX, Liên minh HTX tỉnh phát động thi đua đầu năm và ký giao ước "
            "thi đua cho Khối HTX.",
            "Đề nghị các hợp tác xã trên địa bàn tỉnh đăng ký thi đua năm 2021 và gửi về Liên minh HTX tỉnh trước "
            "ngày 31/3/2021.",
        ],
        None,
        None,
    ),
    (
        "guong-dien-hinh",
        D(2021, 3, 25),
        "Hợp tác xã dẫn đầu phong trào thi đua năm 2020: liên kết sản xuất, nâng thu nhập cho thành viên",
        "Đơn vị được tặng Cờ thi đua năm 2020 chia sẻ cách tổ chức sản xuất theo chuỗi và tiêu thụ sản phẩm "
        "cho thành viên.",
        [
            "Là một trong các đơn vị dẫn đầu phong trào thi đua Khối các HTX tỉnh Bắc Giang năm 2020, hợp tác xã "
            "đã tổ chức sản xuất theo quy trình an toàn, liên kết tiêu thụ với doanh nghiệp và hỗ trợ thành viên "
            "về giống, kỹ thuật.",
            "Thu nhập bình quân của thành viên và người lao động tăng so với năm trước; hợp tác xã kết nạp thêm "
            "thành viên mới và tham gia chuỗi giá trị sản phẩm chủ lực của tỉnh.",
        ],
        ("#d9a21b", "#17663a"),
        None,
    ),
]

# Written by the demo editor, waiting for the reviewer.
IN_REVIEW = (
    "thong-bao",
    D(2021, 3, 29),
    "Kế hoạch xúc tiến thương mại năm 2021",
    "Liên minh HTX tỉnh hỗ trợ các hợp tác xã tham gia hội chợ, triển lãm và giới thiệu sản phẩm năm 2021.",
    [
        "Liên minh HTX tỉnh xây dựng kế hoạch xúc tiến thương mại năm 2021, hỗ trợ các hợp tác xã tham gia hội "
        "chợ, triển lãm, giới thiệu sản phẩm trên sàn thương mại điện tử."
    ],
)


def _picture(title: str, colours: tuple[str, str], name: str):
    """A 1200×675 illustration in the alliance's colours (seeded by the title): no photograph to download."""
    width, height = 1200, 675
    top, bottom = (PILImage.new("RGB", (1, 1), c).getpixel((0, 0)) for c in colours)
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    rng = random.Random(title)
    for _ in range(7):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(60, 220)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 255, 255), width=3)
    try:
        font = ImageFont.truetype(str(FONT), 28)
    except OSError:
        font = ImageFont.load_default()
    # Said on the picture itself: it illustrates, it is not a photograph of the event.
    label = "Ảnh minh họa"
    draw.text((width - 40 - draw.textlength(label, font=font), height - 60), label, font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=name))


def _attachment(title: str, filename: str, body: list[str]):
    """A short Word file, as the office would attach it."""
    from docx import Document as WordDocument

    word = WordDocument()
    word.core_properties.author = settings.ALLIANCE_NAME
    word.core_properties.created = datetime.datetime(2021, 1, 1)
    word.core_properties.modified = datetime.datetime(2021, 1, 1)
    word.add_heading(title.upper(), level=1)
    for paragraph in body:
        word.add_paragraph(paragraph)
    buffer = io.BytesIO()
    word.save(buffer)
    from django.core.files.base import ContentFile

    return get_document_model().objects.create(title=title, file=ContentFile(buffer.getvalue(), name=filename))


def _body(paragraphs: list[str]) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _users() -> dict[str, User]:
    from django.contrib.auth.models import Group

    from hoptac.registry.demo import DEMO_PASSWORD

    users = {}
    for username, role, department, first, last, group in PORTAL_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, department=department, first_name=first, last_name=last)
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    # The office's own staff member (the seed report's author) edits too.
    office = User.objects.filter(username="vanphong").first()
    if office is not None:
        office.groups.add(Group.objects.get(name=setup.EDITORS))
    return users


def _publish(page: ArticlePage, user: User, day: datetime.date) -> None:
    page.save_revision(user=user).publish(user=user)
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=_at(day), last_published_at=_at(day), latest_revision_created_at=_at(day)
    )


def _visits(articles: list[ArticlePage]) -> int:
    """Every day of Q1 2021: weekdays busier than weekends, Tết quiet; 27 000 views in all."""
    rng = random.Random(SEED)
    start, end = QUARTER
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    tet = (D(2021, 2, 10), D(2021, 2, 17))
    weights = []
    for day in days:
        weight = 1.15 if day.weekday() < 5 else 0.7
        if tet[0] <= day <= tet[1]:
            weight = 0.45
        weights.append(weight * rng.uniform(0.9, 1.1))
    target = VISITS_PER_DAY * len(days)
    totals = [int(target * w / sum(weights)) for w in weights]
    totals[-1] += target - sum(totals)
    fixed = [("/", 0.42), ("/directory/", 0.18), ("/bao-cao/", 0.05), ("/portal/tin-tuc/", 0.07)]
    fixed += [("/portal/van-ban/", 0.03), ("/portal/thong-bao/", 0.02), ("/portal/guong-dien-hinh/", 0.02)]
    rows = []
    for day, total in zip(days, totals, strict=True):
        counts: dict[str, int] = {}
        for path, share in fixed:
            counts[path] = int(total * share)
        published = [a.url for a in articles if a.date <= day]
        rest = total - sum(counts.values())
        if not published:
            counts["/"] += rest
        else:
            for i in range(rest):
                # Newer articles are read more: pick among the last few published.
                path = published[-1 - min(int(rng.expovariate(0.6)), len(published) - 1)] if i % 2 else "/"
                counts[path] = counts.get(path, 0) + 1
        rows.extend(DailyVisits(day=day, path=path, count=n) for path, n in counts.items() if n)
    DailyVisits.objects.bulk_create(rows)
    return sum(totals)


@transaction.atomic
def load() -> dict:
    """Write the demo portal: tree, accounts, articles, one article in review, Q1-2021 visits; returns counts."""
    if ArticlePage.objects.exists() or DailyVisits.objects.exists():
        raise RuntimeError("the portal is not empty")
    setup.ensure_portal()
    users = _users()
    editor, reviewer = users["bientap"], users["duyettin"]
    home = HomePage.objects.get()
    categories = {page.slug: page.specific for page in home.get_children()}
    articles = []
    for n, (slug, day, title, intro, paragraphs, colours, attachment) in enumerate(
        sorted(ARTICLES, key=lambda a: a[1]), start=1
    ):
        image = _picture(title, colours, f"tin-{day:%Y%m%d}-{n:02d}.jpg") if colours else None
        page = ArticlePage(
            title=title,
            date=day,
            intro=intro,
            body=_body(paragraphs),
            image=image,
            image_caption="Ảnh minh họa" if image else "",
            author="Văn phòng Liên minh HTX tỉnh",
            owner=editor,
        )
        categories[slug].add_child(instance=page)
        if attachment:
            document = _attachment(*attachment, paragraphs)
            ArticleAttachment.objects.create(page=page, document=document, sort_order=0)
        _publish(page, reviewer, day)
        page.refresh_from_db()
        articles.append(page)
    slug, day, title, intro, paragraphs = IN_REVIEW
    waiting = ArticlePage(title=title, date=day, intro=intro, body=_body(paragraphs), owner=editor, live=False)
    categories[slug].add_child(instance=waiting)
    revision = waiting.save_revision(user=editor)
    workflow = Workflow.objects.get(name=setup.WORKFLOW)
    workflow.start(waiting, editor)
    visits = _visits(articles)
    return {
        "articles": len(articles),
        "in_review": 1 if revision else 0,
        "categories": len([p for p in categories.values() if isinstance(p, CategoryPage)]) + 1,
        "visits": visits,
        "users": [username for username, *_ in PORTAL_USERS],
    }
