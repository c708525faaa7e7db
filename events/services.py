"""Registrations: every change of places happens here, under a lock on the event row.

`register` and `cancel` lock the event (`SELECT ... FOR UPDATE`) before counting
confirmed places, so concurrent requests queue up and capacity is never exceeded.
Emails are sent by the service that decides to send them, once the change is committed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from allin_portal.emails import site_url, templated_email
from events.calendar import calendar_for
from events.models import Event, Registration


class RegistrationError(Exception):
    """A registration change that was refused; nothing was changed. str() is the message."""


@dataclass
class Guest:
    name: str
    email: str
    organization: str = ""
    country: str = ""


def can_manage(user):
    """Does the user hold events.manage_registrations (directly or by a group)?"""
    return user.is_authenticated and user.has_perm("events.manage_registrations")


def _lock(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def _send(template, registration, **context):
    """Write the email now (inside the lock), deliver it once the transaction commits.

    Nothing is sent for a change that is rolled back (e.g. a CSV import that fails at a
    later row), and a slow mail server never holds the event's lock.
    """
    if not registration.email:
        return
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "event_url": site_url(event.get_absolute_url()),
        **context,
    }
    message = templated_email(template, to=[registration.email], context=context)
    if registration.status == Registration.Status.CONFIRMED:
        message.attach(
            f"{event.slug}.ics",
            calendar_for([event], name=event.title, with_online_link=True),
            "text/calendar",
        )
    # robust: a mail server failure is logged and does not undo the registration.
    transaction.on_commit(message.send, robust=True)


def _place(event, registration, now):
    """Confirm the registration if a place is free, else put it at the end of the waitlist."""
    confirmed = event.registrations.confirmed().exclude(pk=registration.pk).count()
    if event.capacity is None or confirmed < event.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.waitlisted_at = None
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now


def register(*, event, user=None, guest=None, by=None, listed=False):
    """Register a user (themself, or by event staff) or a guest (by event staff only).

    Returns the registration, confirmed or waitlisted; raises RegistrationError.
    """
    if (user is None) == (guest is None):
        raise ValueError("Register either a user or a guest.")
    staff = by is not None and can_manage(by)
    if by is not None and by != user and not staff:
        raise RegistrationError(_("You may not register other people."))
    if user is not None and not staff:
        member = getattr(user, "member", None)
        if member is None or member.status != member.Status.APPROVED:
            raise RegistrationError(_("Only members of the network can register themselves."))
    with transaction.atomic():
        event = _lock(event)
        problem = event.registration_problem(staff=staff)
        if problem:
            raise RegistrationError(problem)
        if guest is not None:
            if not event.guests_allowed:
                raise RegistrationError(_("This event does not accept guests."))
            if not guest.name.strip() or not guest.email.strip():
                raise RegistrationError(_("A guest needs a name and an email address."))
            existing = event.registrations.filter(
                user__isnull=True, email__iexact=guest.email.strip()
            ).first()
        else:
            existing = event.registrations.filter(user=user).first()
        if existing and existing.status != Registration.Status.CANCELLED:
            raise RegistrationError(
                _("%(name)s is already registered for this event.")
                % {"name": existing.name or existing.email}
            )
        registration = existing or Registration(event=event)
        if guest is not None:
            registration.name = guest.name.strip()
            registration.email = guest.email.strip()
            registration.organization = guest.organization.strip()
            registration.country = guest.country
        else:
            member = getattr(user, "member", None)
            registration.user = user
            registration.email = user.email
            registration.name = (
                member.name if member else user.get_full_name() or user.email.split("@")[0]
            )
            if member is not None:
                registration.country = member.country
                if member.organization_id:
                    registration.organization = member.organization.name
        now = timezone.now()
        registration.event = event
        registration.listed = listed
        registration.registered_by = by or user
        registration.cancelled_at = None
        registration.checked_in_at = None
        registration.no_show = False
        _place(event, registration, now)
        registration.save()
        if registration.status == Registration.Status.CONFIRMED:
            _send("event_registration_confirmed", registration)
        else:
            _send(
                "event_registration_waitlisted",
                registration,
                position=waitlist_position(registration),
            )
    return registration


def cancel(*, registration, by):
    """Cancel a registration (its owner, or event staff); promote from the waitlist."""
    if by != registration.user and not can_manage(by):
        raise RegistrationError(_("You may not cancel this registration."))
    with transaction.atomic():
        event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationError(_("This registration is already cancelled."))
        if event.is_past:
            raise RegistrationError(_("This event is over."))
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.waitlisted_at = None
        registration.cancelled_at = timezone.now()
        registration.checked_in_at = None
        registration.save()
        promoted = promote(event=event) if was_confirmed else []
    return registration, promoted


def promote(*, event):
    """Confirm the first waitlisted while places are free (caller holds the event lock)."""
    promoted = []
    free = None
    if event.capacity is not None:
        free = event.capacity - event.registrations.confirmed().count()
    for registration in event.registrations.waitlisted().select_for_update():
        if free is not None and free <= 0:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at"])
        registration.event = event
        _send("event_registration_promoted", registration)
        promoted.append(registration)
        if free is not None:
            free -= 1
    return promoted


def waitlist_position(registration):
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def _require_staff(by):
    if not can_manage(by):
        raise RegistrationError(_("Only event staff may do this."))


@transaction.atomic
def check_in(*, registration, by, undo=False):
    _require_staff(by)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("Only confirmed registrations can be checked in."))
    registration.checked_in_at = None if undo else timezone.now()
    registration.no_show = False
    registration.save(update_fields=["checked_in_at", "no_show"])
    return registration


@transaction.atomic
def mark_no_show(*, registration, by, undo=False):
    _require_staff(by)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("Only confirmed registrations can be marked as no-shows."))
    registration.no_show = not undo
    registration.checked_in_at = None
    registration.save(update_fields=["checked_in_at", "no_show"])
    return registration


@transaction.atomic
def anonymise_registrations(*, user):
    """For a deleted account: keep the rows (for the counts), drop who it was."""
    return Registration.objects.filter(user=user).update(
        user=None, name="", email="", organization="", listed=False, registered_by=None
    )


def registrations_of(user):
    """The user's registrations, as plain data for the export of their own data."""
    rows = Registration.objects.filter(user=user).select_related("event").order_by("created_at")
    return [
        {
            "event": r.event.title,
            "event_url": site_url(r.event.get_absolute_url()),
            "event_starts_at": r.event.starts_at.isoformat(),
            "status": r.status,
            "registered_at": r.created_at.isoformat(),
            "waitlisted_at": r.waitlisted_at.isoformat() if r.waitlisted_at else None,
            "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
            "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
            "no_show": r.no_show,
            "listed": r.listed,
            "name": r.name,
            "email": r.email,
            "organization": r.organization,
            "country": str(r.country),
        }
        for r in rows
    ]
