"""An event page tells the truth: the registration state once, figures only after the event,
check-in only on the event's days (staff may override with a reason), proper plurals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.helpers import make_event, make_member_user

FULL = "The event is full; registering puts you on the waitlist."


def detail(event):
    return reverse("events:detail", kwargs={"slug": event.slug})


def event_at(days_from_now, **extra):
    return make_event(
        slug=f"event-{days_from_now}".replace("-", "m") + "-x",
        starts_at=timezone.now() + datetime.timedelta(days=days_from_now),
        **extra,
    )


def confirmed(event, user):
    """A confirmed registration made directly (the services refuse past events)."""
    return Registration.objects.create(
        event=event,
        user=user,
        name=user.first_name,
        email=user.email,
        country="GH",
        status=Registration.Status.CONFIRMED,
    )


@pytest.fixture
def full_upcoming(db):
    event = event_at(30, capacity=1)
    services.register(event=event, user=make_member_user(1))
    return event


def test_registered_member_sees_only_that_they_are_registered(client, full_upcoming):
    client.force_login(full_upcoming.registrations.get().user)
    text = client.get(detail(full_upcoming)).text
    assert "You are registered." in text
    assert FULL not in text
    assert "Join the waitlist" not in text


def test_checked_in_member_is_told_once_and_cannot_cancel(client, full_upcoming, staff_user):
    registration = full_upcoming.registrations.get()
    services.check_in(registration=registration, by=staff_user, reason="Badge printed early")
    client.force_login(registration.user)
    text = client.get(detail(full_upcoming)).text
    assert "You are registered. Checked in." in text
    assert FULL not in text
    assert "Cancel my registration" not in text
    # A posted cancel is refused too; staff may still undo a mistaken check-in.
    client.post(reverse("events:cancel", args=[full_upcoming.slug]))
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.checked_in_at is not None
    services.cancel(registration=registration, by=staff_user)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_checked_in_guest_is_not_offered_to_cancel(client, staff_user):
    event = event_at(30, capacity=None)
    guest = services.Guest(name="Kofi Guest", email="kofi@example.net")
    registration = services.register(event=event, guest=guest, by=staff_user)
    link = registration.get_manage_url()
    assert "Cancel my registration" in client.get(link).text
    services.check_in(registration=registration, by=staff_user, reason="Came early")
    text = client.get(link).text
    assert "Checked in" in text and "Cancel my registration" not in text


def test_other_member_is_told_the_event_is_full(client, full_upcoming):
    client.force_login(make_member_user(2))
    text = client.get(detail(full_upcoming)).text
    assert FULL in text
    assert "Join the waitlist" in text
    assert "You are registered" not in text


def test_waitlisted_member_sees_position_not_full_notice(client, full_upcoming):
    user = make_member_user(2)
    services.register(event=full_upcoming, user=user)
    client.force_login(user)
    text = client.get(detail(full_upcoming)).text
    assert "You are on the waitlist, in position 1." in text
    assert FULL not in text


def test_upcoming_event_shows_no_attendance_figures(client, full_upcoming, staff_user):
    services.check_in(
        registration=full_upcoming.registrations.get(), by=staff_user, reason="Test run"
    )
    text = client.get(detail(full_upcoming)).text
    assert "participant" not in text
    assert "From the attendance records." not in text


def test_past_event_shows_figures_with_singular_plurals(client, staff_user):
    event = event_at(-10, capacity=None)
    user = make_member_user(1, country="GH")
    registration = confirmed(event, user)
    services.check_in(registration=registration, by=staff_user, reason="Entered afterwards")
    text = client.get(detail(event)).text
    assert "<strong>1</strong> participant<" in text
    assert "<strong>1</strong> country<" in text
    assert "<strong>1</strong> continent<" in text
    assert "1 participants" not in text and "1 countries" not in text
    assert "From the attendance records." in text


def test_past_event_plural_figures_from_reports(client, db):
    event = event_at(-100, reported_participants=40, reported_countries=12)
    text = client.get(detail(event)).text
    assert "<strong>40</strong> participants" in text
    assert "<strong>12</strong> countries" in text


@pytest.mark.parametrize("days", [30, -10])
def test_check_in_outside_the_event_days_needs_a_reason(staff_user, days):
    event = event_at(days, capacity=None)
    registration = confirmed(event, make_member_user(1))
    with pytest.raises(services.RegistrationError, match="event's days only"):
        services.check_in(registration=registration, by=staff_user)
    with pytest.raises(services.RegistrationError):
        services.check_in(registration=registration, by=staff_user, reason="   ")
    services.check_in(registration=registration, by=staff_user, reason="  Arrived  a day early ")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.check_in_reason == "Arrived a day early"


def test_check_in_on_the_event_day_needs_no_reason(staff_user):
    event = make_event(
        slug="today",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        timezone="UTC",
        capacity=None,
    )
    event.ends_at = timezone.now() + datetime.timedelta(hours=2)
    event.save()
    registration = services.register(event=event, user=make_member_user(1), by=staff_user)
    services.check_in(registration=registration, by=staff_user)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.check_in_reason == ""


def test_staff_page_refuses_early_check_in_without_reason_then_accepts_one(
    staff_client, staff_user
):
    event = event_at(20, capacity=None)
    registration = services.register(event=event, user=make_member_user(1), by=staff_user)
    url = reverse("events:check_in", kwargs={"slug": event.slug, "pk": registration.pk})
    page = staff_client.get(reverse("events:attendees", kwargs={"slug": event.slug})).text
    assert "Check-in opens on the event's first day" in page
    # A short placeholder, whole in the narrow field (the notice above says why).
    assert 'name="reason"' in page and 'placeholder="Reason"' in page
    assert "Reason (outside" not in page
    response = staff_client.post(url, follow=True)
    assert "event&#x27;s days only" in response.text
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    staff_client.post(url, {"reason": "VIP arriving early"})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.status == Registration.Status.CONFIRMED


def test_member_cannot_check_in(client, staff_user):
    event = event_at(20, capacity=None)
    user = make_member_user(1)
    registration = services.register(event=event, user=user, by=staff_user)
    client.force_login(user)
    url = reverse("events:check_in", kwargs={"slug": event.slug, "pk": registration.pk})
    assert client.post(url, {"reason": "me"}).status_code in (403, 404)
    assert client.get(url).status_code in (403, 404, 405)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_home_counts_only_held_gatherings(client, db):
    event_at(-30, capacity=None)
    before = client.get(reverse("home")).text
    assert "<dd>1</dd>" in before
    event_at(40, capacity=None)  # a future event is no gathering yet
    event_at(-60, capacity=None, status=Event.Status.PLANNED)  # planned, never held
    from django.core.cache import cache

    cache.clear()  # events made here skip the services that bump the data cache's version
    after = client.get(reverse("home")).text
    assert after.count("<dd>1</dd>") == before.count("<dd>1</dd>")
    assert "<dd>2</dd>" not in after and "<dd>3</dd>" not in after


def test_events_list_shows_never_held_apart(client, db):
    held = event_at(-30, capacity=None, title="Held Session")
    planned = event_at(-60, capacity=None, title="Planned Summit", status=Event.Status.PLANNED)
    text = client.get(reverse("events:list")).text
    past, never = text.split("Planned, never held", 1)
    assert held.title in past and planned.title not in past.split("Past gatherings", 1)[1]
    assert planned.title in never
