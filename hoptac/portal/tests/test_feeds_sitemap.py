"""RSS, Atom and sitemap.xml parse as XML and list exactly the public pages."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from .conftest import publish

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def articles(news, tree):
    older = publish(news, "Hội nghị Ban Chấp hành lần thứ 2", day=datetime.date(2021, 1, 12))
    newer = publish(tree["thong-bao"], "Phát động thi đua năm 2021", day=datetime.date(2021, 3, 1))
    draft = publish(news, "Tin đã gỡ xuống", day=datetime.date(2021, 3, 5))
    draft.unpublish()
    return older, newer


def test_rss_lists_the_newest_articles_first_with_absolute_links(client, articles):
    older, newer = articles
    response = client.get(reverse("portal:rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [newer.title, older.title]
    assert items[0].findtext("link") == "http://testserver" + newer.url
    assert items[0].findtext("description") == newer.intro
    assert "Tin đã gỡ xuống" not in response.content.decode()


def test_atom_feed_parses_and_has_the_same_entries(client, articles):
    older, newer = articles
    response = client.get(reverse("portal:atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [newer.title, older.title]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver" + newer.url


def test_sitemap_lists_public_pages_articles_and_published_reports(client, articles, archive_page):
    older, newer = articles
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {u.findtext(f"{SITEMAP}loc") for u in ET.fromstring(response.content).findall(f"{SITEMAP}url")}
    base = "http://testserver"
    assert {base + "/", base + reverse("directory:list"), base + reverse("public_reports:list")} <= locations
    assert {base + older.url, base + newer.url, base + archive_page.url} <= locations
    assert not any("tin-da-go-xuong" in loc for loc in locations)
    # The portal's root only redirects to the home page: not listed twice.
    assert base + "/portal/" not in locations


def test_pages_link_their_feeds_for_readers(client, articles):
    html = client.get("/").content.decode()
    assert f'type="application/rss+xml" title="Tin tức (RSS)" href="{reverse("portal:rss")}"' in html
    assert f'href="{reverse("portal:atom")}"' in html
