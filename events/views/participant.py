"""What a member does with their own registration (cancel it), and what a participant does
after the gathering: the feedback survey and the certificate.

Members are recognised by their account, guests by their registration link's token
(`?r=`); either way only a checked-in participant gets a survey or a certificate
(`events.access.require_attended`). Guests manage their registration in `guest.py`.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import require
from core.emails import site_url
from events import services
from events.access import (
    get_event_for,
    get_participant_for,
    participant_token,
    require_attended,
    with_token,
)
from events.certificates import Certificate, render_pdf
from events.forms import SurveyForm
from events.questions import Question
from events.surveys import SurveySubmission, submit_survey


@require_POST
def cancel(request, slug):
    """A member cancels their own registration (from the event's page)."""
    require(request.user.is_authenticated)
    event = get_event_for(request.user, slug)
    registration = get_object_or_404(event.registrations.active(), user=request.user)
    try:
        services.cancel(registration=registration, by=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, slug):
    event = get_event_for(request.user, slug)
    registration = get_participant_for(request, event)
    token = participant_token(request)
    context = {"event": event, "token": token}
    if not event.survey_open or not event.has_begun:
        return render(request, "events/survey.html", {**context, "closed": True}, status=404)
    require_attended(
        registration, _("The survey is for participants who were checked in at the event.")
    )
    if SurveySubmission.objects.filter(registration=registration).exists():
        status = 409 if request.method == "POST" else 200
        return render(request, "events/survey.html", {**context, "done": True}, status=status)
    questions = list(event.questions.filter(form=Question.Form.SURVEY))
    form = SurveyForm(
        request.POST or None,
        questions=questions,
        allow_anonymous=event.survey_anonymous_allowed,
    )
    if request.method == "POST":
        if form.is_valid():
            anonymous = event.survey_anonymous_allowed and form.cleaned_data.get("anonymous")
            try:
                submit_survey(
                    registration=registration, answers=form.answers(), anonymous=anonymous
                )
            except IntegrityError:
                return render(request, "events/survey.html", {**context, "done": True}, status=409)
            messages.success(request, _("Thank you for your feedback."))
            return redirect(with_token(reverse("events:survey", args=[event.slug]), token))
        return render(request, "events/survey.html", {**context, "form": form}, status=400)
    return render(request, "events/survey.html", {**context, "form": form})


@require_safe
def certificate(request, slug):
    """The participant's certificate of attendance (PDF), issued on first download."""
    event = get_event_for(request.user, slug)
    registration = get_participant_for(request, event)
    if not event.certificates_enabled:
        raise Http404
    require(
        event.has_begun,
        _("Certificates of attendance are issued once the event has begun."),
        sign_in=False,
    )
    require_attended(
        registration, _("Certificates are for participants who were checked in at the event.")
    )
    cert, _created = Certificate.objects.get_or_create(
        registration=registration, defaults={"name": registration.name}
    )
    require(
        not cert.revoked_at,
        _("This certificate was revoked by the event staff."),
        sign_in=False,
    )
    body = render_pdf(cert, verify_url=site_url(cert.get_absolute_url()))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{event.slug}.pdf"'
    return response


@require_safe
def verify(request, code):
    """Public: confirms the name, event and date of a certificate, and nothing else.
    An unknown code is told it is not valid (404), with nothing about any certificate."""
    cert = Certificate.objects.select_related("registration__event").filter(code=code[:64]).first()
    if cert is None:
        return render(request, "events/certificate_verify.html", status=404)
    return render(
        request,
        "events/certificate_verify.html",
        {"certificate": cert, "event": cert.registration.event},
    )
