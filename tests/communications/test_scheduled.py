"""Reminders, follow-ups and the digest: each sent once, however often the clock ticks."""

import datetime
import threading

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communications.models import DigestRun
from communications.scheduler import send_digest
from core.jobs import run_once
from events import services as event_services
from events.jobs import send_follow_ups, send_reminders
from mail.models import Kind, Message, Subscription
from members.models import Member
from resources.models import Resource
from tests.communications.helpers import run_workers
from tests.helpers import make_event, make_member_user, make_user


def test_reminder_sent_once_across_two_schedulers_and_two_workers(transactional_db, smtp, queue):
    smtp.start()
    event = make_event(starts_at=timezone.now() + datetime.timedelta(days=2), capacity=1)
    event_services.register(event=event, user=make_member_user(1))
    event_services.register(event=event, user=make_member_user(2))  # waitlisted: no reminder
    Message.objects.all().delete()

    errors = []

    def tick():
        try:
            call_command("mail_scheduler", "--once")
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    call_command("mail_scheduler", "--once")  # a restarted scheduler
    run_workers(2)
    run_workers(2)  # a restarted worker
    assert errors == []
    assert smtp.inbox.to() == ["member1@example.org"]
    (reminder,) = smtp.inbox.messages
    assert "Reminder" in reminder["Subject"]
    assert [p.get_filename() for p in reminder.iter_attachments()] == ["summit-2030.ics"]
    assert "https://meet.example.org/all-in-2030" in reminder.get_body(("plain",)).get_content()
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_reminder_respects_the_events_days_and_opt_out(db, django_capture_on_commit_callbacks):
    event = make_event(starts_at=timezone.now() + datetime.timedelta(days=5), reminder_days=3)
    user = make_member_user(1)
    event_services.register(event=event, user=user)
    assert send_reminders() == 0  # too early
    later = timezone.now() + datetime.timedelta(days=2, hours=1)
    Subscription.objects.create(email=user.email, kind=Kind.EVENT_NEWS, subscribed=False)
    assert send_reminders(now=later) == 0  # turned event news off
    Subscription.objects.all().delete()
    assert send_reminders(now=later) == 1
    assert send_reminders(now=later) == 0


def test_follow_up_to_those_checked_in(db, django_capture_on_commit_callbacks):
    event = make_event(capacity=None)
    came, absent = make_member_user(1), make_member_user(2)
    registration = event_services.register(event=event, user=came)
    event_services.register(event=event, user=absent)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    type(event).objects.filter(pk=event.pk).update(starts_at=yesterday, ends_at=yesterday)
    event_services.check_in(
        registration=registration,
        by=make_user("s@example.org", "Event staff"),
        reason="Checked in from the paper sign-in sheet the day after",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_follow_ups() == 1
        assert send_follow_ups() == 0
    follow_up = mail.outbox[-1]
    assert follow_up.to == ["member1@example.org"]
    assert event.get_absolute_url() in follow_up.body


def test_digest_only_to_those_who_chose_it_and_only_when_something_is_new(db):
    monday = timezone.now() - datetime.timedelta(days=timezone.now().weekday())
    monday = monday.replace(hour=9)
    reader, other = make_member_user(1), make_member_user(2)
    Subscription.objects.create(email=reader.email, kind=Kind.DIGEST, subscribed=True)
    assert send_digest(now=monday) == 0  # nothing new: nothing sent
    assert DigestRun.objects.get().items == 0

    DigestRun.objects.all().delete()
    Resource.objects.create(title="A new toolkit", slug="a-new-toolkit", type=Resource.Type.TOOLKIT)
    Resource.objects.create(
        title="Members toolkit",
        slug="members-toolkit",
        type=Resource.Type.TOOLKIT,
        access=Resource.Access.MEMBERS,
    )
    assert send_digest(now=monday) == 1
    assert send_digest(now=monday) == 0  # this week's is done
    message = Message.objects.get(kind=Kind.DIGEST)
    assert message.to == reader.email
    assert "A new toolkit" in message.body and "Members toolkit" in message.body
    assert not Message.objects.filter(to=other.email).exists()
    Member.objects.filter(user=reader).update(status=Member.Status.LAPSED)
    DigestRun.objects.all().delete()
    Message.objects.all().delete()
    assert send_digest(now=monday) == 0  # members only


def test_event_staff_email_preview_count_and_send(
    staff_client, event, members, django_capture_on_commit_callbacks
):
    event_services.register(event=event, user=members[0])
    event_services.register(event=event, user=members[1])
    event_services.register(event=event, user=members[2])  # waitlisted (capacity 2)
    url = reverse("communications:event_email", args=[event.slug])
    data = {"audience": "waitlisted", "subject": "Room change", "body": "We move to **room 2**."}
    page = staff_client.post(url, {**data, "preview": "1"}).text
    assert "This message will go to 1 person." in page
    assert "<strong>room 2</strong>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**data, "send": "1"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox if m.subject == "Room change"] == [[members[2].email]]
    bad = staff_client.post(url, {**data, "subject": "a\nBcc: x@example.net", "send": "1"})
    assert bad.status_code == 400


def test_event_staff_email_refuses_others(member_client, event):
    url = reverse("communications:event_email", args=[event.slug])
    assert Client().get(url).status_code == 302
    assert member_client.get(url).status_code == 403
    assert (
        member_client.post(url, {"audience": "all", "subject": "x", "body": "y"}).status_code == 403
    )


def test_follow_up_carries_the_survey_and_certificate_links_a_guest_can_open(
    db, django_capture_on_commit_callbacks
):
    event = make_event(capacity=None, guests_allowed=True, survey_open=True)
    event.certificates_enabled = True
    event.save()
    staff = make_user("s@example.org", "Event staff")
    guest = event_services.register(
        event=event,
        guest=event_services.Guest(name="Nadia Haddad", email="nadia@example.org"),
        by=staff,
    )
    yesterday = timezone.now() - datetime.timedelta(days=1)
    type(event).objects.filter(pk=event.pk).update(starts_at=yesterday, ends_at=yesterday)
    event.refresh_from_db()
    event_services.check_in(registration=guest, by=staff, reason="Signed the paper sheet")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_follow_ups() == 1
    body = mail.outbox[-1].body
    survey = reverse("events:survey", args=[event.slug]) + f"?r={guest.token}"
    assert survey in body
    assert reverse("events:certificate", args=[event.slug]) + f"?r={guest.token}" in body
    # The link works for the guest without an account.
    assert Client().get(survey).status_code == 200


def test_scheduler_tick_expires_an_overdue_hold_and_promotes_the_next(
    transactional_db,
):
    """No page visit: the scheduler's round frees the place and promotes, by the outbox."""
    event = make_event(
        starts_at=timezone.now() + datetime.timedelta(days=20),
        capacity=1,
        registration_policy="anyone",
    )
    guest = event_services.register(
        event=event, guest=event_services.Guest(name="Guest", email="guest@example.net"), by=None
    )
    member = event_services.register(event=event, user=make_member_user(1))
    assert (guest.status, guest.holds_place, member.status) == ("pending", True, "waitlisted")
    Message.objects.all().delete()
    call_command("mail_scheduler", "--once")  # the hold is still live
    assert not Message.objects.exists()
    guest.hold_expires_at = timezone.now() - datetime.timedelta(minutes=1)
    guest.save(update_fields=["hold_expires_at"])
    call_command("mail_scheduler", "--once")
    guest.refresh_from_db()
    member.refresh_from_db()
    assert (guest.status, guest.holds_place, member.status) == ("expired", False, "confirmed")
    (promoted,) = Message.objects.all()
    assert promoted.template == "event_registration_promoted"
    assert promoted.to == "member1@example.org"
    assert run_once()["expired_holds"] == 0  # a second round does nothing
    assert Message.objects.count() == 1
