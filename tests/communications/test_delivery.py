"""Every email through the outbox and the database queue, delivered to a real SMTP server."""

import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from events import services as event_services
from mail import outbox
from mail.models import Kind, Message
from members import services as member_services
from members.models import Member
from resources import services as resource_services
from tests.communications.helpers import run_worker, run_workers
from tests.helpers import make_case_study, make_event, make_member_user, make_user


def states():
    return sorted(Message.objects.values_list("state", flat=True))


def test_mail_server_outage_loses_nothing_and_sends_each_email_once(
    transactional_db, smtp, queue, settings, tmp_path
):
    # Retries wait a minute: however slow the machine, none comes due during the outage.
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The mail server is down: members' actions still succeed at once.
    event = make_event(capacity=1)
    first, second = make_member_user(1), make_member_user(2)
    event_services.register(event=event, user=first)  # confirmed
    event_services.register(event=event, user=second)  # waitlisted
    applicant = make_user("applicant@example.org")
    member = Member.objects.create(
        user=applicant, name="Applicant", slug="applicant", status=Member.Status.APPLIED
    )
    member_services.approve(member=member)
    researcher = make_user("rita@example.org", "Members", "Researchers")
    case_study = make_case_study(researcher)
    resource_services.transition(case_study=case_study, action="submit", by=researcher)
    assert Message.objects.count() == 4

    run_worker()
    assert smtp.inbox.messages == []
    for message in Message.objects.all():
        assert message.state == Message.State.QUEUED  # waiting for its next attempt
        assert message.attempts == 1
        assert "ConnectionRefusedError" in message.last_error

    # Back again a minute later: the retries deliver every email, once, even with two workers.
    smtp.start()
    minute_later = timezone.now() + datetime.timedelta(seconds=61)
    retries = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert retries.exists() and all(r.run_after <= minute_later for r in retries)
    retries.update(run_after=timezone.now())
    run_workers(2)
    assert states() == [Message.State.SENT] * 4
    assert smtp.inbox.to() == sorted(
        [
            "member1@example.org",
            "member2@example.org",
            "applicant@example.org",
            "rita@example.org",
        ]
    )
    confirmation = next(m for m in smtp.inbox.messages if m["To"] == "member1@example.org")
    attachments = [part.get_filename() for part in confirmation.iter_attachments()]
    assert attachments == ["summit-2030.ics"]


def test_a_message_that_keeps_failing_ends_failed_with_its_error(
    transactional_db, smtp, queue, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    user = make_user("zara@example.org")
    outbox.send("membership_applied", to=user, context={"member": None})
    run_worker()  # retries at once (OUTBOX_RETRY_SECONDS=0) until the attempts run out
    message = Message.objects.get()
    assert message.state == Message.State.FAILED
    assert message.attempts == 3
    assert "Connection refused" in message.last_error
    assert smtp.inbox.messages == []

    # Re-sent from the back office once the server is back.
    smtp.start()
    assert outbox.resend(Message.objects.all()) == 1
    run_worker()
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert len(smtp.inbox.messages) == 1


def test_a_permanent_refusal_is_not_retried(transactional_db, smtp, queue):
    class Refusing(type(smtp.inbox)):
        async def handle_RCPT(self, server, session, envelope, address, options):
            return "550 No such user here"

    smtp.inbox = Refusing()
    smtp.start()
    outbox.send("membership_applied", to="nobody@example.org", context={"member": None})
    run_worker()
    message = Message.objects.get()
    assert message.state == Message.State.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error


def test_two_workers_deliver_each_message_exactly_once(transactional_db, smtp, queue):
    smtp.start()
    for n in range(150):
        outbox.send("membership_applied", to=f"p{n}@example.org", context={"member": None})
    run_workers(2)
    assert len(smtp.inbox.messages) == 150
    assert len(set(smtp.inbox.to())) == 150
    assert states() == [Message.State.SENT] * 150


def test_nothing_is_queued_for_a_change_that_is_rolled_back(transactional_db, queue):
    from django.db import transaction

    user = make_user("zara@example.org")
    try:
        with transaction.atomic():
            outbox.send("membership_applied", to=user, context={"member": None})
            raise RuntimeError("a later step failed")
    except RuntimeError:
        pass
    from django_tasks_db.models import DBTaskResult

    assert not Message.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_email_is_written_in_the_recipients_language(db):
    french = make_user("claire@example.org", language="fr")
    english = make_user("john@example.org")
    with translation.override("en"):
        to_claire = outbox.send("announcement", to=french, context={"body": "x", "subject": "s"})
        to_john = outbox.send("announcement", to=english, context={"body": "x", "subject": "s"})
    assert to_claire.language == "fr" and to_john.language == "en"
    # Rendered under French (the template asks for the current language).
    assert '<html lang="fr"' in to_claire.html
    assert '<html lang="en"' in to_john.html


def test_address_without_account_gets_the_language_of_the_request(db):
    with translation.override("es"):
        message = outbox.send("membership_applied", to="guest@example.org", context={})
    assert message.language == "es"


def test_allauth_emails_go_through_the_outbox_in_the_request_language(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "kwame@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    message = Message.objects.get()
    assert message.to == "kwame@example.org"
    assert message.kind == Kind.TRANSACTIONAL
    assert message.template.startswith("account/email/email_confirmation")
    assert message.language == "fr"
    assert "/accounts/confirm-email/" in message.body


def test_subject_line_breaks_cannot_add_headers(db):
    user = make_user("zara@example.org")
    with override_settings():
        message = outbox.send(
            "member_contact",
            to=user,
            context={"subject": "hi\r\nBcc: victim@example.net", "sender_name": "x", "body": ""},
        )
    assert "\n" not in message.subject and "\r" not in message.subject
    email = outbox._email_of(message, connection=None)
    assert email.bcc == [] and "Bcc" not in email.extra_headers
