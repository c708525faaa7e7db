"""What an address receives: the account's preferences page and the unsubscribe link of
every email (RFC 8058 one-click)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mail import outbox
from mail.forms import PreferencesForm
from mail.models import Kind, Subscription


def set_subscription(email, kind, subscribed):
    Subscription.objects.update_or_create(
        email=email.lower(),
        kind=kind,
        defaults={"subscribed": subscribed, "changed_at": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    email = request.user.email
    current = {kind: outbox.wants(email, kind) for kind in Subscription.DEFAULTS}
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind in Subscription.DEFAULTS:
                if form.cleaned_data[kind] != current[kind]:
                    set_subscription(email, kind, form.cleaned_data[kind])
        messages.success(request, _("Your email preferences are saved."))
        return redirect("mail:preferences")
    return render(request, "mail/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: the mail provider posts "List-Unsubscribe=One-Click"; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows one button (link scanners must not unsubscribe anyone); POST unsubscribes,
    from that button or straight from the mail client."""
    try:
        email, kind = outbox.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "mail/unsubscribe_invalid.html", status=404)
    label = Kind(kind).label
    if request.method == "POST":
        set_subscription(email, kind, False)
        return render(request, "mail/unsubscribed.html", {"kind": label})
    return render(request, "mail/unsubscribe.html", {"kind": label, "email": email})
