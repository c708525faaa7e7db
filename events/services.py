"""Registrations: every change of places happens here, under a lock on the event row.

`register` and `cancel` lock the event (`SELECT ... FOR UPDATE`) before counting
confirmed places, so concurrent requests queue up and capacity is never exceeded.
Emails are sent by the service that decides to send them, once the change is committed.
"""

import datetime
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import site_url
from events.calendar import calendar_for
from events.certificates import Certificate
from events.models import Event, EventPerson, Registration
from events.questions import Answer
from events.surveys import SurveyResponse, SurveySubmission
from mail import outbox


class RegistrationError(Exception):
    """A registration change that was refused; nothing was changed. str() is the message."""


class AlreadyRegistered(RegistrationError):
    def __init__(self, message, registration):
        super().__init__(message)
        self.registration = registration


@dataclass
class Guest:
    name: str
    email: str
    organization: str = ""
    country: str = ""
    role: str = ""


# The event staff's permission: their pages are guarded by role_required(MANAGE_REGISTRATIONS)
# (core.access), so the staff's services (check_in, mark_no_show, register_many) trust
# their caller and check no role again. `register` and `cancel` read it to choose their
# rules (staff register others and correct a check-in), not to guard a page.
MANAGE_REGISTRATIONS = "events.manage_registrations"


def can_manage(user):
    """Does the user hold events.manage_registrations (directly or by a group)?"""
    return user.has_perm(MANAGE_REGISTRATIONS)


def _lock(event, now=None):
    """Lock the event row, then retire its expired holds and give their places away.

    Expiry is enforced here, at the moment places are counted, and by the scheduler's
    round (expire_holds, from `manage.py mail_scheduler`) for events nobody touches:
    every change of places on the event passes through this lock.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    expired = event.registrations.expired_holds(now).update(
        status=Registration.Status.EXPIRED, holds_place=False, hold_network=""
    )
    event.holds_expired = expired
    if expired:
        promote(event=event)
    return event


def expire_holds(now=None):
    """Retire every expired hold and promote from the waitlists, as a cancellation does
    (promotion emails through the outbox, after the commit). Run each minute by the mail
    scheduler (core.jobs.run_once), so an unconfirmed guest's place goes to
    the next in line even when nobody visits the event; every change of places on an event
    does the same first. Safe on several schedulers at once: each event is retired under
    its row lock, and a second pass finds nothing. Returns how many holds expired."""
    now = now or timezone.now()
    event_ids = (
        Registration.objects.expired_holds(now).values_list("event_id", flat=True).distinct()
    )
    expired = 0
    for event_id in list(event_ids):
        with transaction.atomic():
            expired += _lock(Event(pk=event_id), now).holds_expired
    return expired


def hold_minutes():
    return settings.REGISTRATION_HOLD_MINUTES


def address_block(ip):
    """The network a client address belongs to, as the hold limits count it: its IPv4 /24
    or IPv6 /64 (one subscriber gets a whole /64, so single IPv6 addresses are free to
    change); "" when the address is unknown or not an address."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _may_hold(event, network, now):
    """May one more unconfirmed guest hold a place? Unconfirmed holds together take at most
    GUEST_HOLDS_MAX_PERCENT of the capacity (at least one place), and one address block
    (address_block) at most GUEST_HOLDS_PER_NETWORK of them, so a burst of unconfirmed
    registrations cannot squat the places that members and confirmed guests are given.
    A guest refused a hold is registered all the same: a place when they confirm, if one
    is free, else the waitlist. Caller holds the event lock."""
    if event.capacity is None:
        return True  # holds take nothing from anyone
    holding = event.registrations.holding(now)
    share = max(1, event.capacity * settings.GUEST_HOLDS_MAX_PERCENT // 100)
    if holding.count() >= share:
        return False
    if network and holding.filter(hold_network=network).count() >= settings.GUEST_HOLDS_PER_NETWORK:
        return False
    return True


def _addresses_q(addresses, field="email"):
    """Rows whose `field` is one of the addresses, compared as the constraints compare."""
    condition = Q(pk__in=[])
    for address in addresses:
        condition |= Q(**{f"{field}__lower_exact": address})
    return condition


def account_addresses(user):
    """The addresses that are the account's: its sign-in address and every address it has
    confirmed (allauth's EmailAddress)."""
    from allauth.account.models import EmailAddress

    confirmed = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    return {address for address in [user.email, *confirmed] if address}


def _member_holding(event, email):
    """The active registration of an account that owns `email` (as its sign-in address, its
    registration's address or any address it confirmed), or None: one person, one place."""
    from allauth.account.models import EmailAddress

    owners = EmailAddress.objects.filter(email__lower_exact=email, verified=True).values("user_id")
    return (
        event.registrations.active()
        .filter(user__isnull=False)
        .filter(
            Q(email__lower_exact=email) | Q(user__email__lower_exact=email) | Q(user__in=owners)
        )
        .first()
    )


def _guest_twin(event, user):
    """The active guest registration made with one of the account's addresses, or None."""
    return (
        event.registrations.active()
        .filter(user__isnull=True)
        .filter(_addresses_q(account_addresses(user)))
        .first()
    )


def send_email(template, *, to, context, attachments=()):
    """Every email of the events app leaves here: queued in the outbox in this transaction,
    so nothing is sent for a change that is rolled back (e.g. a CSV import that fails at a
    later row), and the mail server is never waited for, least of all under the event's
    lock. `to`: a User (their language) or an address; attachments: (name, content, type)."""
    outbox.send(
        template,
        to=to,
        context=context,
        attachments=[outbox.attachment(*attachment) for attachment in attachments],
    )


def send_invitation(*, invitation):
    """Email a personal invitation link (after the commit, like every email)."""
    event = invitation.event
    invitation.ensure_link()  # before composing: the link the email carries must work
    send_email(
        "event_invitation",
        to=invitation.email,
        context={
            "invitation": invitation,
            "event": event,
            "invitation_url": site_url(invitation.get_absolute_url()),
        },
    )


def _send(template, registration, ics=None, **context):
    """A registrant's email, to their account (its language) when they have one."""
    if not registration.email and not registration.user_id:
        return
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "event_url": site_url(event.get_absolute_url()),
        **context,
    }
    if registration.has_link:
        token = registration.ensure_link()  # before composing: a lost link is renewed
        context["manage_url"] = site_url(registration.get_manage_url(token))
    attachments = []
    if registration.status == Registration.Status.CONFIRMED:
        if ics is None:
            ics = event_ics(event)
        attachments.append((f"{event.slug}.ics", ics, "text/calendar"))
    # To the account (its language) when the registrant has one, else to the address.
    to = registration.user if registration.user_id else registration.email
    send_email(template, to=to, context=context, attachments=attachments)


def event_ics(event):
    """The event's calendar file for its registrants (about 0.25 s: icalendar adds the
    time zone; a bulk import builds it once)."""
    return calendar_for([event], name=event.title, with_online_link=True)


def _place(event, registration, now):
    """Confirm the registration if a place is free, else put it at the end of the waitlist."""
    others = event.registrations.exclude(pk=registration.pk)
    taken = others.confirmed().count() + others.holding(now).count()
    if event.capacity is None or taken < event.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.waitlisted_at = None
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now


def register(
    *, event, user=None, guest=None, by=None, listed=False, answers=(), now=None, network=""
):
    """Register a user (themself, or by event staff) or a guest.

    A guest registered by event staff is placed at once. A guest registering themself
    (`by` is None; the event's policy must let guests in, the caller checks invitations)
    is PENDING: a place is held for them, if one is free, until they confirm their
    address by the emailed link or the hold expires.
    `answers`: unsaved Answer rows to the registration questions, saved with it.
    `network`: the self-registering guest's address block (address_block), for the limit
    on unconfirmed holds per network.

    One person, one place, decided under the event's lock: a guest's address that
    belongs to an account with an active registration is answered as already registered,
    and an account whose address has an active guest registration claims it (the rule of
    claim_guest_registrations); one that was already confirmed or waitlisted comes back
    with `claimed` set (an unconfirmed one is confirmed, as its link would).

    Returns the registration (pending, confirmed or waitlisted); raises RegistrationError.
    """
    if (user is None) == (guest is None):
        raise ValueError("Register either a user or a guest.")
    try:
        return _register(
            event=event,
            user=user,
            guest=guest,
            by=by,
            listed=listed,
            answers=answers,
            now=now,
            network=network,
        )
    except AlreadyRegistered as error:
        # The guest lost the email: send the link again, to that address only (after the
        # refused transaction, so the email is not rolled back with it).
        _send("event_registration_link", error.registration)
        raise


def _register(*, event, user, guest, by, listed, answers, now, network):
    self_service_guest = guest is not None and by is None
    staff = by is not None and can_manage(by)
    if by is not None and by != user and not staff:
        raise RegistrationError(_("You may not register other people."))
    if user is not None and not staff:
        member = getattr(user, "member", None)
        if member is None or member.status != member.Status.APPROVED:
            raise RegistrationError(_("Only members of the network can register themselves."))
    with transaction.atomic():
        event = _lock(event, now)
        problem = event.registration_problem(staff=staff)
        if problem:
            raise RegistrationError(problem)
        if self_service_guest:
            if event.registration_policy == Event.RegistrationPolicy.MEMBERS:
                raise RegistrationError(_("Only members of the network can register."))
        elif guest is not None and not event.guests_allowed:
            raise RegistrationError(_("This event does not accept guests."))
        if guest is not None:
            if not guest.name.strip() or not guest.email.strip():
                raise RegistrationError(_("A guest needs a name and an email address."))
            # As the unique constraint compares (core.lookups), not iexact.
            same_address = event.registrations.filter(email__lower_exact=guest.email.strip())
            member_registration = _member_holding(event, guest.email.strip())
            if member_registration is not None:
                if self_service_guest:
                    # Answered like any registration (the form must not tell who is
                    # registered); the email tells the member to sign in.
                    raise AlreadyRegistered("", member_registration)
                raise RegistrationError(
                    _("%(name)s is already registered for this event.")
                    % {"name": member_registration.name or member_registration.email}
                )
            existing = same_address.filter(user__isnull=True).first()
        else:
            existing = event.registrations.filter(user=user).first()
        reusable = (Registration.Status.CANCELLED, Registration.Status.EXPIRED)
        if user is not None and (existing is None or existing.status in reusable):
            twin = _guest_twin(event, user)
            if twin is not None and existing is None:
                registration = _claim(event, twin, user, now or timezone.now())
                return registration
            if twin is not None:
                # The account's own (cancelled) row stays; the guest one is the place.
                raise RegistrationError(
                    _(
                        "Your address is already registered for this event as a guest: use "
                        "the link in the email sent to it to see or cancel that registration."
                    )
                )
        if existing and existing.status not in reusable:
            if self_service_guest and existing.has_link:
                raise AlreadyRegistered(
                    _(
                        "This address is already registered for this event. We have sent "
                        "the link to see or cancel the registration to it again."
                    ),
                    existing,
                )
            raise RegistrationError(
                _("%(name)s is already registered for this event.")
                % {"name": existing.name or existing.email}
            )
        registration = existing or Registration(event=event)
        _fill_registrant(registration, user=user, guest=guest)
        if guest is not None:
            registration.role = guest.role
        now = now or timezone.now()
        registration.event = event
        registration.listed = listed
        registration.registered_by = by or user
        registration.cancelled_at = None
        registration.checked_in_at = None
        registration.no_show = False
        if guest is not None and not registration.has_link:
            registration.issue_token()
        if self_service_guest:
            _place(event, registration, now)
            registration.holds_place = registration.status == Registration.Status.CONFIRMED
            if registration.holds_place and not _may_hold(event, network, now):
                registration.holds_place = False
            registration.hold_network = network if registration.holds_place else ""
            registration.status = Registration.Status.PENDING
            registration.waitlisted_at = None
            registration.email_confirmed_at = None
            registration.hold_expires_at = now + datetime.timedelta(minutes=hold_minutes())
        else:
            registration.holds_place = False
            registration.hold_network = ""
            registration.hold_expires_at = None
            _place(event, registration, now)
        registration.save()
        if answers:
            registration.answers.all().delete()
            for answer in answers:
                answer.registration = registration
            registration.answers.model.objects.bulk_create(answers)
        if registration.status == Registration.Status.PENDING:
            _send("event_registration_pending", registration)
        elif registration.status == Registration.Status.CONFIRMED:
            _send("event_registration_confirmed", registration)
        else:
            _send(
                "event_registration_waitlisted",
                registration,
                position=waitlist_position(registration),
            )
    return registration


def _claim(event, twin, user, now):
    """The account takes the guest registration made with its address (caller holds the
    event lock). Signing in proves the address, so an unconfirmed one is confirmed as
    the guest's link would: the held place, else a free place, else the waitlist."""
    twin = Registration.objects.select_for_update().get(pk=twin.pk)
    twin.event = event
    twin.user = user
    # Already confirmed or waitlisted: the place was theirs; no new email.
    twin.claimed = twin.status != Registration.Status.PENDING
    if twin.claimed:
        twin.save(update_fields=["user"])
        return twin
    live_hold = twin.holds_place and twin.hold_expires_at > now
    twin.email_confirmed_at = now
    twin.holds_place = False
    twin.hold_network = ""
    if live_hold:
        twin.status = Registration.Status.CONFIRMED
        twin.waitlisted_at = None
    else:
        _place(event, twin, now)
    twin.save()
    if twin.status == Registration.Status.CONFIRMED:
        _send("event_registration_confirmed", twin)
    else:
        _send("event_registration_waitlisted", twin, position=waitlist_position(twin))
    return twin


def _fill_registrant(registration, *, user, guest):
    """Who the registration is for: a guest's details as given, or the account's (the
    member's name, country and organization when there is a member record)."""
    if guest is not None:
        registration.name = guest.name.strip()
        registration.email = guest.email.strip()
        registration.organization = guest.organization.strip()
        registration.country = guest.country
        return
    member = getattr(user, "member", None)
    registration.user = user
    registration.email = user.email
    registration.name = member.name if member else user.get_full_name() or user.email.split("@")[0]
    if member is not None:
        registration.country = member.country
        if member.organization_id:
            registration.organization = member.organization.name


def register_many(*, event, people, by):
    """Register many people at once (event staff's CSV import): all of them, or none.

    people: (row number, user or None, Guest or None, listed). The rules of `register`,
    checked under the same lock, in a few queries per thousand people: places go in
    order to the first rows, the rest join the waitlist in order. Returns the
    registrations; raises RegistrationError naming the row.
    """
    with transaction.atomic():
        event = _lock(event)
        problem = event.registration_problem(staff=True)
        if problem:
            raise RegistrationError(problem)
        for number, _user, guest, _listed in people:
            if guest is not None and not event.guests_allowed:
                raise RegistrationError(
                    _("Row %(line)d: %(error)s")
                    % {"line": number, "error": _("This event does not accept guests.")}
                )
        user_ids = [user.pk for _n, user, _g, _l in people if user is not None]
        by_user = {r.user_id: r for r in event.registrations.filter(user_id__in=user_ids)}
        guest_emails = [g.email.strip().lower() for _n, _u, g, _l in people if g is not None]
        by_email = {
            r.email_lower: r
            for r in event.registrations.filter(user__isnull=True)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=guest_emails)
        }
        people_of = _active_people(event, people)
        # Places held by guests who have not yet confirmed their address count as taken.
        confirmed = event.registrations.confirmed().count() + event.registrations.holding().count()
        waitlisted = event.registrations.waitlisted().count()
        now = timezone.now()
        new, reused, positions = [], [], {}
        for number, user, guest, listed in people:
            if guest is not None:
                existing = by_email.get(guest.email.strip().lower())
            else:
                existing = by_user.get(user.pk)
            if existing is None or existing.status == Registration.Status.CANCELLED:
                # One person, one place: the same address as a guest and as an account.
                existing = people_of(user, guest) or existing
            if existing and existing.status != Registration.Status.CANCELLED:
                raise RegistrationError(
                    _("Row %(line)d: %(error)s")
                    % {
                        "line": number,
                        "error": _("%(name)s is already registered for this event.")
                        % {"name": existing.name or existing.email},
                    }
                )
            registration = existing or Registration(event=event)
            _fill_registrant(registration, user=user, guest=guest)
            registration.event = event
            registration.listed = listed
            registration.registered_by = by
            registration.cancelled_at = None
            registration.checked_in_at = None
            registration.no_show = False
            if event.capacity is None or confirmed < event.capacity:
                registration.status = Registration.Status.CONFIRMED
                registration.waitlisted_at = None
                confirmed += 1
            else:
                registration.status = Registration.Status.WAITLISTED
                # Microseconds apart: the waitlist keeps the file's order.
                registration.waitlisted_at = now + datetime.timedelta(microseconds=len(positions))
                waitlisted += 1
                positions[id(registration)] = waitlisted
            (reused if existing else new).append(registration)
        Registration.objects.bulk_create(new, batch_size=1000)
        Registration.objects.bulk_update(
            reused,
            [
                "name",
                "email",
                "organization",
                "country",
                "user",
                "listed",
                "registered_by",
                "cancelled_at",
                "checked_in_at",
                "no_show",
                "status",
                "waitlisted_at",
            ],
            batch_size=1000,
        )
        registrations = new + reused
        # Thousands of emails take a while to write: after the commit, so that the
        # event's lock (self-registrations wait for it) is held only for the writes.
        transaction.on_commit(lambda: _send_many(event, registrations, positions))
    return registrations


def _active_people(event, people):
    """For register_many: a function (user, guest) -> the active registration of the same
    person under another form (the account's guest registration, the guest address's
    account), or None; in three queries, counting the rows of the file as they come."""
    from allauth.account.models import EmailAddress

    active = event.registrations.active().annotate(email_lower=Lower("email"))
    by_email = {r.email_lower: r for r in active if r.email_lower}
    by_user = {r.user_id: r for r in by_email.values() if r.user_id}
    user_ids = [user.pk for _n, user, _g, _l in people if user is not None]
    guest_emails = [g.email.strip().lower() for _n, _u, g, _l in people if g is not None]
    confirmed = EmailAddress.objects.filter(verified=True).annotate(email_lower=Lower("email"))
    addresses = {}
    for address in confirmed.filter(user_id__in=user_ids):
        addresses.setdefault(address.user_id, set()).add(address.email_lower)
    owners = {a.email_lower: a.user_id for a in confirmed.filter(email_lower__in=guest_emails)}

    def find(user, guest):
        if guest is not None:
            email = guest.email.strip().lower()
            found = by_user.get(owners.get(email))
            same = by_email.get(email)
            if same is not None and same.user_id:
                found = same
            by_email.setdefault(email, Registration(event=event, email=email, name=guest.name))
            return found
        found = None
        for email in {user.email.lower(), *addresses.get(user.pk, ())}:
            row = by_email.get(email)
            if row is not None and row.user_id != user.pk:
                found = row
        by_user.setdefault(user.pk, Registration(event=event, user=user, email=user.email))
        by_email.setdefault(user.email.lower(), by_user[user.pk])
        return found

    return find


@transaction.atomic
def _send_many(event, registrations, positions):
    """The attendees' emails are mail to many: written in one transaction and delivered in
    batches on the bulk queue, never ahead of someone's own sign-up or registration email."""
    with outbox.in_bulk():
        _send_each(event, registrations, positions)


def _send_each(event, registrations, positions):
    ics = event_ics(event)
    for registration in registrations:
        if registration.status == Registration.Status.CONFIRMED:
            _send("event_registration_confirmed", registration, ics=ics)
        else:
            _send(
                "event_registration_waitlisted",
                registration,
                position=positions[id(registration)],
            )


def cancel(*, registration, by=None, token=None):
    """Cancel a registration (its owner, a guest by their link's token, or event staff).

    Promotes from the waitlist when a place is freed.
    """
    guest_link = token is not None and registration.token_matches(token)
    if not guest_link and (by is None or by != registration.user) and not (by and can_manage(by)):
        raise RegistrationError(_("You may not cancel this registration."))
    with transaction.atomic():
        event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status in (Registration.Status.CANCELLED, Registration.Status.EXPIRED):
            raise RegistrationError(_("This registration is already cancelled."))
        if registration.checked_in_at is not None and not (by and can_manage(by)):
            # Cancelling would erase the attendance that surveys, certificates and the
            # figures rest on; staff may still correct a mistaken check-in.
            raise RegistrationError(_("You were checked in: your attendance stays on record."))
        if event.is_past:
            raise RegistrationError(_("This event is over."))
        was_confirmed = registration.status == Registration.Status.CONFIRMED or (
            registration.status == Registration.Status.PENDING and registration.holds_place
        )
        registration.status = Registration.Status.CANCELLED
        registration.holds_place = False
        registration.hold_network = ""
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
        taken = event.registrations.confirmed().count() + event.registrations.holding().count()
        free = event.capacity - taken
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


def confirm_guest(*, registration, token):
    """A guest confirms their address by their link: the held place becomes theirs.

    If the hold expired meanwhile (or no place was free), they get a place when one is
    free, else join the end of the waitlist now. Returns the registration.
    """
    if not registration.token_matches(token):
        raise RegistrationError(_("This link is not valid."))
    with transaction.atomic():
        now = timezone.now()
        # Lock first: an expired hold is retired (its place given away) before we look.
        event = _lock(registration.event, now)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
            return registration
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationError(_("This registration was cancelled."))
        live_hold = (
            registration.status == Registration.Status.PENDING
            and registration.holds_place
            and registration.hold_expires_at > now
        )
        if not live_hold:
            problem = event.registration_problem()
            if problem:
                raise RegistrationError(problem)
        registration.email_confirmed_at = now
        registration.holds_place = False
        registration.hold_network = ""
        registration.event = event
        if live_hold:
            registration.status = Registration.Status.CONFIRMED
            registration.waitlisted_at = None
        else:
            _place(event, registration, now)
        _claim_for_account(registration)
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


def _claim_for_account(registration):
    """Attach a guest's registration to the account that owns the same confirmed address."""
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(email__lower_exact=registration.email, verified=True)
        .select_related("user")
        .first()
    )
    if address and not registration.event.registrations.filter(user=address.user).exists():
        registration.user = address.user


@transaction.atomic
def claim_guest_registrations(*, user, email):
    """A new account's confirmed address finds the guest registrations made with it.

    Matched case-insensitively; an event where the account already has a registration
    keeps that one. Returns how many were attached.
    """
    taken = Registration.objects.filter(user=user).values("event_id")
    return (
        Registration.objects.filter(user__isnull=True, email__lower_exact=email.strip())
        .exclude(email="")
        .exclude(event_id__in=taken)
        .update(user=user)
    )


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


@transaction.atomic
def check_in(*, registration, by, undo=False, reason=""):
    """Check a confirmed registrant in on the event's days; on other days only with a reason."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("Only confirmed registrations can be checked in."))
    reason = " ".join(reason.replace("\x00", "").split())[:300]  # posted without a form
    if not undo and not registration.event.check_in_open and not reason:
        raise RegistrationError(
            _(
                "Check-in is open on the event's days only. To check someone in on another "
                "day, give the reason."
            )
        )
    registration.checked_in_at = None if undo else timezone.now()
    registration.check_in_reason = "" if undo or registration.event.check_in_open else reason
    registration.no_show = False
    registration.save(update_fields=["checked_in_at", "check_in_reason", "no_show"])
    return registration


@transaction.atomic
def mark_no_show(*, registration, by, undo=False):
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("Only confirmed registrations can be marked as no-shows."))
    registration.no_show = not undo
    registration.checked_in_at = None
    registration.save(update_fields=["checked_in_at", "no_show"])
    return registration


def cancel_upcoming(*, user):
    """For a deleted account: give up its places at events not over yet, each through
    `cancel` (so the first waitlisted is promoted). Attendance already checked in stays.
    Returns the cancelled registrations."""
    upcoming = (
        Registration.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .active()
        .filter(checked_in_at__isnull=True)
        .select_related("event")
        .order_by("pk")
    )
    return [cancel(registration=r, by=user)[0] for r in upcoming]


@transaction.atomic
def anonymise_registrations(*, user):
    """For a deleted account: keep the rows (for the counts), drop who it was."""
    return Registration.objects.filter(user=user).update(
        user=None, name="", email="", organization="", listed=False, registered_by=None
    )


def _when(value):
    return value.isoformat() if value else None


def _answers(answers):
    return [{"question": a.label, "answer": a.text} for a in answers]


def registrations_of(user):
    """The user's registrations, as plain data for the export of their own data: with the
    answers to the registration questions, the feedback survey (its answers when given
    with the name; only the day when answered anonymously) and the certificate."""
    rows = (
        Registration.objects.filter(user=user)
        .select_related("event")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("pk")),
            Prefetch(
                "survey_response",
                queryset=SurveyResponse.objects.prefetch_related(
                    Prefetch("answers", queryset=Answer.objects.order_by("pk"))
                ),
            ),
        )
        .order_by("created_at", "pk")
    )
    submitted = dict(
        SurveySubmission.objects.filter(registration__user=user).values_list(
            "registration", "submitted_on"
        )
    )
    certificates = {
        c.registration_id: c for c in Certificate.objects.filter(registration__user=user)
    }
    result = []
    for r in rows:
        response = getattr(r, "survey_response", None)
        certificate = certificates.get(r.pk)
        result.append(
            {
                "event": r.event.title,
                "event_url": site_url(r.event.get_absolute_url()),
                "event_starts_at": r.event.starts_at.isoformat(),
                "status": r.status,
                "registered_at": r.created_at.isoformat(),
                "waitlisted_at": _when(r.waitlisted_at),
                "cancelled_at": _when(r.cancelled_at),
                "checked_in_at": _when(r.checked_in_at),
                "no_show": r.no_show,
                "listed": r.listed,
                "name": r.name,
                "email": r.email,
                "organization": r.organization,
                "country": str(r.country),
                "answers": _answers(r.answers.all()),
                "survey_submitted_on": _when(submitted.get(r.pk)),
                "survey_answers": _answers(response.answers.all()) if response else None,
                "certificate": {
                    "name": certificate.name,
                    "code": certificate.code,
                    "url": site_url(certificate.get_absolute_url()),
                    "issued_at": _when(certificate.issued_at),
                    "revoked_at": _when(certificate.revoked_at),
                }
                if certificate
                else None,
            }
        )
    return result


def event_roles_of(user):
    """The programme roles of the user's member record (speaker, moderator...)."""
    return [
        {
            "event": p.event.title,
            "role": p.role,
            "name": p.name,
            "position": p.position,
            "organization": p.organization,
        }
        for p in EventPerson.objects.filter(member__user=user)
        .select_related("event")
        .order_by("event__starts_at", "order")
    ]
