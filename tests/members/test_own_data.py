"""Own data as JSON, and account deletion that leaves nothing behind."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from events.services import register
from members import own_data, services
from members.models import AccountDeletion, ContactMessage, Member, User
from tests.helpers import make_event, make_member_user

DATA = reverse("members:own_data")
PASSWORD = "correct horse battery"  # tests.helpers.make_user
DELETE = reverse("members:delete_account")


def test_member_downloads_own_data(client, public_member, member_user):
    public_member.expertise.add("coaching")
    ContactMessage.objects.create(sender=public_member.user, recipient=member_user.member)
    client.force_login(public_member.user)
    response = client.get(DATA)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "joao@example.org"
    assert data["member"]["name"] == "João Silva"
    assert data["member"]["expertise"] == ["coaching"]
    assert data["contact_messages_sent"][0]["to"] == "Amina Mensah"


def test_own_data_needs_sign_in_and_get(client, public_member):
    assert client.get(DATA).status_code == 302
    client.force_login(public_member.user)
    assert client.post(DATA).status_code == 405


def test_member_deletes_account(client, public_member, member_user):
    ContactMessage.objects.create(sender=member_user, recipient=public_member)
    client.force_login(public_member.user)
    page = client.get(DELETE)
    assert page.status_code == 200 and 'type="password"' in page.text
    response = client.post(DELETE, {})
    assert response.status_code == 400  # not confirmed: nothing deleted
    assert Member.objects.filter(pk=public_member.pk).exists()
    response = client.post(DELETE, {"confirm": "yes"})
    assert response.status_code == 400  # the box alone is not enough: the password is asked
    assert "Incorrect password" not in response.text
    response = client.post(DELETE, {"confirm": "yes", "password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email="joao@example.org").exists()
    assert not Member.objects.filter(name="João Silva").exists()
    assert not ContactMessage.objects.exists()
    assert "João Silva" not in client.get(reverse("members:list")).text
    deletion = AccountDeletion.objects.get()
    assert deletion.email == "joao@example.org"
    assert deletion.requested_by_email == "joao@example.org"
    assert deletion.requested_at is not None


def test_admin_deletes_an_account_on_request(public_member, network_admin, network_admin_client):
    services.delete_account(user=public_member.user, requested_by=network_admin)
    deletion = AccountDeletion.objects.get()
    assert deletion.requested_by == network_admin
    changelist = reverse("admin:members_accountdeletion_changelist")
    text = network_admin_client.get(changelist).text
    assert "joao@example.org" in text and "admin@example.org" in text
    assert not LogEntry.objects.filter(object_repr="João Silva", action_flag=1).exists()


def test_delete_needs_sign_in(client, db):
    assert client.post(DELETE, {"confirm": "yes"}).status_code == 302
    assert client.put(DELETE).status_code == 302


def test_deleting_an_account_anonymises_event_registrations(public_member):
    event = make_event(capacity=10)
    register(event=event, user=public_member.user, by=public_member.user, listed=True)
    exported = services.export_data(user=public_member.user)
    assert [r["event"] for r in exported["event_registrations"]] == ["ALL-IN Summit 2030"]

    services.delete_account(user=public_member.user, requested_by=public_member.user)
    registration = Registration.objects.get(event=event)
    assert (registration.user, registration.name, registration.email) == (None, "", "")
    assert not registration.listed
    assert registration.country.code == "BR"  # kept for the participation figures


@pytest.mark.parametrize(
    "password", ["wrong", "", "CORRECT HORSE BATTERY", "correct horse battery\x00", "x" * 5000]
)
def test_wrong_password_deletes_nothing(client, public_member, password):
    event = make_event(capacity=1)
    register(event=event, user=public_member.user, by=public_member.user)
    client.force_login(public_member.user)
    response = client.post(DELETE, {"confirm": "yes", "password": password})
    assert response.status_code == 400
    if password == "wrong":
        assert "Incorrect password" in response.text  # next to the field
    assert User.objects.filter(pk=public_member.user.pk).exists()
    assert Member.objects.filter(pk=public_member.pk).exists()
    assert not AccountDeletion.objects.exists()
    assert Registration.objects.get(event=event).status == Registration.Status.CONFIRMED


def test_deleting_an_account_gives_its_place_to_the_first_waitlisted(
    client, public_member, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    register(event=event, user=public_member.user, by=public_member.user)
    first, second = make_member_user(1), make_member_user(2)
    register(event=event, user=first, by=first)
    register(event=event, user=second, by=second)
    client.force_login(public_member.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"confirm": "yes", "password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=public_member.user.pk).exists()
    registrations = Registration.objects.filter(event=event)
    assert [r.user for r in registrations.confirmed()] == [first]
    assert [r.user for r in registrations.waitlisted()] == [second]
    gone = registrations.get(user=None)
    assert gone.status == Registration.Status.CANCELLED and gone.name == ""
    assert any(first.email in message.to for message in mail.outbox)  # told of the place


def test_deletion_keeps_past_attendance_counted_anonymously(public_member):
    now = timezone.now()
    past = make_event(slug="past", starts_at=now - datetime.timedelta(days=10), capacity=10)
    registration = Registration.objects.create(
        event=past,
        user=public_member.user,
        name="João Silva",
        email="joao@example.org",
        country="BR",
        status=Registration.Status.CONFIRMED,
        checked_in_at=past.starts_at,
    )
    before = Event.objects.with_attendance().get(pk=past.pk).figures
    assert before["participants"] == 1 and before["countries"] == 1

    services.delete_account(user=public_member.user, requested_by=public_member.user)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED  # attendance is history
    assert (registration.user, registration.name, registration.email) == (None, "", "")
    assert Event.objects.with_attendance().get(pk=past.pk).figures == before


def person_relations():
    """Every relation (foreign key, one-to-one, many-to-many) from a model of any installed
    app to a person: the account, the member record, an event registration."""
    from django.apps import apps

    people = {apps.get_model(label) for label in own_data.PERSON_MODELS}
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and (field.many_to_one or field.one_to_one or field.many_to_many)
                and field.related_model in people
                and not (field.one_to_one and field.remote_field.parent_link)
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_relation_to_a_person_is_exported_or_knowingly_left_out():
    relations = person_relations()
    exported, left_out = set(own_data.covered()), set(own_data.LEFT_OUT)
    undecided = relations - exported - left_out
    assert not undecided, f"Export these or say in own_data.LEFT_OUT why not: {undecided}"
    # Nothing named that does not exist (a renamed field would hide a new one).
    assert not (exported | left_out) - relations
    assert not exported & left_out
    # The walk does find relations in every app that holds some.
    apps_seen = {relation.split(".")[0] for relation in relations}
    assert {"members", "events", "resources", "communications", "admin", "account"} <= apps_seen
    assert all(reason.strip() for reason in own_data.LEFT_OUT.values())


def test_the_export_holds_a_researchers_case_studies_answers_surveys_and_certificate(
    client, settings, tmp_path, public_member, member_user
):
    from events.certificates import Certificate
    from events.questions import Answer
    from events.surveys import submit_survey
    from resources import services as resource_services
    from resources.models import CaseStudy, Resource
    from tests.helpers import make_case_study, make_resource, pdf_upload

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = public_member.user
    # A case study with two file versions and a review step.
    case_study = make_case_study(user, title="Rural heads study")
    resource_services.update_case_study(
        case_study=case_study, by=user, upload=pdf_upload("second version")
    )
    resource_services.transition(case_study=case_study, action="submit", by=user)
    # Someone else's case study: not in this export.
    make_case_study(member_user, title="Someone else's study")
    authored = make_resource("A report by João")
    authored.author_members.add(public_member)
    # A past event: an answer at registration, the survey answered with the name, a certificate.
    event = make_event(capacity=10)
    registration = register(event=event, user=user, by=user, listed=True)
    Answer.objects.create(registration=registration, label="Diet", kind="text", text="Vegan")
    submit_survey(
        registration=registration,
        answers=[Answer(label="Most useful", kind="text", text="The panel")],
        anonymous=False,
    )
    Certificate.objects.create(registration=registration, name="João Silva")
    ContactMessage.objects.create(sender=member_user, recipient=public_member)

    client.force_login(user)
    data = json.loads(client.get(DATA).content)

    # Counted another way, in the database: what holds the person, and what the export lists.
    studies = CaseStudy.objects.filter(researchers=user)
    assert [c["title"] for c in data["case_studies"]] == ["Rural heads study"]
    assert studies.count() == 1
    study = data["case_studies"][0]
    assert [v["version"] for v in study["versions"]] == sorted(
        studies.get().resource.file_versions.values_list("number", flat=True)
    )
    assert len(study["versions"]) == 2
    assert study["status"] == "submitted"
    assert [step["to"] for step in study["review"]][-1] == "submitted"
    assert any(s["to"] == "submitted" for s in data["case_study_review_steps"])
    assert len(data["files_uploaded"]) == 2
    assert [r["title"] for r in data["resources_authored"]] == ["A report by João"]
    assert Resource.objects.filter(author_members=public_member).count() == 1
    (exported,) = data["event_registrations"]
    assert exported["answers"] == [{"question": "Diet", "answer": "Vegan"}]
    assert exported["survey_answers"] == [{"question": "Most useful", "answer": "The panel"}]
    assert exported["survey_submitted_on"] is not None
    assert exported["certificate"]["code"] == Certificate.objects.get().code
    assert data["contact_messages_received"][0]["from"] == "Amina Mensah"
    assert data["account"]["email"] == "joao@example.org"


def test_an_anonymous_survey_answer_stays_anonymous_in_the_export(public_member):
    from events.questions import Answer
    from events.surveys import submit_survey

    event = make_event(capacity=10)
    registration = register(event=event, user=public_member.user, by=public_member.user)
    submit_survey(
        registration=registration,
        answers=[Answer(label="Most useful", kind="text", text="Nothing")],
        anonymous=True,
    )
    (exported,) = services.export_data(user=public_member.user)["event_registrations"]
    assert exported["survey_submitted_on"] is not None  # that they answered, only
    assert exported["survey_answers"] is None
    assert "Nothing" not in json.dumps(services.export_data(user=public_member.user))


def test_the_export_is_only_ever_ones_own(client, public_member, member_user):
    make_case_study_for = public_member.user
    from tests.helpers import make_case_study

    make_case_study(make_case_study_for, title="Joao private draft")
    client.force_login(member_user)
    text = client.get(DATA, {"user": public_member.user.pk, "email": "joao@example.org"}).text
    assert "Joao private draft" not in text and "joao@example.org" not in text
    assert json.loads(text)["account"]["email"] == "amina@example.org"
