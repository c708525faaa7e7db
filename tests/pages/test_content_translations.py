"""The network's own words in French, Arabic and Spanish: the history's translations, their
states (missing, up to date, outdated), how pages show them, the content report, and the
translators' pages."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from core.content_translation import CURRENT, MISSING, OUTDATED, confirm, report, state
from events.models import AgendaItem, Event
from pages.history import load_history, read_history
from pages.models import ContentBlock, JourneyStage
from resources.models import Resource
from tests.helpers import make_event, make_member_user, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(db):
    return make_user("tradu@example.org", "Translators")


@pytest.fixture
def translator_client(client, translator):
    client.force_login(translator)
    return client


def test_the_history_is_loaded_in_four_languages(history):
    paris = Event.objects.get(slug="paris-2019")
    assert paris.title_fr == "Séance de travail ALL-IN à Paris"
    assert paris.title_ar == "جلسة عمل ALL-IN في باريس"
    assert paris.title_es == "Sesión de trabajo de ALL-IN en París"
    assert "20 février 2019" in paris.description_fr
    assert "20 de febrero de 2019" in paris.description_es
    assert "20 فبراير 2019" in paris.description_ar
    # Names stay as they are.
    assert "Beatriz Pont" in paris.description_ar
    agenda = AgendaItem.objects.filter(event=paris).order_by("order")
    assert agenda[0].title_es == "Panorama del campo: aprendizaje entre países"
    outcomes = list(paris.outcomes.order_by("kind", "order").values_list("text_fr", flat=True))
    assert (
        outcomes[-1]
        == "Les cinq rapports seront présentés et discutés plus avant lors de WISE 2019."
    )
    assert JourneyStage.objects.get(key="into-action").name_ar == "إلى العمل"


def test_a_fresh_install_has_nothing_missing(history):
    rows = report()
    assert {r["language"] for r in rows} == {"fr", "ar", "es"}
    assert sum(r["objects"] for r in rows) > 100 * 3
    assert sum(r["missing_objects"] + r["outdated_objects"] for r in rows) == 0
    out = io.StringIO()
    call_command("content_report", "--fail", stdout=out)
    assert "fr: " in out.getvalue() and "0 missing (0 fields)" in out.getvalue()


def test_loading_again_writes_nothing_and_keeps_edits(history):
    block = ContentBlock.objects.get(key="mission")
    block.body_fr = "Notre mission, revue par le secrétariat."
    block.save()
    assert load_history(read_history()) == {}
    block.refresh_from_db()
    assert block.body_fr == "Notre mission, revue par le secrétariat."
    load_history(read_history(), update=True)
    block.refresh_from_db()
    assert block.body_fr.startswith("La mission d'ALL-IN est d'accompagner")


def test_a_database_loaded_before_the_translations_gets_them(db):
    data = read_history()
    load_history({**data, "translations": {}})
    assert not Event.objects.get(slug="paris-2019").title_fr
    load_history(data)
    paris = Event.objects.get(slug="paris-2019")
    assert paris.title_fr == "Séance de travail ALL-IN à Paris"
    assert (
        AgendaItem.objects.filter(event=paris, order=1).get().title_ar
        == "واقع المجال: التعلّم عبر البلدان"
    )
    assert (
        Resource.objects.get(slug="improving-school-leadership").abstract_translations.count() == 3
    )


def test_states_missing_up_to_date_outdated():
    event = make_event(title="Regional forum", summary="")
    assert state(event, "title", "fr") == MISSING
    assert state(event, "summary", "fr") == CURRENT  # no English, nothing to translate
    event.title_fr = "Forum régional"
    event.save()
    event.refresh_from_db()
    assert state(event, "title", "fr") == CURRENT
    assert state(event, "title", "ar") == MISSING
    event.title_en = "Regional forum of Dakar"
    event.save()
    event.refresh_from_db()
    assert state(event, "title", "fr") == OUTDATED
    event.title_fr = "Forum régional de Dakar"
    event.save()
    event.refresh_from_db()
    assert state(event, "title", "fr") == CURRENT
    # A translator who finds the translation still right confirms it.
    event.title_en = "Regional forum of Dakar "  # same words after trimming
    event.save()
    assert state(event, "title", "fr") == CURRENT
    event.title_en = "Regional Forum, Dakar"
    event.save()
    assert state(event, "title", "fr") == OUTDATED
    confirm(event, "title", "fr")
    event.save(update_fields=["translation_sources"])
    event.refresh_from_db()
    assert state(event, "title", "fr") == CURRENT


def test_the_report_counts_missing_and_outdated(history):
    paris = Event.objects.get(slug="paris-2019")
    paris.summary_en = "A new English summary."
    paris.save()
    make_event(slug="dakar-2031", title="Dakar forum")
    rows = {(r["language"], r["kind"]): r for r in report()}
    fr = rows[("fr", "events.event")]
    assert (fr["missing_objects"], fr["outdated_objects"], fr["outdated_fields"]) == (1, 1, 1)
    out = io.StringIO()
    with pytest.raises(Exception, match="objects to translate"):
        call_command("content_report", "-l", "ar", "--fail", stdout=out)
    assert "events.event: 1 missing, 1 outdated" in out.getvalue()


def test_pages_show_the_translation_and_note_an_outdated_one(client, history, settings):
    paris = Event.objects.get(slug="paris-2019")
    url = reverse("events:detail", args=[paris.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Séance de travail ALL-IN à Paris" in page
    assert "État des lieux : apprendre d&#x27;un pays à l&#x27;autre" in page
    assert "pourrait ne plus être à jour" not in page
    paris.summary_en = "The third working session, told anew."
    paris.save()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "cinq chercheurs y ont été associés" in page
    assert "Cette traduction pourrait ne plus être à jour." in page
    # Staff chose the English for Spanish readers: marked as English.
    settings.CONTENT_OUTDATED_SHOW_ORIGINAL = ["es"]
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<span lang="en" dir="ltr">The third working session, told anew.</span>' in page
    assert "cinco investigadores se emparejaron" not in page


def test_english_fallback_in_arabic_is_isolated(client, history):
    stage = JourneyStage.objects.get(key="into-action")
    stage.narrative_ar = ""
    stage.save()
    page = client.get(reverse("journey"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<div lang="en" dir="ltr"><p>The third working session for ALL-IN in Paris' in page
    assert "ورشة عمل باريس" in page


def test_french_readers_find_translated_titles_and_topics(client, history):
    page = client.get("/resources/?q=écosystèmes", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "wise-local-learning-ecosystems-emerging-models" in page
    page = client.get("/resources/?q=laissés+pour+compte", HTTP_ACCEPT_LANGUAGE="fr")
    assert "what-next-for-children-furthest-behind" in page.content.decode()
    page = client.get("/resources/?q=liderazgo+distribuido", HTTP_ACCEPT_LANGUAGE="es")
    assert "educational-leadership-a-multilevel-distributed-perspective" in page.content.decode()
    detail = client.get(
        reverse("resources:detail", args=["improving-school-leadership"]),
        HTTP_ACCEPT_LANGUAGE="ar",
    ).content.decode()
    assert "<h1>تحسين القيادة المدرسية</h1>" in detail


# The translator role: translations only.


def test_a_translator_sees_what_is_left_and_translates_it(translator_client, history):
    event = make_event(slug="dakar-2031", title="Dakar forum", summary="On leadership.")
    listing = translator_client.get(
        reverse("translations:list", args=["ar"]) + "?kind=events.event"
    )
    assert listing.status_code == 200
    assert "Dakar forum" in listing.content.decode()
    assert "paris-2019" not in listing.content.decode()
    url = reverse("translations:edit", args=["ar", "events.event", event.pk])
    page = translator_client.get(url)
    assert page.status_code == 200
    assert "On leadership." in page.content.decode()  # the English beside the form
    response = translator_client.post(
        url,
        {
            "title_ar": "منتدى داكار",
            "summary_ar": "عن القيادة.",
            # Whatever else is posted is not a field of the form.
            "title_en": "Hacked",
            "title": "Hacked",
            "slug": "hacked",
            "capacity": "1",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_ar, event.summary_ar) == ("منتدى داكار", "عن القيادة.")
    assert (event.title_en, event.slug, event.capacity) == ("Dakar forum", "dakar-2031", 2)
    assert state(event, "title", "ar") == CURRENT
    with translation.override("ar"):
        assert event.title == "منتدى داكار"


def test_a_translator_is_refused_everywhere_else(translator_client, history):
    paris = Event.objects.get(slug="paris-2019")
    assert translator_client.get("/admin/").status_code == 302  # not staff: the login page
    change = translator_client.get(f"/admin/events/event/{paris.pk}/change/")
    assert change.status_code == 302 and "/admin/login/" in change["Location"]
    assert translator_client.get(reverse("events:attendees", args=[paris.slug])).status_code == 403
    assert translator_client.get(reverse("translations:list", args=["de"])).status_code == 404
    assert translator_client.get(reverse("translations:list", args=["en"])).status_code == 404
    bad = reverse("translations:edit", args=["fr", "members.member", 1])
    assert translator_client.get(bad).status_code == 404
    assert translator_client.delete(reverse("translations:list", args=["fr"])).status_code == 405


def test_members_and_visitors_cannot_translate(client, history):
    url = reverse("translations:edit", args=["fr", "events.event", Event.objects.first().pk])
    visitor = client.post(url, {"title_fr": "x"})
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]
    client.force_login(make_member_user(1))
    assert client.get(reverse("translations:list", args=["fr"])).status_code == 403
    assert client.post(url, {"title_fr": "x"}).status_code == 403
    assert Event.objects.exclude(title_fr="x").count() == Event.objects.count()


def test_network_admins_translate_too(network_admin_client, history):
    assert network_admin_client.get(reverse("translations:list", args=["es"])).status_code == 200


def test_country_names_follow_the_page_language(client, member_user):
    """The directory's country filter is cached data: its key holds the language."""
    client.force_login(member_user)
    english = client.get("/members/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    arabic = client.get("/members/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    spanish = client.get("/members/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Ghana" in english
    assert "غانا" in arabic and ">Ghana" not in arabic
    assert "Ghana" in spanish and "غانا" not in spanish
