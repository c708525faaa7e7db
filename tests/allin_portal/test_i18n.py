"""The portal in French, Arabic and Spanish: catalogues, <html lang dir>, English fallback marked
as English, the language switcher and the account's language, search in every language."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from members.models import User
from pages.models import ContentBlock
from resources.models import Resource
from tests.helpers import make_resource, make_user

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("fr", "ar", "es")
PLURAL_FORMS = {"fr": 2, "es": 2, "ar": 6}


def compiled(code):
    with open(ROOT / "locale" / code / "LC_MESSAGES" / "django.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every marked string of the portal today, extracted afresh by makemessages."""
    copy = tmp_path_factory.mktemp("portal")
    own_apps = [c.name for c in apps.get_app_configs() if Path(c.path).parent == ROOT]
    for name in [*own_apps, "templates", "locale"]:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "extract", "DJANGO_SETTINGS_MODULE": ""},
    )
    return [e for e in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po")) if e.msgid]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_marked_string_is_translated_in_the_compiled_catalogue(code, extracted):
    catalogue = compiled(code)
    missing = []
    for entry in extracted:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            forms = [catalogue._catalog.get((key, i)) for i in range(PLURAL_FORMS[code])]
            if not all(forms):
                missing.append(entry.msgid)
        elif not catalogue._catalog.get(key):
            missing.append(entry.msgid)
    assert len(extracted) > 700
    assert missing == [], f"untranslated in {code} (run `make messages`): {missing[:10]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_sources_have_no_fuzzy_or_empty_entry_and_the_right_plurals(code):
    source = polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))
    assert source.fuzzy_entries() == []
    assert source.untranslated_entries() == []
    assert f"nplurals={PLURAL_FORMS[code]};" in source.metadata["Plural-Forms"]
    # The compiled file is the source's: msgfmt builds it in `make`.
    assert compiled(code).gettext("Skip to content") == source.find("Skip to content").msgstr


def test_arabic_plurals_choose_the_six_forms():
    arabic = compiled("ar")
    forms = {n: arabic.ngettext("%(n)s member", "%(n)s members", n) for n in (0, 1, 2, 5, 11, 100)}
    assert len(set(forms.values()) - {forms[0]}) >= 4
    assert forms[5] == "%(n)s أعضاء" and forms[11] == "%(n)s عضوًا"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,direction,text",
    [
        ("ar", "rtl", "الانتقال إلى المحتوى"),
        ("fr", "ltr", "Aller au contenu"),
        ("es", "ltr", "Saltar al contenido"),
        ("en", "ltr", "Skip to content"),
    ],
)
@pytest.mark.parametrize("url", ["home", "about", "resources:list", "members:list", "events:list"])
def test_html_lang_and_dir_are_the_language_served(client, code, direction, text, url):
    response = client.get(reverse(url), HTTP_ACCEPT_LANGUAGE=code)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert text in html
    assert response["Content-Language"] == code


@pytest.mark.django_db
def test_unsupported_language_falls_back_to_english_and_says_so(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en" dir="ltr">' in html


@pytest.mark.django_db
def test_missing_translation_shows_english_marked_as_english(client):
    ContentBlock.objects.create(key="contact", body="Write to the **secretariat**.")
    html = client.get(reverse("contact"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert (
        '<div lang="en" dir="ltr"><p>Write to the <strong>secretariat</strong>.</p></div>' in html
    )
    # The same page in English carries no extra marking.
    html = client.get(reverse("contact"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en" dir="ltr"><p>Write' not in html


@pytest.mark.django_db
def test_translated_text_is_shown_in_its_language_without_fallback_marking(client):
    block = ContentBlock.objects.create(key="contact", body="Write to the secretariat.")
    block.body_fr = "Écrivez au <b>secrétariat</b>."
    block.save()
    html = client.get(reverse("contact"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Écrivez au <b>secrétariat</b>." not in html  # Markdown is sanitised, not raw HTML
    assert "Écrivez au" in html
    assert "Write to the secretariat" not in html
    assert '<div lang="en"' not in html
    html = client.get(reverse("contact"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<div lang="en" dir="ltr"><p>Write to the secretariat.</p></div>' in html


@pytest.mark.django_db
def test_history_loads_english_and_arabic_pages_mark_it(client, history):
    html = client.get(reverse("about"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="en" dir="ltr">' in html
    assert "ثلاثة مسارات نحو النجاح" in html


@pytest.mark.django_db
def test_a_resource_title_in_its_own_language_is_marked_on_other_pages(client):
    make_resource("Évaluation des chefs d'établissement", language="fr")
    html = client.get(reverse("resources:list"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<span lang="fr" dir="ltr">Évaluation des chefs d&#x27;établissement</span>' in html
    html = client.get(reverse("resources:list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span lang="fr"' not in html


@pytest.mark.django_db
def test_switcher_is_on_every_page_and_works_without_javascript(client):
    html = client.get(reverse("about")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert '<option value="ar" lang="ar">العربيّة</option>' in html
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    html = client.get(reverse("about")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<option value="ar" lang="ar" selected>' in html


@pytest.mark.django_db
def test_switcher_refuses_get_unknown_languages_and_foreign_redirects(client):
    assert client.get(reverse("set_language"), {"language": "fr"}).status_code == 405
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/about/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


@pytest.mark.django_db
def test_a_signed_in_choice_is_stored_on_the_account(member_client, member_user):
    member_client.post(reverse("set_language"), {"language": "es", "next": "/"})
    member_user.refresh_from_db()
    assert member_user.language == "es"


@pytest.mark.django_db
def test_signing_in_applies_the_account_language(client):
    make_user("farid@example.org", language="ar")
    response = client.post(
        reverse("account_login"),
        {"login": "farid@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.django_db
def test_signing_up_keeps_the_language_being_read(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nadia@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="nadia@example.org").language == "fr"


@pytest.mark.django_db
def test_a_page_is_never_served_in_the_language_asked_for_before(client, settings):
    # The data cache's keys hold the language (tests/core/test_datacache.py).
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="fr"' in french and '<html lang="ar"' in arabic
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert '<html lang="es"' in client.get("/").content.decode()


def search_titles(client, q, code="en"):
    html = client.get(reverse("resources:list"), {"q": q}, HTTP_ACCEPT_LANGUAGE=code).content
    return set(re.findall(r"<h3><a href=\"[^\"]+\">(?:<span[^>]*>)?([^<]+)", html.decode()))


@pytest.mark.django_db
def test_a_french_abstract_is_found_by_another_form_of_a_french_word(client):
    make_resource(
        "Rapport annuel",
        language="fr",
        abstract="Les directeurs d'école évaluent leurs établissements chaque année.",
    )
    make_resource("Unrelated", abstract="Nothing about it here.")
    assert search_titles(client, "évaluation") == {"Rapport annuel"}
    assert search_titles(client, "etablissement", "fr") == {"Rapport annuel"}
    assert search_titles(client, "directeur") == {"Rapport annuel"}


@pytest.mark.django_db
def test_an_arabic_title_is_found_by_its_words(client):
    make_resource("القيادة المدرسية في المدارس العربية", language="ar", slug="arab-leadership")
    make_resource("School leadership in England")
    assert search_titles(client, "القيادة", "ar") == {"القيادة المدرسية في المدارس العربية"}
    assert search_titles(client, "مدارس", "ar") == {"القيادة المدرسية في المدارس العربية"}


@pytest.mark.django_db
def test_english_stems_accents_and_negation_still_work(client):
    make_resource("Evaluación de programas", language="es", abstract="Evaluaciones de liderazgo.")
    make_resource("Leading schools", abstract="Principals leading change.")
    assert search_titles(client, "evaluacion") == {"Evaluación de programas"}
    assert search_titles(client, "leads") == {"Leading schools"}
    assert search_titles(client, "liderazgo -programas") == set()
    assert Resource.objects.count() == 2


@pytest.mark.django_db
def test_a_translated_abstract_is_shown_in_its_language_with_the_original_at_hand(client):
    resource = make_resource("Coaching principals", abstract="Principals coached in pairs.")
    resource.abstract_translations.create(language="fr", text="Des chefs d'établissement.")
    url = resource.get_absolute_url()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert french.context["translated_abstract"] == "Des chefs d'établissement."
    html = french.content.decode()
    assert '<p dir="auto">Des chefs d&#x27;établissement.</p>' in html
    assert '<p dir="auto" lang="en">Principals coached in pairs.</p>' in html  # the original
    # No Arabic translation: the English original, marked as English.
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic.context["translated_abstract"] is None
    assert '<p dir="auto" lang="en">Principals coached in pairs.</p>' in arabic.content.decode()
    assert "Des chefs" not in arabic.content.decode()


@pytest.mark.django_db
def test_a_translated_abstract_is_searchable_and_entered_in_the_back_office(client):
    admin = make_user("root@example.org", is_staff=True, is_superuser=True)
    resource = make_resource("Coaching principals", abstract="Principals coached in pairs.")
    client.force_login(admin)
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "countries": [],
            "topics": "",
            "abstract_translations-TOTAL_FORMS": "1",
            "abstract_translations-INITIAL_FORMS": "0",
            "abstract_translations-0-language": "es",
            "abstract_translations-0-text": "Directores escolares acompañados por mentores.",
            "file_versions-TOTAL_FORMS": "0",
            "file_versions-INITIAL_FORMS": "0",
        }
    )
    refused = client.post(url, {**data, "abstract_translations-0-language": "en"})
    assert refused.status_code == 200  # the abstract itself is English
    assert not resource.abstract_translations.exists()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert resource.abstract_translations.get().language == "es"
    client.logout()
    assert search_titles(client, "mentores", "es") == {"Coaching principals"}
    assert search_titles(client, "acompañado") == {"Coaching principals"}
