"""Member-to-member messages: emailed with the sender as reply-to, 20 a day at most."""

import datetime

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import ContactMessage


def url(member):
    return reverse("members:contact", kwargs={"slug": member.slug})


def test_member_sends_a_message(
    member_client, member_user, public_member, django_capture_on_commit_callbacks
):
    assert member_client.get(url(public_member)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            url(public_member), {"subject": "Your program", "body": "Can we talk? <b>hi</b>"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["joao@example.org"]
    assert message.reply_to == ["amina@example.org"]
    assert "Amina Mensah" in message.subject and "Your program" in message.subject
    assert "Can we talk? <b>hi</b>" in message.body
    # The recipient's address is never shown to the sender.
    assert "joao@example.org" not in member_client.get(response["Location"]).text


def test_daily_limit(member_client, member_user, public_member):
    ContactMessage.objects.bulk_create(
        [ContactMessage(sender=member_user, recipient=public_member) for _ in range(19)]
    )
    # Older messages don't count.
    ContactMessage.objects.create(
        sender=member_user,
        recipient=public_member,
        sent_at=timezone.now() - datetime.timedelta(days=2),
    )
    data = {"subject": "Hello", "body": "Message"}
    assert member_client.post(url(public_member), data).status_code == 302
    response = member_client.post(url(public_member), data)
    assert response.status_code == 400
    assert "20 messages in the last 24 hours" in response.text
    assert ContactMessage.objects.filter(sender=member_user).count() == 21


def test_bad_input(member_client, public_member):
    response = member_client.post(url(public_member), {"subject": "", "body": ""})
    assert response.status_code == 400
    assert response.text.count('class="errorlist"') == 2
    assert not ContactMessage.objects.exists()


def test_who_may_contact(public_member, hidden_member, applicant, member_user):
    member_client = Client()
    member_client.force_login(member_user)
    assert member_client.get(url(hidden_member)).status_code == 404
    assert member_client.put(url(public_member)).status_code == 405
    assert Client().get(url(public_member)).status_code == 302  # sign in first
    applicant_client = Client()
    applicant_client.force_login(applicant.user)
    # The page exists, but only members may use it.
    assert applicant_client.get(url(public_member)).status_code == 403  # not yet a member


def test_a_line_break_in_the_subject_cannot_add_headers(
    member_client, public_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            url(public_member), {"subject": "hi\r\nBcc: victim@example.net", "body": "Hello"}
        )
    assert response.status_code == 302
    assert mail.outbox[0].subject.endswith("hi Bcc: victim@example.net")
    assert mail.outbox[0].bcc == []
