"""Registration for people without an account: the form, the emailed link, invitations.

Members keep their one-click registration (views.register_member); this page serves
guests where the event's policy lets them in. Works without JavaScript.
"""

import hashlib

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from events import services, tokens
from events.calendar import calendar_for
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


def register(request, slug):
    """GET: the guest form (or sign-in for members-only events). POST: register."""
    from events.views import register_member

    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    event = get_object_or_404(Event.objects.with_attendance(), slug=slug)
    policy = event.registration_policy
    user = request.user
    if _is_member(user) or (user.is_authenticated and policy == Event.RegistrationPolicy.MEMBERS):
        if request.method == "POST":
            return register_member(request, event)
        return redirect(event)
    if policy == Event.RegistrationPolicy.MEMBERS:
        raise PermissionDenied  # visitors are sent to sign in (core.access)
    token = request.POST.get("invitation") or request.GET.get("invitation") or ""
    invitation = find_invitation(event, token)
    context = {"event": event, "invitation_token": token if invitation else ""}
    if policy == Event.RegistrationPolicy.INVITED and invitation is None:
        return render(request, "events/guest_register.html", context, status=403)
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


def participant_links(event, registration, token=""):
    """The survey and certificate links a checked-in participant is offered."""
    from django.urls import reverse

    from events.participant_views import with_token

    links = {}
    attended = (
        registration is not None
        and registration.status == Registration.Status.CONFIRMED
        and registration.checked_in_at is not None
    )
    if attended and event.has_begun:
        if event.survey_open:
            links["survey_url"] = with_token(reverse("events:survey", args=[event.slug]), token)
        if event.certificates_enabled:
            links["certificate_url"] = with_token(
                reverse("events:certificate", args=[event.slug]), token
            )
    return links


def _guest_registration(slug, token):
    """The registration behind a guest's link (looked up by the token's SHA-256; only the
    hash is stored); 404 for any other token."""
    if len(token) > tokens.MAX_LENGTH:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("event"),
        event__slug=slug,
        token_hash=tokens.digest(token),
    )


@require_safe
def manage(request, slug, token):
    registration = _guest_registration(slug, token)
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
    registration = _guest_registration(slug, token)
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
    registration = _guest_registration(slug, token)
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
    registration = _guest_registration(slug, token)
    if registration.status != Registration.Status.CONFIRMED:
        return HttpResponse(status=404)
    event = registration.event
    response = HttpResponse(
        calendar_for([event], name=event.title, with_online_link=True),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
