"""Registration questions, the feedback survey and certificates of attendance."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events import services
from events.certificates import Certificate
from events.models import Event, Outcome, Registration
from events.questions import Answer, Question
from events.surveys import SurveyResponse
from tests.helpers import make_event, make_member_user


@pytest.fixture(autouse=True)
def clear_rate_limits(db):
    cache.clear()


@pytest.fixture
def open_event(db):
    return make_event(registration_policy=Event.RegistrationPolicy.ANYONE, capacity=None)


def add_questions(event, form=Question.Form.REGISTRATION, required=True):
    kinds = {
        "short_text": ([], "Dietary needs"),
        "long_text": ([], "Accessibility needs"),
        "choice": (["Morning panel", "Afternoon lab"], "Which session?"),
        "choices": (["Policy", "Practice", "Research"], "Interests"),
        "yes_no": ([], "May we list you?"),
        "country": ([], "Where do you work?"),
    }
    if form == Question.Form.SURVEY:
        kinds["rating"] = ([], "How useful was it?")
    return {
        kind: Question.objects.create(
            event=event,
            form=form,
            kind=kind,
            label=label,
            choices=choices,
            required=required,
            order=n,
        )
        for n, (kind, (choices, label)) in enumerate(kinds.items())
    }


GOOD = {
    "short_text": "Vegetarian",
    "long_text": "Step-free access, please.",
    "choice": "Afternoon lab",
    "choices": ["Policy", "Research"],
    "yes_no": "yes",
    "country": "MA",
    "rating": "4",
}


def answers_post(questions, **override):
    data = {}
    for kind, question in questions.items():
        value = override.get(kind, GOOD[kind])
        if value is not None:
            data[question.field_name] = value
    return data


def guest(**extra):
    return {"name": "سارة العلي", "email": "sara@example.net", "country": "MA", **extra}


def test_guest_answers_registration_questions_and_staff_see_filter_and_export(
    client, open_event, staff_client
):
    questions = add_questions(open_event)
    url = reverse("events:register", kwargs={"slug": open_event.slug})
    from django.test import Client

    visitor = Client()
    page = visitor.get(url)
    assert "Which session?" in page.text and 'type="radio"' in page.text
    response = visitor.post(url, {**guest(), **answers_post(questions)})
    assert response.status_code == 302
    registration = Registration.objects.get(email="sara@example.net")
    answers = {a.kind: a.text for a in registration.answers.all()}
    assert answers["choices"] == "Policy; Research" and answers["yes_no"] == "Yes"
    assert answers["country"] == "Morocco"
    services.confirm_guest(registration=registration, token=registration.token)
    # A formula in an answer is exported harmless.
    other = services.register(
        event=open_event,
        guest=services.Guest(name="Eve", email="eve@example.net"),
        by=None,
    )
    Answer.objects.create(
        registration=other,
        question=questions["short_text"],
        label="Dietary needs",
        kind="short_text",
        value="=HYPERLINK(1)",
        text="=HYPERLINK(1)",
    )
    attendees = reverse("events:attendees", kwargs={"slug": open_event.slug})
    page = staff_client.get(attendees)
    assert "Step-free access, please." in page.text
    filtered = staff_client.get(
        attendees, {"question": questions["choice"].pk, "answer": "afternoon"}
    )
    assert "سارة العلي" in filtered.text
    filtered = staff_client.get(
        attendees, {"question": questions["choice"].pk, "answer": "morning"}
    )
    assert "سارة العلي" not in filtered.text
    export = staff_client.get(reverse("events:export", kwargs={"slug": open_event.slug}))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    header = rows[0]
    assert "Which session?" in header and "Interests" in header
    sara = next(r for r in rows if r[0] == "سارة العلي")
    assert sara[header.index("Which session?")] == "Afternoon lab"
    eve = next(r for r in rows if r[0] == "Eve")
    assert eve[header.index("Dietary needs")] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("kind", "bad"),
    [
        ("short_text", None),  # required, missing
        ("short_text", "x" * 301),
        ("short_text", "nul\x00byte"),
        ("long_text", "y" * 5001),
        ("choice", "Evening"),
        ("choices", ["Policy", "Astrology"]),
        ("yes_no", "maybe"),
        ("country", "ZZ"),
    ],
)
def test_every_question_type_refuses_bad_input(client, open_event, kind, bad):
    questions = add_questions(open_event)
    url = reverse("events:register", kwargs={"slug": open_event.slug})
    data = {**guest(), **answers_post(questions, **{kind: bad})}
    if bad is None:
        data.pop(questions[kind].field_name, None)
    response = client.post(url, data)
    assert response.status_code == 400
    assert f'id="id_{questions[kind].field_name}_error"' in response.text
    assert not Registration.objects.exists() and not Answer.objects.exists()


def test_editing_or_deleting_a_question_keeps_old_answers_readable(open_event, staff_client):
    questions = add_questions(open_event, required=False)
    question = questions["choice"]
    registration = services.register(
        event=open_event, guest=services.Guest(name="A", email="a@x.org"), by=None
    )
    Answer.objects.create(
        registration=registration,
        question=question,
        label=question.label,
        kind="choice",
        choices=question.choices,
        value="Morning panel",
        text="Morning panel",
    )
    edit = reverse("events:question_edit", kwargs={"slug": open_event.slug, "pk": question.pk})
    response = staff_client.post(
        edit,
        {"label_en": "Which sessions on day 2?", "kind": "choice", "choices": "X\nY", "order": 0},
    )
    assert response.status_code == 302
    answer = registration.answers.get()
    assert answer.label == "Which session?" and answer.text == "Morning panel"
    staff_client.post(
        reverse("events:question_delete", kwargs={"slug": open_event.slug, "pk": question.pk})
    )
    answer.refresh_from_db()
    assert answer.question is None and answer.text == "Morning panel"
    page = staff_client.get(reverse("events:attendees", kwargs={"slug": open_event.slug}))
    assert "Which session?" in page.text or registration.status == "pending"


def test_staff_add_question_with_bad_choices_gets_a_message(staff_client, open_event):
    url = reverse("events:questions", kwargs={"slug": open_event.slug})
    response = staff_client.post(
        url,
        {
            "form": "registration",
            "label_en": "Pick",
            "kind": "choice",
            "choices": "only one",
            "order": 0,
        },
    )
    assert response.status_code == 400 and "at least two choices" in response.text
    response = staff_client.post(
        url, {"form": "registration", "label_en": "Rate", "kind": "rating", "order": 0}
    )
    assert response.status_code == 400
    assert not Question.objects.exists()
    response = staff_client.post(
        url, {"form": "survey", "label_en": "Rate", "kind": "rating", "order": 0}
    )
    assert response.status_code == 302 and Question.objects.get().form == "survey"


def attended(event, email="guest@example.net", name="Guest"):
    registration = services.register(
        event=event, guest=services.Guest(name=name, email=email), by=None
    )
    registration = services.confirm_guest(registration=registration, token=registration.token)
    registration.checked_in_at = timezone.now()
    registration.save()
    return registration


@pytest.fixture
def past_event(open_event):
    open_event.survey_open = True
    open_event.certificates_enabled = True
    open_event.survey_anonymous_allowed = True
    open_event.save()
    return open_event


def start(event):
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )


def test_survey_is_answered_once_and_anonymity_is_kept(client, past_event, staff_client):
    questions = add_questions(past_event, form=Question.Form.SURVEY)
    registration = attended(past_event)
    start(past_event)
    url = reverse("events:survey", kwargs={"slug": past_event.slug}) + f"?r={registration.token}"
    from django.test import Client

    guest_client = Client()
    assert guest_client.get(url).status_code == 200
    bad = guest_client.post(url, {**answers_post(questions, rating="6")})
    assert bad.status_code == 400 and not SurveyResponse.objects.exists()
    response = guest_client.post(url, {**answers_post(questions), "anonymous": "on"})
    assert response.status_code == 302
    again = guest_client.post(url, answers_post(questions))
    assert again.status_code == 409 and SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().registration is None
    results = staff_client.get(reverse("events:survey_results", kwargs={"slug": past_event.slug}))
    assert (
        results.status_code == 200 and "<svg" in results.text and "average 4.0 of 5" in results.text
    )
    export = staff_client.get(reverse("events:survey_csv", kwargs={"slug": past_event.slug}))
    text = b"".join(export.streaming_content).decode()
    assert "(anonymous)" in text and "guest@example.net" not in text
    # Nothing public until staff publish a summary.
    assert "What participants said" not in client.get(past_event.get_absolute_url()).text
    staff_client.post(
        reverse("events:survey_publish", kwargs={"slug": past_event.slug}),
        {"summary": "Participants rated the labs highly."},
    )
    assert Outcome.objects.filter(kind=Outcome.Kind.FEEDBACK).exists()


def test_survey_and_certificate_refused_to_those_not_checked_in(client, past_event, members):
    registration = services.register(
        event=past_event, guest=services.Guest(name="N", email="n@x.org"), by=None
    )
    services.confirm_guest(registration=registration, token=registration.token)
    start(past_event)
    for name in ("survey", "certificate"):
        url = reverse(f"events:{name}", kwargs={"slug": past_event.slug})
        assert client.get(f"{url}?r={registration.token}").status_code == 403
        assert client.get(f"{url}?r=wrong").status_code == 404
        assert client.get(url).status_code == 302  # visitors sign in first
        client.force_login(members[0])
        assert client.get(url).status_code == 403  # a member who was not there
        client.logout()
    assert (
        client.post(reverse("events:certificate", kwargs={"slug": past_event.slug})).status_code
        == 405
    )
    assert not Certificate.objects.exists()


def test_certificate_pdf_has_the_arabic_name_and_verifies(client, past_event, staff_client):
    registration = attended(past_event, name="سارة العلي")
    past_event.hours = 6
    past_event.signatory_name = "Dr. Ana Ruiz"
    past_event.save()
    start(past_event)
    url = reverse("events:certificate", kwargs={"slug": past_event.slug})
    response = client.get(f"{url}?r={registration.token}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    certificate = Certificate.objects.get()
    assert certificate.code in text.replace("\n", "")
    # Shaped Arabic: the name's letters are in the PDF (as presentation forms, right to left).
    import unicodedata

    assert "Dr. Ana Ruiz" in text
    normalized = unicodedata.normalize("NFKC", text)
    assert "سارة" in normalized or "ةراس" in normalized
    verify = client.get(reverse("certificate_verify", kwargs={"code": certificate.code}))
    assert verify.status_code == 200 and "سارة العلي" in verify.text and "valid" in verify.text
    assert "guest@example.net" not in verify.text and registration.token not in verify.text
    assert "Morocco" not in verify.text
    assert client.get(reverse("certificate_verify", kwargs={"code": "nope"})).status_code == 404
    staff_client.post(
        reverse(
            "events:certificate_revoke", kwargs={"slug": past_event.slug, "pk": registration.pk}
        )
    )
    assert "revoked" in client.get(certificate.get_absolute_url()).text
    assert client.get(f"{url}?r={registration.token}").status_code == 403


def test_unknown_certificate_code_is_said_to_be_not_valid(client, past_event):
    attended(past_event, name="Sara Ali")
    start(past_event)
    Certificate.objects.create(registration=past_event.registrations.get(), name="Sara Ali")
    response = client.get(reverse("certificate_verify", kwargs={"code": "BADCODE123"}))
    assert response.status_code == 404
    assert "This certificate code is not valid" in response.text
    assert "Page not found" not in response.text
    assert "Sara Ali" not in response.text and past_event.title not in response.text


def test_member_who_attended_gets_survey_and_certificate_links(client, past_event):
    user = make_member_user(5)
    registration = services.register(event=past_event, user=user)
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now())
    start(past_event)
    client.force_login(user)
    page = client.get(past_event.get_absolute_url())
    assert reverse("events:survey", kwargs={"slug": past_event.slug}) in page.text
    response = client.get(reverse("events:certificate", kwargs={"slug": past_event.slug}))
    assert response.status_code == 200
    assert "Member 0005" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_no_certificate_before_the_event_begins_even_if_checked_in_early(client, past_event):
    registration = attended(past_event)  # checked in weeks ahead (staff may, with a reason)
    url = reverse("events:certificate", kwargs={"slug": past_event.slug})
    response = client.get(f"{url}?r={registration.token}")
    assert response.status_code == 403 and "once the event has begun" in response.text
    assert not Certificate.objects.exists()
    start(past_event)
    assert client.get(f"{url}?r={registration.token}").status_code == 200


def test_survey_submissions_keep_no_order_that_pairs_them_with_answers(past_event):
    """Submissions (who answered) and responses (what) are written together: a submission's
    id and date must not tell which response is whose."""
    from events.surveys import SurveySubmission, submit_survey

    questions = add_questions(past_event, form=Question.Form.SURVEY)
    registrations = [attended(past_event, email=f"p{n}@example.net") for n in range(8)]
    start(past_event)
    for registration in registrations:
        submit_survey(registration=registration, answers=[], anonymous=True)
    written = list(
        SurveySubmission.objects.order_by("registration_id").values_list("pk", flat=True)
    )
    assert sorted(written) != written  # ids in writing order would pair them (1 in 40,320)
    fields = {f.name: f.get_internal_type() for f in SurveySubmission._meta.concrete_fields}
    assert "DateTimeField" not in fields.values()
    assert questions  # the survey had questions; the answers themselves are tested above
