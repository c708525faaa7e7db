"""register, cancel, promotion, check-in, no-show, anonymising: the rules of places."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Event, Registration
from events.services import Guest, RegistrationError
from tests.helpers import make_event, make_member_user

Status = Registration.Status


def test_member_registers_until_full_then_waitlist(event, members):
    first = services.register(event=event, user=members[0], listed=True)
    second = services.register(event=event, user=members[1])
    third = services.register(event=event, user=members[2])
    assert [first.status, second.status, third.status] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    assert third.waitlisted_at is not None
    assert services.waitlist_position(third) == 1
    assert first.name == "Member 0001" and first.country == "GH"


def test_confirmation_email_carries_the_ics(event, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, user=members[0])
    message = mail.outbox[-1]
    assert message.to == ["member1@example.org"]
    assert "ALL-IN Summit 2030" in message.subject
    filename, content, mimetype = message.attachments[0]
    assert filename == "summit-2030.ics" and mimetype == "text/calendar"
    cal = Calendar.from_ical(content)
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["summary"]) == "ALL-IN Summit 2030"
    # Confirmed registrants get the online link in their calendar file.
    assert "https://meet.example.org/all-in-2030" in str(vevent["description"])


def test_cancel_promotes_first_waitlisted_and_emails_them(
    event, members, django_capture_on_commit_callbacks
):
    a = services.register(event=event, user=members[0])
    services.register(event=event, user=members[1])
    c = services.register(event=event, user=members[2])
    d_user = make_member_user(4)
    d = services.register(event=event, user=d_user)
    assert (c.status, d.status) == (Status.WAITLISTED, Status.WAITLISTED)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled, promoted = services.cancel(registration=a, by=members[0])

    assert cancelled.status == Status.CANCELLED and cancelled.cancelled_at
    assert [p.pk for p in promoted] == [c.pk]
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == Status.CONFIRMED and c.waitlisted_at is None
    assert d.status == Status.WAITLISTED and services.waitlist_position(d) == 1
    assert event.registrations.confirmed().count() == 2
    (message,) = mail.outbox
    assert message.to == ["member3@example.org"]
    assert "A place is yours" in message.subject
    assert message.attachments[0][0] == "summit-2030.ics"


def test_cancelling_a_waitlisted_registration_promotes_nobody(event, members):
    services.register(event=event, user=members[0])
    services.register(event=event, user=members[1])
    c = services.register(event=event, user=members[2])
    _, promoted = services.cancel(registration=c, by=members[2])
    assert promoted == []
    assert event.registrations.confirmed().count() == 2


def test_cancel_twice_and_by_someone_else_is_refused(event, members):
    a = services.register(event=event, user=members[0])
    with pytest.raises(RegistrationError):
        services.cancel(registration=a, by=members[1])
    services.cancel(registration=a, by=members[0])
    with pytest.raises(RegistrationError, match="already cancelled"):
        services.cancel(registration=a, by=members[0])


def test_register_again_after_cancelling_reuses_the_row(event, members):
    a = services.register(event=event, user=members[0])
    services.cancel(registration=a, by=members[0])
    again = services.register(event=event, user=members[0])
    assert again.pk == a.pk and again.status == Status.CONFIRMED
    with pytest.raises(RegistrationError, match="already registered"):
        services.register(event=event, user=members[0])


def past(**extra):
    starts = timezone.now() - datetime.timedelta(days=3)
    return make_event("past-one", starts_at=starts, **extra)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (past, "over"),
        (lambda: make_event(status=Event.Status.CANCELLED), "cancelled"),
        (lambda: make_event(status=Event.Status.POSTPONED), "postponed"),
        (lambda: make_event(status=Event.Status.PLANNED), "not confirmed"),
        (
            lambda: make_event(registration_closes=timezone.now() - datetime.timedelta(hours=1)),
            "closed",
        ),
        (
            lambda: make_event(registration_opens=timezone.now() + datetime.timedelta(days=1)),
            "not open yet",
        ),
    ],
)
def test_registration_refused_with_a_message_and_nothing_changes(
    members, make, message, django_capture_on_commit_callbacks
):
    event = make()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RegistrationError, match=message):
            services.register(event=event, user=members[0])
    assert callbacks == []
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_only_approved_members_register_themselves(event, db):
    from tests.helpers import make_user

    outsider = make_user("visitor@example.org")
    with pytest.raises(RegistrationError, match="Only members"):
        services.register(event=event, user=outsider)
    with pytest.raises(RegistrationError, match="other people"):
        services.register(event=event, user=make_member_user(9), by=outsider)


def test_staff_register_guest_and_guests_need_permission(event, staff_user, members):
    guest = Guest(name="Kofi Guest", email="Kofi@Example.org", organization="GES", country="GH")
    registration = services.register(event=event, guest=guest, by=staff_user)
    assert registration.user is None and registration.status == Status.CONFIRMED
    assert registration.registered_by == staff_user
    with pytest.raises(RegistrationError, match="already registered"):
        services.register(
            event=event, guest=Guest(name="Kofi", email="kofi@example.ORG"), by=staff_user
        )
    with pytest.raises(RegistrationError):
        services.register(event=event, guest=Guest(name="X", email="x@example.org"), by=members[0])


def test_guests_refused_when_the_event_takes_none(staff_user, db):
    event = make_event(guests_allowed=False)
    with pytest.raises(RegistrationError, match="guests"):
        services.register(event=event, guest=Guest("A", "a@example.org"), by=staff_user)


def test_staff_may_register_before_registration_opens(staff_user, members):
    event = make_event(registration_opens=timezone.now() + datetime.timedelta(days=1))
    registration = services.register(event=event, user=members[0], by=staff_user)
    assert registration.status == Status.CONFIRMED


def test_database_constraints(event, members):
    Registration.objects.create(event=event, user=members[0], status=Status.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=members[0], status=Status.CONFIRMED)
    Registration.objects.create(
        event=event, name="G", email="g@example.org", status=Status.CONFIRMED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, name="G2", email="G@EXAMPLE.org", status=Status.CONFIRMED
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(capacity=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=members[1], status=Status.WAITLISTED)


def test_clean_mirrors_the_constraints(event, members):
    from django.core.exceptions import ValidationError

    Registration.objects.create(event=event, name="G", email="g@example.org", status="confirmed")
    twin = Registration(event=event, name="G", email="G@example.org", status="confirmed")
    with pytest.raises(ValidationError, match="already registered"):
        twin.full_clean()
    event.capacity = -1
    with pytest.raises(ValidationError):
        event.full_clean()


def test_check_in_and_no_show(client, event, staff_user, members):
    a = services.register(event=event, user=members[0])
    b = services.register(event=event, user=members[1])
    # The event is a month away: checking in this early needs a reason.
    services.check_in(registration=a, by=staff_user, reason="Rehearsal")
    services.mark_no_show(registration=b, by=staff_user)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.checked_in_at and not a.no_show
    assert b.no_show and b.checked_in_at is None
    services.check_in(registration=b, by=staff_user, reason="Rehearsal")
    b.refresh_from_db()
    assert b.checked_in_at and not b.no_show
    services.check_in(registration=b, by=staff_user, undo=True)
    b.refresh_from_db()
    assert b.checked_in_at is None
    # Who may check people in is the staff pages' gate (role_required), not the service's:
    # a member posting to the check-in page is refused and nothing changes.
    client.force_login(members[2])
    url = reverse("events:check_in", kwargs={"slug": event.slug, "pk": b.pk})
    assert client.post(url, {"reason": "Rehearsal"}).status_code == 403
    b.refresh_from_db()
    assert b.checked_in_at is None


def test_waitlisted_cannot_be_checked_in(event, staff_user, members):
    for user in members:
        last = services.register(event=event, user=user)
    with pytest.raises(RegistrationError):
        services.check_in(registration=last, by=staff_user, reason="Rehearsal")


def test_anonymise_keeps_rows_for_counts(event, members):
    services.register(event=event, user=members[0], listed=True)
    assert services.anonymise_registrations(user=members[0]) == 1
    row = Registration.objects.get()
    assert (row.user, row.name, row.email, row.listed) == (None, "", "", False)
    assert row.status == Status.CONFIRMED and row.country == "GH"


def test_registrations_of_for_the_data_export(event, members):
    services.register(event=event, user=members[0], listed=True)
    (row,) = services.registrations_of(members[0])
    assert row["event"] == "ALL-IN Summit 2030"
    assert row["status"] == "confirmed" and row["listed"] is True
    assert row["email"] == "member1@example.org"
    assert services.registrations_of(members[1]) == []


def test_unlimited_capacity_confirms_everyone(members):
    event = make_event(capacity=None)
    assert {services.register(event=event, user=u).status for u in members} == {Status.CONFIRMED}


def test_no_email_leaves_before_commit(event, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.register(event=event, user=members[0])
    assert mail.outbox == []  # rolled back here: nothing would have been sent
    for callback in callbacks:  # the email and the data cache's version bump
        callback()
    assert len(mail.outbox) == 1
