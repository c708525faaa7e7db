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
from members import services
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
