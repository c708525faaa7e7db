"""Own data as JSON, and account deletion that leaves nothing behind."""

import json

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from events.models import Registration
from events.services import register
from members import services
from members.models import AccountDeletion, ContactMessage, Member, User
from tests.helpers import make_event

DATA = reverse("members:own_data")
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
    assert client.get(DELETE).status_code == 200
    response = client.post(DELETE, {})
    assert response.status_code == 400  # not confirmed: nothing deleted
    assert Member.objects.filter(pk=public_member.pk).exists()
    response = client.post(DELETE, {"confirm": "yes"})
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
