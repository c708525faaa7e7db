"""Event staff pages for guests: questions, invitations, the event's settings,
survey results and certificates. Same decorator as the other staff pages."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.access import role_required
from core.emails import site_url
from core.spreadsheets import csv_download
from events import services, surveys_report
from events.forms import EventSettingsForm, InvitationForm, QuestionForm
from events.models import Event, Invitation, Outcome
from events.questions import Question


def _form_kind(value):
    return value if value in Question.Form.values else Question.Form.REGISTRATION


@role_required(services.MANAGE_REGISTRATIONS)
def questions(request, slug):
    """The event's registration and survey questions; add one."""
    event = get_object_or_404(Event, slug=slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return _405()
    form_kind = _form_kind(request.POST.get("form") or request.GET.get("form"))
    form = QuestionForm(request.POST or None, form_kind=form_kind, languages=event.languages)
    status = 200
    if request.method == "POST":
        form.instance.event = event
        if form.is_valid():
            form.save()
            messages.success(request, _("Question added."))
            return redirect(f"{request.path}?form={form_kind}")
        status = 400
    return render(
        request,
        "events/staff/questions.html",
        {
            "event": event,
            "form": form,
            "form_kind": form_kind,
            "registration_questions": event.questions.filter(form=Question.Form.REGISTRATION),
            "survey_questions": event.questions.filter(form=Question.Form.SURVEY),
        },
        status=status,
    )


def _405():
    from django.http import HttpResponse

    return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})


@role_required(services.MANAGE_REGISTRATIONS)
def question_edit(request, slug, pk):
    event = get_object_or_404(Event, slug=slug)
    question = get_object_or_404(event.questions, pk=pk)
    if request.method not in ("GET", "HEAD", "POST"):
        return _405()
    form = QuestionForm(
        request.POST or None,
        instance=question,
        form_kind=question.form,
        languages=event.languages,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Question saved. Earlier answers keep the wording they had."))
        return redirect(f"{reverse('events:questions', args=[event.slug])}?form={question.form}")
    return render(
        request,
        "events/staff/question_edit.html",
        {"event": event, "form": form, "question": question},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def question_delete(request, slug, pk):
    event = get_object_or_404(Event, slug=slug)
    question = get_object_or_404(event.questions, pk=pk)
    question.delete()
    messages.success(request, _("Question deleted. Its answers stay readable."))
    return redirect(f"{reverse('events:questions', args=[event.slug])}?form={question.form}")


@role_required(services.MANAGE_REGISTRATIONS)
def invitations(request, slug):
    """The event's invitation link, and personal invitations (emailed)."""
    event = get_object_or_404(Event, slug=slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return _405()
    form = InvitationForm(request.POST or None, event=event)
    problem = event.registration_problem(staff=True)
    if request.method == "POST" and problem:
        form.add_error(None, problem)  # nobody can register: an invitation would lead nowhere
    elif request.method == "POST" and form.is_valid():
        invitation = form.save(commit=False)
        invitation.created_by = request.user
        try:
            with transaction.atomic():
                invitation.save()
                services.send_invitation(invitation=invitation)
        except IntegrityError:
            # The same address (in any letter case) invited by a request running at the same
            # moment: `invitation_one_per_email` kept one, and this one says so.
            form.add_error("email", InvitationForm.ALREADY_INVITED)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("events:invitations", slug=event.slug)
    event_link = site_url(
        f"{reverse('events:register', args=[event.slug])}?invitation={event.invitation_token}"
    )
    return render(
        request,
        "events/staff/invitations.html",
        {
            "event": event,
            "form": form,
            "registration_problem": problem,
            "event_link": event_link,
            "invitations": [
                (i, site_url(i.get_absolute_url()))
                for i in Invitation.objects.filter(event=event).order_by("email")
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(services.MANAGE_REGISTRATIONS)
def event_settings(request, slug):
    """Who may register, the survey and the certificates."""
    event = get_object_or_404(Event, slug=slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return _405()
    form = EventSettingsForm(request.POST or None, request.FILES or None, instance=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("events:staff_settings", slug=event.slug)
    return render(
        request,
        "events/staff/settings.html",
        {"event": event, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def survey_results(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return render(
        request,
        "events/staff/survey_results.html",
        {
            "event": event,
            "results": surveys_report.results(event),
            "responses": event.survey_responses.count(),
            "checked_in": event.registrations.confirmed()
            .filter(checked_in_at__isnull=False)
            .count(),
        },
    )


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def survey_csv(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return csv_download(surveys_report.csv_rows(event), f"{event.slug}-survey.csv")


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def survey_publish(request, slug):
    """Publish a summary of the feedback into the event's outcomes (public)."""
    event = get_object_or_404(Event, slug=slug)
    text = request.POST.get("summary", "").replace("\x00", "").strip()
    if not text or len(text) > 5000:
        messages.error(request, _("Write a summary of at most 5,000 characters."))
    else:
        last = event.outcomes.filter(kind=Outcome.Kind.FEEDBACK).aggregate(n=Max("order"))["n"]
        Outcome.objects.create(
            event=event, kind=Outcome.Kind.FEEDBACK, order=(last or 0) + 1, text=text
        )
        messages.success(request, _("The summary is published on the event's page."))
    return redirect("events:survey_results", slug=event.slug)


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def certificate_revoke(request, slug, pk):
    event = get_object_or_404(Event, slug=slug)
    registration = get_object_or_404(event.registrations, pk=pk)
    certificate = getattr(registration, "certificate", None)
    if certificate is None or certificate.revoked_at:
        messages.error(request, _("There is no valid certificate to revoke."))
    else:
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = request.user
        certificate.save(update_fields=["revoked_at", "revoked_by"])
        messages.success(request, _("%(name)s: certificate revoked.") % {"name": registration.name})
    return redirect("events:attendees", slug=event.slug)
