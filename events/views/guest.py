"""Registration for people without an account: the form, the emailed link, invitations.

Members keep their one-click registration (`register_member`, posted from the event page
to the same address); this page serves guests where the event's policy lets them in.
Works without JavaScript.
"""

import hashlib

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import require
from events import services, tokens
from events.access import get_event_for, get_guest_registration, participant_links
from events.calendar import calendar_for, calendar_response
from events.forms import GuestRegistrationForm
from events.models import Event, Invitation, Registration
from events.questions import Question

RATE_WINDOW = 3600


def _over_limit(kind, value, limit):
    """Count one attempt in the shared cache; True once the hour's limit is passed."""
    digest = hashlib.sha256(str(value).lower().encode()).hexdigest()[:32]
    key = f"events:guest-register:{kind}:{digest}"
    if cache.add(key, 1, RATE_WINDOW):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        return limit < 1


def _is_member(user):
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and member.status == member.Status.APPROVED


def find_invitation(event, token):
    """The per-invitee Invitation, True for the event's own link, None when not valid.

    Only hashes are stored (events/tokens.py): the event's link is compared in constant
    time with its derived token, an invitation is looked up by its token's SHA-256."""
    if not token or len(token) > tokens.MAX_LENGTH:
        return None
    if event.is_invitation_token(token):
        return True
    return Invitation.objects.filter(event=event, token_hash=tokens.digest(token)).first()


def register_member(request, event):
    """A signed-in member registers in one click (POST from the event page)."""
    try:
        registration = services.register(
            event=event, user=request.user, by=request.user, listed="listed" in request.POST
        )
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        if getattr(registration, "claimed", False):
            messages.info(
                request,
                _(
                    "You were already registered with your address as a guest: that "
                    "registration is now on your account."
                ),
            )
        elif registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are registered. A confirmation email is on its way."))
        else:
            messages.info(request, _("The event is full: you are on the waitlist."))
    return redirect(event)


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, slug):
    """GET: the guest form (or sign-in for members-only events). POST: register; a member
    registers in one click (`register_member`)."""
    event = get_event_for(request.user, slug, queryset=Event.objects.with_attendance())
    policy = event.registration_policy
    user = request.user
    if _is_member(user) or (user.is_authenticated and policy == Event.RegistrationPolicy.MEMBERS):
        if request.method == "POST":
            return register_member(request, event)
        return redirect(event)
    require(policy != Event.RegistrationPolicy.MEMBERS)  # visitors sign in (core.access)
    token = request.POST.get("invitation") or request.GET.get("invitation") or ""
    invitation = find_invitation(event, token)
    # A guest without a valid invitation is told how to get in; signing in is offered (a
    # member registers in one click), not imposed.
    require(
        policy != Event.RegistrationPolicy.INVITED or invitation is not None,
        _(
            "Registration for this event is by invitation. Use the link in your invitation, "
            "or sign in if you are a member."
        ),
        sign_in=False,
    )
    context = {"event": event, "invitation_token": token if invitation else ""}
    problem = event.registration_problem()
    if problem:
        return render(request, "events/guest_register.html", {**context, "problem": problem})
    questions = list(event.questions.filter(form=Question.Form.REGISTRATION))
    initial = {}
    if isinstance(invitation, Invitation):
        initial = {"name": invitation.name, "email": invitation.email}
    elif user.is_authenticated:
        initial = {"email": user.email}
    form = GuestRegistrationForm(request.POST or None, initial=initial, questions=questions)
    if isinstance(invitation, Invitation):
        # A personal link registers the invited address only (a posted one is ignored), so
        # it cannot be passed on, and a second use meets the address's own registration.
        form.fields["email"].disabled = True
    status = 200
    if request.method == "POST":
        status = 400
        ip = get_adapter().get_client_ip(request)
        if _over_limit("ip", ip, settings.GUEST_REGISTRATIONS_PER_IP_HOUR):
            form.add_error(None, _("Too many registrations from your network. Try again later."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled in the honeypot: answer as if it worked, keep nothing.
                messages.success(request, _("Check your email to confirm your registration."))
                return redirect(event)
            if _over_limit("email", data["email"], settings.GUEST_REGISTRATIONS_PER_EMAIL_HOUR):
                form.add_error("email", _("Too many registrations for this address. Try later."))
                status = 429
            else:
                guest = services.Guest(
                    name=data["name"],
                    email=data["email"],
                    organization=data["organization"],
                    country=data["country"] or "",
                    role=data["role"],
                )
                try:
                    services.register(
                        event=event,
                        guest=guest,
                        listed=data["listed"],
                        answers=form.answers(),
                        network=services.address_block(ip),
                    )
                except services.AlreadyRegistered:
                    # The address was registered already: its link went to it again. Told
                    # as any registration, so the form reveals nobody's registration.
                    messages.success(request, _almost_done(services.hold_minutes()))
                    return redirect(event)
                except services.RegistrationError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _almost_done(services.hold_minutes()))
                    return redirect(event)
    return render(request, "events/guest_register.html", {**context, "form": form}, status=status)


def _almost_done(minutes):
    """What a guest is told after registering: the link's time limit in whole hours, or
    in minutes when it is not a whole number of hours ("2 hours", "90 minutes")."""
    if minutes % 60:
        return ngettext(
            "Almost done: we have emailed you a link. Open it within %(n)d minute to "
            "confirm your registration.",
            "Almost done: we have emailed you a link. Open it within %(n)d minutes to "
            "confirm your registration.",
            minutes,
        ) % {"n": minutes}
    hours = minutes // 60
    return ngettext(
        "Almost done: we have emailed you a link. Open it within %(n)d hour to "
        "confirm your registration.",
        "Almost done: we have emailed you a link. Open it within %(n)d hours to "
        "confirm your registration.",
        hours,
    ) % {"n": hours}


@require_safe
def manage(request, slug, token):
    registration = get_guest_registration(slug, token)
    event = registration.event
    position = services.waitlist_position(registration)
    return render(
        request,
        "events/guest_manage.html",
        {
            "event": event,
            "registration": registration,
            "position": position,
            "expired": registration.status == Registration.Status.EXPIRED
            or (registration.status == Registration.Status.PENDING and not registration.is_pending),
            "answers": list(registration.answers.all()),
            "token": token,
            **participant_links(event, registration, token),
        },
    )


@require_POST
def confirm(request, slug, token):
    registration = get_guest_registration(slug, token)
    try:
        registration = services.confirm_guest(registration=registration, token=token)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("Your registration is confirmed. See you there!"))
        else:
            messages.info(
                request, _("Your address is confirmed. The event is full: you are on the waitlist.")
            )
    return redirect("events:guest_manage", slug=slug, token=token)


@require_POST
def cancel(request, slug, token):
    registration = get_guest_registration(slug, token)
    try:
        services.cancel(registration=registration, token=token)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:guest_manage", slug=slug, token=token)


@require_safe
def calendar(request, slug, token):
    """The event's calendar file with its online link, for a confirmed guest."""
    registration = get_guest_registration(slug, token)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    event = registration.event
    return calendar_response(
        calendar_for([event], name=event.title, with_online_link=True), f"{event.slug}.ics"
    )
