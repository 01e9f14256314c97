"""The home page: headline figures, the latest news, the published reports; light on queries."""

import datetime
import re

import pytest
from django.urls import reverse

from conftest import make_org

from .conftest import issued_report, picture, publish

pytestmark = pytest.mark.django_db
D = datetime.date


def test_home_shows_the_latest_news_newest_first_and_the_published_reports(client, news, tree, commune_tan_yen):
    make_org(commune_tan_yen, name="Hợp tác xã Nông nghiệp Thử nghiệm")
    publish(news, "Hội nghị Ban Chấp hành lần thứ 2", day=D(2021, 1, 12))
    publish(tree["van-ban"], "Kế hoạch bồi dưỡng, tập huấn năm 2021", day=D(2021, 1, 20))
    hidden = publish(news, "Tin đã gỡ", day=D(2021, 3, 30))
    hidden.unpublish()
    issued_report(2021, 1)
    issued_report(2020, 4, published=False)

    response = client.get(reverse("home"))
    html = response.content.decode()

    assert [a.title for a in response.context["news"]] == [
        "Kế hoạch bồi dưỡng, tập huấn năm 2021",
        "Hội nghị Ban Chấp hành lần thứ 2",
    ]
    assert response.context["news"][0].category_title == "Văn bản"
    assert "Tin đã gỡ" not in html
    assert "quý I năm 2021" in html and "quý IV năm 2020" not in html
    assert response.context["figures"][0]["count"] == 1  # the headline counts are still there
    for category in ("Tin tức", "Văn bản", "Báo cáo", "Gương điển hình", "Thông báo"):
        assert f">{category}</a>" in html


def test_home_has_a_description_and_open_graph_tags(client, tree):
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    assert '<meta property="og:title" content="Liên minh Hợp tác xã tỉnh Bắc Giang">' in html
    assert '<meta property="og:url" content="http://testserver/">' in html


def count_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def test_home_queries_do_not_grow_with_the_news(client, news, tree):
    image = picture()
    publish(news, "Tin 1", image=image)
    issued_report(2021, 1)
    client.get(reverse("home"))  # renditions are made on the first view
    few = count_queries(client)
    for n in range(2, 10):
        publish(tree["thong-bao"] if n % 2 else news, f"Tin {n}", image=picture(f"anh-{n}.png"))
    issued_report(2020, 4)
    issued_report(2020, 3)
    client.get(reverse("home"))
    many = count_queries(client)
    assert many == few, (few, many)
    assert many <= 20


def test_article_page_has_title_description_open_graph_and_its_attachments(client, news):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from hoptac.portal.models import ArticleAttachment

    page = publish(
        news,
        "Tổng kết Quỹ hỗ trợ phát triển HTX năm 2020",
        intro="Quỹ tiếp nhận thêm 3 tỷ đồng.",
        image=picture(),
        image_caption="Toàn cảnh hội nghị",
    )
    document = get_document_model().objects.create(
        title="Báo cáo tổng kết Quỹ", file=ContentFile(b"%PDF-1.4", name="quy.pdf")
    )
    ArticleAttachment.objects.create(page=page, document=document)
    response = client.get(page.url)
    html = response.content.decode()
    assert "<title>Tổng kết Quỹ hỗ trợ phát triển HTX năm 2020 · " in html
    assert '<meta name="description" content="Quỹ tiếp nhận thêm 3 tỷ đồng.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/media/images/[^"]+\.jpg">', html)
    assert "Toàn cảnh hội nghị" in html
    assert document.url in html and "Báo cáo tổng kết Quỹ" in html
    assert client.get(document.url).status_code == 200


def test_category_page_lists_its_articles_with_pages(client, news):
    for n in range(14):
        publish(news, f"Tin số {n:02d}", day=D(2021, 1, 1) + datetime.timedelta(days=n))
    response = client.get(news.url)
    assert [a.title for a in response.context["articles"]][:2] == ["Tin số 13", "Tin số 12"]
    assert len(response.context["articles"]) == 12
    assert "Tin số 00" in client.get(news.url, {"page": 2}).content.decode()


def test_portal_root_sends_readers_to_the_home_page(client, tree):
    response = client.get(tree["home"].url)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_the_menus_news_link_opens_the_first_category_and_is_marked_there(client, tree, news):
    response = client.get(reverse("portal:news"))
    assert response.status_code == 302 and response["Location"] == news.url
    page = client.get(news.url).content.decode()
    assert f'href="{reverse("portal:news")}" aria-current="page"' in page
