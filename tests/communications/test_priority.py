"""What a person waits for comes first: account and registration emails and imports on the
default queue, mail to many in batches on the bulk queue, served after it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from communications import announcements
from communications.models import Announcement
from events import jobs as event_jobs
from events import services as event_services
from events.models import Event, Registration
from events.tasks import run_attendee_import
from imports import importjobs
from mail import outbox
from mail.models import Kind, Message
from tests.communications.helpers import run_worker
from tests.helpers import make_event, make_member_user, make_user

MEMBERS = 120


def tasks(name):
    """(queue, priority, number of messages) of each waiting task of this name."""
    rows = DBTaskResult.objects.filter(task_path__endswith=f".{name}", status="READY")
    return sorted(
        (r.queue_name, r.priority, len(r.args_kwargs["args"][0]) if name == "deliver" else 1)
        for r in rows
    )


@pytest.fixture
def many_members(db):
    return [make_member_user(n) for n in range(MEMBERS)]


def queue_big_announcement():
    announcement = Announcement.objects.create(
        subject="News", body="Hello", statuses=["approved"], kind=Kind.ANNOUNCEMENT
    )
    announcements.schedule(announcement=announcement)
    assert tasks("queue_announcement") == [("bulk", outbox.BULK_PRIORITY, 1)]
    announcements.queue_announcement.call(announcement.pk)
    DBTaskResult.objects.filter(task_path__endswith=".queue_announcement").delete()
    return announcement


def test_an_announcement_goes_in_batches_on_the_bulk_queue(many_members, queue):
    queue_big_announcement()
    assert Message.objects.count() == MEMBERS
    # 120 messages: two tasks (100 and 20), not one task per email.
    assert tasks("deliver") == [("bulk", outbox.BULK_PRIORITY, n) for n in (20, 100)]


def test_an_account_email_goes_on_the_default_queue(db, queue):
    outbox.send("membership_applied", to=make_user("new@example.org"), context={})
    assert tasks("deliver") == [("default", 0, 1)]


def test_an_attendee_import_writes_its_confirmations_in_bulk_batches(
    many_members, queue, django_capture_on_commit_callbacks
):
    staff = make_user("staff@example.org", "Event staff")
    event = make_event(capacity=1000)
    people = [(n + 1, user, None, True) for n, user in enumerate(many_members)]
    with django_capture_on_commit_callbacks(execute=True):
        event_services.register_many(event=event, people=people, by=staff)
    assert Registration.objects.count() == MEMBERS
    assert Message.objects.count() == MEMBERS
    assert tasks("deliver") == [("bulk", outbox.BULK_PRIORITY, n) for n in (20, 100)]


def test_bulk_sending_that_fails_hands_nothing_over(db, queue):
    user = make_user("one@example.org")
    with pytest.raises(ZeroDivisionError), transaction.atomic(), outbox.in_bulk():
        outbox.send("membership_applied", to=user, context={})
        1 / 0  # noqa: B018
    assert not Message.objects.exists() and tasks("deliver") == []
    # Nested blocks hand over once, at the end of the outer one.
    with outbox.in_bulk():
        with outbox.in_bulk():
            outbox.send("membership_applied", to=user, context={})
        assert tasks("deliver") == []
        outbox.send("membership_applied", to=user, context={})
    assert tasks("deliver") == [("bulk", outbox.BULK_PRIORITY, 2)]


def test_reminders_to_everyone_go_in_bulk_batches(many_members, queue):
    event = make_event(
        starts_at=timezone.now() + datetime.timedelta(days=1),
        capacity=1000,
        reminder_days=2,
        registration_policy=Event.RegistrationPolicy.ANYONE,
    )
    for user in many_members:
        event_services.register(event=event, user=user)
    Message.objects.all().delete()
    DBTaskResult.objects.all().delete()
    assert event_jobs.send_reminders() == MEMBERS
    assert tasks("deliver") == [("bulk", outbox.BULK_PRIORITY, n) for n in (20, 100)]
    # A second round writes nothing new.
    assert event_jobs.send_reminders() == 0
    assert len(tasks("deliver")) == 2


def test_an_import_job_goes_on_the_default_queue(
    db, queue, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    staff = make_user("staff@example.org", "Event staff")
    with django_capture_on_commit_callbacks(execute=True):
        importjobs.start(
            upload=SimpleUploadedFile("a.csv", b"name,email\n"),
            task=run_attendee_import,
            kind="attendees",
            title="Import",
            by=staff,
            total_rows=1,
        )
    assert tasks("run_attendee_import") == [("default", 0, 1)]


def test_a_worker_serving_both_queues_takes_the_waiting_person_first(
    transactional_db, smtp, queue, many_members
):
    smtp.start()
    queue_big_announcement()
    # Someone signs up while the announcement emails wait.
    outbox.send("membership_applied", to=make_user("new@example.org"), context={})
    run_worker(queues=("default", "bulk"), max_tasks=1)
    assert [str(m["To"]) for m in smtp.inbox.messages] == ["new@example.org"]
    # A worker serving only the default queue never meets the bulk mail.
    outbox.send("membership_applied", to=make_user("two@example.org"), context={})
    run_worker(queues=("default",))
    assert [str(m["To"]) for m in smtp.inbox.messages] == ["new@example.org", "two@example.org"]
    assert Message.objects.filter(state=Message.State.QUEUED).count() == MEMBERS
    run_worker()
    assert Message.objects.filter(state=Message.State.SENT).count() == MEMBERS + 2


def test_a_retried_bulk_batch_stays_on_the_bulk_queue(transactional_db, smtp, queue, settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    # The mail server is down: the batch is put back for later on its own queue.
    users = [make_member_user(n) for n in range(3)]
    with outbox.in_bulk():
        for user in users:
            outbox.send("membership_applied", to=user, context={})
    run_worker()
    rows = DBTaskResult.objects.filter(status="READY", task_path__endswith=".deliver")
    assert [(r.queue_name, r.priority) for r in rows] == [("bulk", outbox.BULK_PRIORITY)]
    assert rows[0].run_after > timezone.now() - datetime.timedelta(seconds=5)
