from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

# The project's catalogue and the apps' own (apps added later keep their strings apart).
PROJECT = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CATALOGUES = sorted([PROJECT] + list((Path(settings.BASE_DIR) / "hoptac").glob("*/locale/vi/LC_MESSAGES/django.po")))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_vietnamese_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:10]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:10]
    for entry in po.translated_entries():  # placeholders survive translation
        source = entry.msgid_plural or entry.msgid
        target = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        for mark in ("%(", "%s", "%d"):
            assert source.count(mark) == target.count(mark), entry.msgid


@pytest.mark.django_db
def test_vietnamese_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode() and "Đăng nhập" not in response.content.decode()


@pytest.mark.django_db
def test_error_pages_are_the_products_own(client, settings, officer, org_hiep_hoa):
    settings.DEBUG = False
    client.force_login(officer)
    response = client.get(reverse("registry:detail", args=[org_hiep_hoa.pk]))
    assert response.status_code == 404
    assert "site-header" in response.content.decode() and org_hiep_hoa.name not in response.content.decode()


def test_app_catalogues_do_not_contradict_the_projects():
    # The project's catalogue (LOCALE_PATHS) wins over an app's for the same msgid, so an
    # app translation that differs would silently never show: give such strings a context.
    root = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PROJECT)).translated_entries()}
    for path in CATALOGUES:
        if path == PROJECT:
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            assert root.get(key, entry.msgstr) == entry.msgstr, (str(path), entry.msgid)
