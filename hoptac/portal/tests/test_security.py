"""What the portal serves and how: only Wagtail's image folders of MEDIA_ROOT; strict CSP outside the CMS."""

import pytest
from django.urls import reverse

from .conftest import picture

pytestmark = pytest.mark.django_db


def test_images_are_served_but_no_other_file_of_media_root(client, tree, media_root):
    image = picture()
    rendition = image.get_rendition("fill-480x270|format-webp")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    (media_root / "reports").mkdir(parents=True)
    (media_root / "reports" / "bao-cao.pdf").write_bytes(b"%PDF")
    for path in ["/media/reports/bao-cao.pdf", "/media/images/../reports/bao-cao.pdf", "/media/fund/x.pdf"]:
        assert client.get(path).status_code == 404, path


def test_public_pages_keep_the_strict_policy(client, news):
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "unsafe-inline" not in client.get(news.url)["Content-Security-Policy"]


def test_cms_pages_run_only_their_own_scripts(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:add", args=["portal", "articlepage", editor.pk and 4]))
    csp = response["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert f'<script nonce="{nonce}"' in html
    assert "script-src 'self' 'nonce-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in csp


def test_the_cms_loads_nothing_from_outside(client, editor):
    import re

    client.force_login(editor)
    for url in ["/cms/", "/cms/pages/", "/cms/images/"]:
        html = client.get(url).content.decode()
        for asset in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
            assert not asset.startswith(("http://", "https://", "//")), (url, asset)
        assert "gravatar" not in html
