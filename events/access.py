"""Who may open what of an event: the one getter of each kind, used by every event view
(public, participant, guest and staff) and by communications' event email page.

Refusals go through the portal's one policy (core/access.py): an object the user may not
know exists answers 404, a page they may not use raises PermissionDenied (403, or the sign-in
page for a visitor). Staff pages are guarded by `role_required(MANAGE_REGISTRATIONS)`.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.access import require
from events import tokens
from events.models import Event, Registration


def get_event_for(user, slug, *, queryset=None):
    """The one getter of an event: 404 for a slug that names none. Every event is public
    (its page, its calendar); what a user may do with it is the view's role or
    `get_participant_for`. `queryset`: the same events with what the page needs."""
    return get_object_or_404(Event.objects.all() if queryset is None else queryset, slug=slug)


def get_guest_registration(slug, token):
    """The registration behind a guest's emailed link (looked up by the token's SHA-256;
    only the hash is stored); 404 for any other token."""
    if len(token) > tokens.MAX_LENGTH:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("event"),
        event__slug=slug,
        token_hash=tokens.digest(token),
    )


def participant_token(request):
    """A guest's link token, carried as `?r=` (or posted) on the survey and certificate."""
    return request.POST.get("r") or request.GET.get("r") or ""


def get_participant_for(request, event):
    """The visitor's registration for `event` (None when they have none): a guest's by their
    link's token (`?r=`; 404 for a wrong one), a member's by their account (visitors sign in
    first). Pages for those who came then call `require_attended`."""
    token = participant_token(request)
    if token:
        registration = None
        if len(token) <= tokens.MAX_LENGTH:  # only the token's hash is stored
            registration = event.registrations.filter(token_hash=tokens.digest(token)).first()
        if registration is None:
            raise Http404
    else:
        require(request.user.is_authenticated)
        registration = event.registrations.filter(user=request.user).first()
    return registration


def require_attended(registration, reason):
    """Refuse (403, saying `reason`) anyone who was not checked in at the event."""
    require(registration is not None and registration.attended, reason, sign_in=False)


def with_token(url, token):
    return f"{url}?r={token}" if token else url


def participant_links(event, registration, token=""):
    """The survey and certificate links a participant who came is offered."""
    links = {}
    if registration is not None and registration.attended and event.has_begun:
        if event.survey_open:
            links["survey_url"] = with_token(reverse("events:survey", args=[event.slug]), token)
        if event.certificates_enabled:
            links["certificate_url"] = with_token(
                reverse("events:certificate", args=[event.slug]), token
            )
    return links
