"""Rich text is cleaned on every save: nothing executable reaches a public page."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from hoptac.portal.models import ArticlePage, slug_for
from hoptac.portal.richtext import sanitise

from .conftest import publish

ATTACKS = (
    '<p>Tin <script>alert("x")</script>bài</p>'
    '<img src="x" onerror="alert(1)">'
    '<p onclick="alert(2)" style="color:red">Đoạn <a href="javascript:alert(3)">liên kết</a></p>'
    '<iframe src="https://example.com"></iframe><style>body{display:none}</style>'
    '<svg onload="alert(4)"><circle/></svg>'
)


def test_sanitise_keeps_the_allowed_markup():
    html = (
        '<h2>Kết quả</h2><p><b>Đậm</b> và <i>nghiêng</i> <a href="https://bacgiang.gov.vn/">liên kết</a></p>'
        "<ul><li>Một</li></ul>"
    )
    cleaned = sanitise(html)
    for kept in ("<h2>Kết quả</h2>", "<b>Đậm</b>", "<i>nghiêng</i>", 'href="https://bacgiang.gov.vn/"', "<li>Một</li>"):
        assert kept in cleaned
    assert sanitise(cleaned) == cleaned


def test_sanitise_removes_scripts_handlers_styles_and_javascript_urls():
    cleaned = sanitise(ATTACKS)
    for refused in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "style=",
        "javascript:",
        "<iframe",
        "<style",
        "<svg",
        "onload",
    ):
        assert refused not in cleaned, refused
    assert "Tin bài" in cleaned and "liên kết" in cleaned


@pytest.mark.django_db
def test_a_body_written_in_code_is_cleaned_before_it_is_stored_and_served(client, news):
    page = publish(news, "Tin có mã độc", body=ATTACKS)
    stored = ArticlePage.objects.get(pk=page.pk).body
    assert "<script" not in stored and "onerror" not in stored
    html = client.get(page.url).content.decode()
    assert "alert(" not in html and "onerror=" not in html and "onclick=" not in html


@pytest.mark.django_db
def test_html_typed_into_the_editor_is_shown_as_text_not_run(client, editor, news):
    client.force_login(editor)
    title = "Tin gõ mã vào trình soạn thảo"
    data = nested_form_data(
        {
            "title": title,
            "slug": slug_for(title),
            "date": "2021-03-20",
            "intro": "Tóm tắt.",
            "body": rich_text("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;</p>"),
            "attachments": inline_formset([]),
        }
    )
    response = client.post(reverse("wagtailadmin_pages:add", args=["portal", "articlepage", news.pk]), data)
    assert response.status_code == 302
    page = ArticlePage.objects.get(title=title)
    assert "<script" not in page.body and "<img" not in page.body
    assert "&lt;script&gt;" in page.body
