"""Registration and survey questions in the event's languages (issue 13)."""

import csv
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from events.models import Event, Registration
from events.questions import Answer, Question
from tests.helpers import make_event


@pytest.fixture(autouse=True)
def clear_rate_limits(db):
    cache.clear()


@pytest.fixture
def event(db):
    return make_event(
        registration_policy=Event.RegistrationPolicy.ANYONE, capacity=None, languages=["en", "fr"]
    )


@pytest.fixture
def session_question(event):
    return Question.objects.create(
        event=event,
        form=Question.Form.REGISTRATION,
        kind=Question.Kind.CHOICE,
        label_en="Which session?",
        label_fr="Quelle séance ?",
        help_text_en="Pick one.",
        help_text_fr="Choisissez-en une.",
        choices=["Morning panel", "Afternoon lab"],
        choice_labels={"fr": ["Table ronde du matin", "Atelier de l'après-midi"]},
        required=True,
    )


def in_french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def guest(**extra):
    return {
        "name": "Camille Martin",
        "email": "camille@example.net",
        "organization": "Académie",
        "country": "FR",
        "role": "practitioner",
        **extra,
    }


def register_url(event):
    return reverse("events:register", kwargs={"slug": event.slug})


def test_french_registrant_sees_french_and_staff_see_the_canonical_answer(
    client, staff_user, event, session_question
):
    yes_no = Question.objects.create(
        event=event, form="registration", kind="yes_no", label_en="Vegetarian?", order=1
    )
    page = in_french(client).get(register_url(event))
    assert page.status_code == 200 and '<html lang="fr"' in page.text
    assert "Quelle séance ?" in page.text and "Choisissez-en une." in page.text
    assert (
        "Atelier de l&#x27;après-midi</label>" in page.text and ">Afternoon lab<" not in page.text
    )
    # The question without French wording falls back to English, marked as English.
    assert '<span lang="en" dir="ltr">Vegetarian?</span>' in page.text
    answer = {session_question.field_name: "Afternoon lab", yes_no.field_name: "yes"}
    response = client.post(register_url(event), guest(**answer))
    assert response.status_code == 302
    registration = Registration.objects.get()
    stored = {a.label: (a.value, a.text) for a in registration.answers.all()}
    assert stored == {
        "Which session?": ("Afternoon lab", "Afternoon lab"),
        "Vegetarian?": (True, "Yes"),
    }
    registration.status = Registration.Status.CONFIRMED
    registration.save()
    client.cookies.clear()
    client.force_login(staff_user)
    attendees = reverse("events:attendees", kwargs={"slug": event.slug})
    page = client.get(attendees, {"question": session_question.pk, "answer": "afternoon"})
    assert page.status_code == 200 and "Camille Martin" in page.text
    page = client.get(attendees, {"question": session_question.pk, "answer": "atelier"})
    assert "Camille Martin" not in page.text
    export = client.get(reverse("events:export", kwargs={"slug": event.slug}))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert "Which session?" in rows[0] and "Afternoon lab" in rows[1]


def test_english_page_shows_no_lang_marking_and_choices_in_english(client, event, session_question):
    page = client.get(register_url(event))
    assert "Which session?" in page.text and "Morning panel" in page.text
    assert "Quelle séance" not in page.text and 'lang="en" dir="ltr">Which' not in page.text


def test_spanish_page_falls_back_to_english_marked(client, event, session_question):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(register_url(event))
    assert '<span lang="en" dir="ltr">Which session?</span>' in page.text
    assert '<span lang="en" dir="ltr">Pick one.</span>' in page.text
    assert '<span lang="en" dir="ltr">Morning panel</span>' in page.text


def test_french_survey_respondent_sees_french(client, db):
    from django.utils import timezone

    from events import services

    event = make_event(
        registration_policy=Event.RegistrationPolicy.ANYONE,
        survey_open=True,
        languages=["en", "fr"],
        starts_at=timezone.now() - timezone.timedelta(hours=2),
    )
    question = Question.objects.create(
        event=event,
        form=Question.Form.SURVEY,
        kind=Question.Kind.CHOICES,
        label_en="What helped?",
        label_fr="Qu'est-ce qui a aidé ?",
        choices=["Talks", "Visits"],
        choice_labels={"fr": ["Exposés", "Visites"]},
    )
    registration = services.register(
        event=event, guest=services.Guest(name="G", email="g@example.net"), by=None
    )
    token = registration.ensure_link()
    services.confirm_guest(registration=registration, token=token)
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now())
    url = reverse("events:survey", kwargs={"slug": event.slug})
    page = in_french(client).get(url, {"r": token})
    assert "Qu&#x27;est-ce qui a aidé ?" in page.text and "Visites" in page.text
    response = client.post(url, {"r": token, question.field_name: ["Visits"]})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.label == "What helped?" and answer.value == ["Visits"]


def test_staff_word_questions_in_the_events_languages(staff_client, event):
    url = reverse("events:questions", kwargs={"slug": event.slug})
    page = staff_client.get(url)
    assert 'name="label_fr"' in page.text and 'name="choices_fr"' in page.text
    assert 'name="label_ar"' not in page.text
    response = staff_client.post(
        url,
        {
            "form": "registration",
            "label_en": "Diet",
            "label_fr": "Régime",
            "kind": "choice",
            "choices": "Vegetarian\nVegan",
            "choices_fr": "Végétarien\nVégétalien",
            "order": 0,
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.label_en, question.label_fr) == ("Diet", "Régime")
    assert question.choices == ["Vegetarian", "Vegan"]
    assert question.choice_labels == {"fr": ["Végétarien", "Végétalien"]}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"choices_fr": "Végétarien"}, "Give 2 choices, one per line in the same order"),
        ({"choices_fr": "A\nB\nC"}, "(you gave 3)"),
        ({"choices_fr": "A\n" + "b" * 201}, "A choice has at most 200 characters."),
        ({"label_fr": "q" * 301}, "at most 300 characters"),
        ({"kind": "short_text", "choices": "", "choices_fr": "A\nB"}, "Only choice questions"),
    ],
)
def test_bad_wording_is_refused_with_a_message(staff_client, event, extra, message):
    url = reverse("events:questions", kwargs={"slug": event.slug})
    data = {
        "form": "registration",
        "label_en": "Diet",
        "kind": "choice",
        "choices": "Vegetarian\nVegan",
        "order": 0,
        **extra,
    }
    response = staff_client.post(url, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Question.objects.exists()


def test_model_refuses_choice_labels_that_do_not_fit(session_question):
    from django.core.exceptions import ValidationError

    for bad in ({"fr": ["Un"]}, {"de": ["A", "B"]}, {"fr": "A, B"}, {"fr": ["A", "b" * 201]}):
        session_question.choice_labels = bad
        with pytest.raises(ValidationError) as error:
            session_question.full_clean()
        assert "choice_labels" in error.value.message_dict


def test_event_languages_always_include_english(staff_client, event):
    url = reverse("events:staff_settings", kwargs={"slug": event.slug})
    data = {"registration_policy": "anyone", "languages": ["fr"]}
    response = staff_client.post(url, data)
    assert response.status_code == 400 and "English is always one" in response.text
    response = staff_client.post(url, {**data, "languages": ["fr", "en", "ar"]})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.languages == ["en", "fr", "ar"]
    response = staff_client.post(url, {**data, "languages": ["en", "xx"]})
    assert response.status_code == 400


def test_changing_a_translation_after_answers_keeps_them_readable(
    client, staff_client, event, session_question
):
    response = in_french(client).post(
        register_url(event), guest(**{session_question.field_name: "Morning panel"})
    )
    assert response.status_code == 302
    Registration.objects.update(status=Registration.Status.CONFIRMED)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    edit = reverse("events:question_edit", kwargs={"slug": event.slug, "pk": session_question.pk})
    response = staff_client.post(
        edit,
        {
            "label_en": "Which session will you join?",
            "label_fr": "Quelle séance rejoindrez-vous ?",
            "kind": "choice",
            "choices": "Morning panel\nAfternoon lab",
            "choices_fr": "Panel du matin\nLabo de l'après-midi",
            "order": 0,
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.label, answer.value, answer.text) == (
        "Which session?",
        "Morning panel",
        "Morning panel",
    )
    page = staff_client.get(reverse("events:attendees", kwargs={"slug": event.slug}))
    assert "Morning panel" in page.text


def test_staff_pages_in_french_mark_english_wording(client, staff_user, event, session_question):
    Question.objects.create(event=event, form="registration", kind="short_text", label_en="Diet")
    client.force_login(staff_user)
    in_french(client)
    page = client.get(reverse("events:questions", kwargs={"slug": event.slug}))
    assert "<strong>Quelle séance ?</strong>" in page.text
    assert '<strong><span lang="en" dir="ltr">Diet</span></strong>' in page.text
    assert '<span lang="en" dir="ltr">Morning panel, Afternoon lab</span>' in page.text


def test_back_office_edits_the_events_languages(network_admin_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    page = network_admin_client.get(url)
    assert page.status_code == 200
    assert 'type="checkbox" name="languages" value="fr"' in page.text


def test_the_languages_field_is_labelled_in_the_language_of_the_page(db):
    """The label was computed once, in English, when the form class was built."""
    from django.utils import translation

    from events.forms import EventSettingsForm

    with translation.override("ar"):
        assert str(EventSettingsForm().fields["languages"].label) == "اللغات"
    with translation.override("en"):
        assert str(EventSettingsForm().fields["languages"].label) == "Languages"
