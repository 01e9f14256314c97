"""Search ignores diacritics and case, and finds only what the public may read."""

import pytest
from django.urls import reverse

from hoptac.portal import selectors

from .conftest import publish

pytestmark = pytest.mark.django_db


def titles(qs) -> set[str]:
    return {a.title for a in qs}


def test_words_without_diacritics_find_the_article(news):
    publish(news, "Hội nghị tổng kết đơn vị thành viên năm 2020", body="<p>Biểu dương các hợp tác xã.</p>")
    publish(news, "Ký chương trình phối hợp với Ban Dân tộc")
    assert titles(selectors.search_articles("hop tac xa")) == {"Hội nghị tổng kết đơn vị thành viên năm 2020"}
    assert titles(selectors.search_articles("HỘI NGHỊ")) == {"Hội nghị tổng kết đơn vị thành viên năm 2020"}
    assert titles(selectors.search_articles("dan toc")) == {"Ký chương trình phối hợp với Ban Dân tộc"}
    assert titles(selectors.search_articles("đơn vị")) == titles(selectors.search_articles("don vi"))


def test_the_abbreviation_finds_the_words_it_stands_for(news):
    publish(news, "Quỹ hỗ trợ phát triển hợp tác xã", intro="Tổng kết năm 2020.")
    assert titles(selectors.search_articles("quy htx")) == {"Quỹ hỗ trợ phát triển hợp tác xã"}


def test_every_word_must_match(news):
    publish(news, "Kế hoạch bồi dưỡng, tập huấn năm 2021")
    assert titles(selectors.search_articles("tap huan 2021")) == {"Kế hoạch bồi dưỡng, tập huấn năm 2021"}
    assert not selectors.search_articles("tap huan 2019").exists()
    assert not selectors.search_articles("   ").exists()


def test_drafts_and_unpublished_articles_are_not_found(news):
    from hoptac.portal.models import ArticlePage

    draft = ArticlePage(title="Hợp tác xã bản nháp", intro="Chưa đăng.", live=False)
    news.add_child(instance=draft)
    withdrawn = publish(news, "Hợp tác xã đã gỡ")
    withdrawn.unpublish()
    assert not selectors.search_articles("hop tac xa").exists()


def test_search_page_lists_results_with_a_bounded_number_of_queries(client, news, django_assert_max_num_queries):
    for n in range(8):
        publish(news, f"Hợp tác xã điển hình số {n}")
    client.get(reverse("portal:search"))  # the site's root paths, cached (in the database) for every page
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:search"), {"q": "hop tac xa dien hinh"})
    assert response.status_code == 200
    assert response.context["results"].paginator.count == 8
    assert "Hợp tác xã điển hình số 7" in response.content.decode()


def test_search_page_without_query_shows_the_form_only(client, tree):
    response = client.get(reverse("portal:search"))
    assert response.status_code == 200
    assert response.context["results"] is None
