"""What a participant does after the gathering: the feedback survey and the certificate.

Members are recognised by their account, guests by their registration link's token
(`?r=`); either way only a checked-in participant gets in.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.emails import site_url
from events import tokens
from events.certificates import Certificate, render_pdf
from events.forms import SurveyForm
from events.models import Event, Registration
from events.questions import Question
from events.surveys import SurveyResponse, SurveySubmission


def _participant(request, event):
    """The visitor's registration for the event, a redirect to sign in, or 404."""
    token = request.POST.get("r") or request.GET.get("r") or ""
    if token:
        registration = None
        if len(token) <= tokens.MAX_LENGTH:  # only the token's hash is stored
            registration = event.registrations.filter(token_hash=tokens.digest(token)).first()
        if registration is None:
            raise Http404
        return registration, token
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path()), ""
    return event.registrations.filter(user=request.user).first(), ""


def _attended(registration):
    return (
        registration is not None
        and registration.status == Registration.Status.CONFIRMED
        and registration.checked_in_at is not None
    )


def with_token(url, token):
    return f"{url}?r={token}" if token else url


def survey(request, slug):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    event = get_object_or_404(Event, slug=slug)
    registration, token = _participant(request, event)
    if isinstance(registration, HttpResponse):
        return registration
    context = {"event": event, "token": token}
    if not event.survey_open or not event.has_begun:
        return render(request, "events/survey.html", {**context, "closed": True}, status=404)
    if not _attended(registration):
        return render(request, "events/survey.html", {**context, "refused": True}, status=403)
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


def submit_survey(*, registration, answers, anonymous):
    """Answer once: the submission row is unique per registration (a second one fails)."""
    with transaction.atomic():
        SurveySubmission.objects.create(registration=registration)
        response = SurveyResponse.objects.create(
            event_id=registration.event_id,
            registration=None if anonymous else registration,
            submitted_on=timezone.localdate(),
        )
        for answer in answers:
            answer.response = response
        response.answers.model.objects.bulk_create(answers)
    return response


@require_safe
def certificate(request, slug):
    """The participant's certificate of attendance (PDF), issued on first download."""
    event = get_object_or_404(Event, slug=slug)
    registration, token = _participant(request, event)
    if isinstance(registration, HttpResponse):
        return registration
    context = {"event": event, "token": token}
    if not event.certificates_enabled:
        raise Http404
    if not event.has_begun:
        return render(
            request, "events/certificate_refused.html", {**context, "not_yet": True}, status=403
        )
    if not _attended(registration):
        return render(request, "events/certificate_refused.html", context, status=403)
    cert, _created = Certificate.objects.get_or_create(
        registration=registration, defaults={"name": registration.name}
    )
    if cert.revoked_at:
        return render(
            request, "events/certificate_refused.html", {**context, "revoked": True}, status=403
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
