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


# Our catalogues come before the libraries' in Django's lookup, so a msgid we translate without a
# context also replaces the translation of the same words in the CMS (Wagtail) and Django's admin.
# Only these words may read differently there: the same meaning in other words.
SYNONYMS_OF_THE_LIBRARIES = {
    "Action",
    "Administration",
    "Approved",
    "Cancel",
    "Change",
    "Draft",
    "Edit",
    "Filter",
    "History",  # theirs reads "Bản ghi nhớ" (a memo): ours is the better word for the admin too
    "Log out",
    "Page not found",
    "Renamed",
    "users",
    "version",
}


def test_our_words_do_not_change_the_meaning_of_the_cms_and_admin_words():
    import wagtail

    libraries = [Path(wagtail.__file__).parent, Path(__import__("django").__file__).parent / "contrib"]
    theirs: dict[str, str] = {}
    for root in libraries:
        for path in root.glob("**/locale/vi/LC_MESSAGES/django.po"):
            for entry in polib.pofile(str(path)):
                if entry.msgstr and not entry.msgctxt:
                    theirs.setdefault(entry.msgid, entry.msgstr)
    clashes = [
        f"{path.relative_to(settings.BASE_DIR)}: {entry.msgid!r} = {entry.msgstr!r}, theirs {theirs[entry.msgid]!r}"
        for path in CATALOGUES
        for entry in polib.pofile(str(path))
        if not entry.obsolete
        and not entry.msgctxt
        and entry.msgid in theirs
        and entry.msgstr.lower() != theirs[entry.msgid].lower()
        and entry.msgid not in SYNONYMS_OF_THE_LIBRARIES
    ]
    assert not clashes, "give these a context (pgettext):\n" + "\n".join(clashes)
