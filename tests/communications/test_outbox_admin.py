"""The outbox in the back office shows no sign-in secret and no email to a staff account.

allauth's emails (password reset, address confirmation) go through the outbox, so their
text holds a link that signs in as the recipient: a network admin who could read the reset
email of a superuser could take that account over.
"""

import pytest
from django.urls import reverse

from mail.models import Message
from tests.helpers import make_member, make_user


@pytest.fixture
def resets(client, db):
    """A password reset asked for a superuser (by the address, in other letter cases) and
    for a plain member."""
    root = make_user("root@example.org", is_staff=True, is_superuser=True)
    member = make_member("ama@example.org", "Ama").user
    for address in ("ROOT@example.org", "ama@example.org"):
        client.post(reverse("account_reset_password"), {"email": address})
    messages = {m.user.email if m.user else m.to: m for m in Message.objects.all()}
    assert set(messages) == {"root@example.org", "ama@example.org"}
    assert all("/accounts/password/reset/key/" in m.body for m in messages.values())
    return root, member, messages


def test_network_admin_sees_no_email_to_a_superuser_and_no_reset_link(
    client, network_admin, resets
):
    root, _member, messages = resets
    client.force_login(network_admin)
    changelist = reverse("admin:mail_message_changelist")
    listing = client.get(changelist)
    assert listing.status_code == 200
    assert "ama@example.org" in listing.text and "root@example.org" not in listing.text
    assert "root@example.org" not in client.get(changelist, {"q": "root"}).text
    root_page = reverse("admin:mail_message_change", args=[messages[root.email].pk])
    assert client.get(root_page, follow=True).redirect_chain  # "does not exist": back to the index
    member_page = client.get(
        reverse("admin:mail_message_change", args=[messages["ama@example.org"].pk])
    )
    assert member_page.status_code == 200 and "ama@example.org" in member_page.text
    assert "/password/reset/key/" not in member_page.text
    # "Send again" cannot reach the superuser's email either (a failed one would be queued).
    Message.objects.update(state=Message.State.FAILED, attempts=5)
    client.post(
        changelist,
        {"action": "send_again", "_selected_action": [m.pk for m in messages.values()]},
    )
    states = dict(Message.objects.values_list("to", "state"))
    assert states[root.email] == Message.State.FAILED
    assert states["ama@example.org"] != Message.State.FAILED  # queued again (or sent)


def test_an_email_to_a_staff_address_without_its_account_is_hidden_too(client, network_admin, db):
    make_user("colleague@example.org", "Network admins", is_staff=True)
    Message.objects.create(
        kind="transactional",
        to="Colleague@Example.org",
        template="account/email/unknown",
        language="en",
        subject="Unknown account",
        body="secret",
    )
    client.force_login(network_admin)
    listing = client.get(reverse("admin:mail_message_changelist")).text
    assert "Colleague@Example.org" not in listing


def test_a_superuser_sees_every_email_but_no_sign_in_secret(client, resets):
    root, _member, messages = resets
    client.force_login(root)
    listing = client.get(reverse("admin:mail_message_changelist"))
    assert "root@example.org" in listing.text and "ama@example.org" in listing.text
    for message in messages.values():
        page = client.get(reverse("admin:mail_message_change", args=[message.pk]))
        assert page.status_code == 200 and message.subject in page.text
        assert "/password/reset/key/" not in page.text


def test_the_text_of_other_emails_stays_readable(client, network_admin, db):
    message = Message.objects.create(
        kind="announcement",
        to="ama@example.org",
        template="announcement",
        language="en",
        subject="Summit news",
        body="See you in Doha.",
    )
    client.force_login(network_admin)
    page = client.get(reverse("admin:mail_message_change", args=[message.pk]))
    assert "See you in Doha." in page.text
