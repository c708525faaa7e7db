"""Event staff pages: the attendee list, registering people, check-in, imports and
exports; questions, invitations, the event's settings, survey results and certificates.

Each is guarded by `role_required(MANAGE_REGISTRATIONS)` (core.access: visitors sign in
first, other users get 403) and finds its event through `events.access.get_event_for`.
Communications' page for writing to an event's registrants does the same.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import role_required
from core.emails import site_url
from core.forms import form_status
from core.params import parse_id
from core.spreadsheets import csv_download
from events import services, surveys_report
from events.access import get_event_for
from events.forms import EventSettingsForm, GuestForm, ImportForm, InvitationForm, QuestionForm
from events.imports import ImportFileError, export_rows, import_rows, read_rows
from events.models import Event, Invitation, Outcome, Registration
from events.questions import Question
from events.tasks import run_attendee_import
from imports import importjobs
from members.models import Member, User


def _form_kind(value):
    return value if value in Question.Form.values else Question.Form.REGISTRATION


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(services.MANAGE_REGISTRATIONS)
def questions(request, slug):
    """The event's registration and survey questions; add one."""
    event = get_event_for(request.user, slug)
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


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(services.MANAGE_REGISTRATIONS)
def question_edit(request, slug, pk):
    event = get_event_for(request.user, slug)
    question = get_object_or_404(event.questions, pk=pk)
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
    event = get_event_for(request.user, slug)
    question = get_object_or_404(event.questions, pk=pk)
    question.delete()
    messages.success(request, _("Question deleted. Its answers stay readable."))
    return redirect(f"{reverse('events:questions', args=[event.slug])}?form={question.form}")


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(services.MANAGE_REGISTRATIONS)
def invitations(request, slug):
    """The event's invitation link, and personal invitations (emailed)."""
    event = get_event_for(request.user, slug)
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
    invitations = list(Invitation.objects.filter(event=event).order_by("email"))
    for invitation in invitations:
        invitation.ensure_link()  # a link lost to a retired key is renewed before it is shown
    return render(
        request,
        "events/staff/invitations.html",
        {
            "event": event,
            "form": form,
            "registration_problem": problem,
            "event_link": event_link,
            "invitations": [(i, site_url(i.get_absolute_url())) for i in invitations],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(services.MANAGE_REGISTRATIONS)
def event_settings(request, slug):
    """Who may register, the survey and the certificates."""
    event = get_event_for(request.user, slug)
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
    event = get_event_for(request.user, slug)
    return render(
        request,
        "events/staff/survey_results.html",
        {
            "event": event,
            "results": surveys_report.results(event),
            "responses": event.survey_responses.count(),
            "checked_in": event.registrations.attended().count(),
        },
    )


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def survey_csv(request, slug):
    event = get_event_for(request.user, slug)
    return csv_download(surveys_report.csv_rows(event), f"{event.slug}-survey.csv")


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def survey_publish(request, slug):
    """Publish a summary of the feedback into the event's outcomes (public)."""
    event = get_event_for(request.user, slug)
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
    event = get_event_for(request.user, slug)
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


# The attendee list, registering people, check-in, the list's export and imports.


def _attendee_context(request, event, **extra):
    registrations = event.registrations.search(request.GET.get("q"))
    questions = list(event.questions.filter(form="registration"))
    question_id, answer_q = request.GET.get("question", ""), request.GET.get("answer", "").strip()
    if (question_pk := parse_id(question_id)) is not None:
        registrations = registrations.filter(
            answers__question_id=question_pk, answers__text__icontains=answer_q
        )
    registrations = list(
        registrations.prefetch_related("answers", "certificate").order_by("name", "pk")
    )
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    waitlisted = sorted(
        (r for r in registrations if r.status == Registration.Status.WAITLISTED),
        key=lambda r: (r.waitlisted_at, r.pk),
    )
    cancelled = [r for r in registrations if r.status == Registration.Status.CANCELLED]
    pending = [r for r in registrations if r.is_pending]
    # Staff register nobody for a past, cancelled, postponed or planned event: no forms then.
    registration_problem = event.registration_problem(staff=True)
    member_q = request.GET.get("member_q", "").strip()
    found = None
    if member_q and not registration_problem:
        # The directory's typo- and accent-forgiving search, or (part of) an address.
        matches = Q(pk__in=Member.objects.search(member_q))
        if "@" in member_q:
            matches |= Q(user__email__icontains=member_q)
        found = list(
            Member.objects.approved()
            .filter(matches)
            .exclude(user__event_registrations__in=event.registrations.active())
            .select_related("organization")
            .order_by_closeness(member_q)[:20]
        )
    return {
        "event": event,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "cancelled": cancelled,
        "pending": pending,
        "questions": questions,
        "question_filter": question_id,
        "answer_filter": answer_q,
        "checked_in": sum(1 for r in confirmed if r.checked_in_at),
        "q": request.GET.get("q", ""),
        "member_q": member_q,
        "found_members": found,
        "registration_problem": registration_problem,
        "guest_form": extra.pop("guest_form", None) or GuestForm(),
        **extra,
    }


def _staff_event(request, slug):
    return get_event_for(request.user, slug, queryset=Event.objects.with_attendance())


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def attendees(request, slug):
    event = _staff_event(request, slug)
    return render(request, "events/staff/attendees.html", _attendee_context(request, event))


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def staff_register_member(request, slug):
    event = get_event_for(request.user, slug)
    member = get_object_or_404(
        Member.objects.approved().select_related("user", "organization"),
        pk=parse_id(request.POST.get("member")),
    )
    try:
        registration = services.register(
            event=event, user=member.user, by=request.user, listed="listed" in request.POST
        )
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": registration.name, "status": registration.get_status_display()},
        )
    return redirect("events:attendees", slug=event.slug)


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def staff_register_guest(request, slug):
    event = get_event_for(request.user, slug)
    form = GuestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        # An address that belongs to an account (in any case) registers that account.
        account = User.objects.with_email(data["email"])
        guest = None
        if account is None:
            guest = services.Guest(
                name=data["name"],
                email=data["email"],
                organization=data["organization"],
                country=data["country"] or "",
            )
        try:
            registration = services.register(
                event=event, user=account, guest=guest, by=request.user, listed=data["listed"]
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": registration.name, "status": registration.get_status_display()},
            )
            return redirect("events:attendees", slug=event.slug)
    event = _staff_event(request, slug)
    context = _attendee_context(request, event, guest_form=form)
    return render(request, "events/staff/attendees.html", context, status=form_status(form))


def _staff_action(request, slug, pk, action, done, **extra):
    event = get_event_for(request.user, slug)
    registration = get_object_or_404(event.registrations, pk=pk)
    try:
        action(registration=registration, by=request.user, **_undo(request), **extra)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"name": registration.name})
    if request.POST.get("next") == "check_in":
        url = reverse("events:check_in_page", kwargs={"slug": event.slug})
        q = request.POST.get("q", "").strip()
        return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
    return redirect("events:attendees", slug=event.slug)


def _undo(request):
    return {"undo": True} if request.POST.get("undo") else {}


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def staff_check_in(request, slug, pk):
    done = _("%(name)s: check-in undone.") if _undo(request) else _("%(name)s checked in.")
    reason = request.POST.get("reason", "")
    return _staff_action(request, slug, pk, services.check_in, done, reason=reason)


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def staff_no_show(request, slug, pk):
    done = _("%(name)s: no-show undone.") if _undo(request) else _("%(name)s marked as no-show.")
    return _staff_action(request, slug, pk, services.mark_no_show, done)


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def staff_cancel(request, slug, pk):
    def action(*, registration, by, undo=False):
        services.cancel(registration=registration, by=by)

    return _staff_action(request, slug, pk, action, _("%(name)s: registration cancelled."))


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def check_in_page(request, slug):
    event = _staff_event(request, slug)
    q = request.GET.get("q", "").strip()
    registrations = event.registrations.confirmed().search(q).order_by("name", "pk")
    return render(
        request,
        "events/staff/check_in.html",
        {"event": event, "q": q, "registrations": list(registrations[:200])},
    )


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def sign_in_sheet(request, slug):
    event = get_event_for(request.user, slug)
    return render(
        request,
        "events/staff/sign_in_sheet.html",
        {"event": event, "registrations": list(event.registrations.confirmed().order_by("name"))},
    )


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def export_csv(request, slug):
    event = get_event_for(request.user, slug)
    return csv_download(export_rows(event), f"{event.slug}-attendees.csv")


PREVIEW_ROWS = 50
PREVIEW_ERRORS = 500


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(services.MANAGE_REGISTRATIONS)
def import_csv(request, slug):
    event = _staff_event(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    rows, status = None, 200
    registration_problem = event.registration_problem(staff=True)
    if request.method == "POST" and not registration_problem:
        status = 400
        if form.is_valid():
            try:
                rows = read_rows(event, form.cleaned_data["file"])
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if any(row["errors"] for row in rows):
                    form.add_error(
                        "file", _("Some rows have errors: nothing was imported. Correct them.")
                    )
                elif "confirm" in request.POST:
                    upload = form.cleaned_data["file"]
                    if importjobs.needs_background(len(rows)):
                        # Too many rows for one request: the task queue registers them.
                        job = importjobs.start(
                            upload=upload,
                            task=run_attendee_import,
                            kind="attendees",
                            title=_("Attendees of %(event)s from %(file)s")
                            % {"event": event.title, "file": upload.name[:100]},
                            by=request.user,
                            total_rows=len(rows),
                            target_id=event.pk,
                            next_url=reverse("events:attendees", kwargs={"slug": event.slug}),
                        )
                        return redirect("import_job", pk=job.pk)
                    try:
                        created = import_rows(event, rows, by=request.user)
                    except services.RegistrationError as error:
                        form.add_error("file", str(error))
                    else:
                        messages.success(
                            request,
                            _("%(n)d attendees imported.") % {"n": len(created)},
                        )
                        return redirect("events:attendees", slug=event.slug)
                else:
                    status = 200
    has_errors = bool(rows) and any(row["errors"] for row in rows)
    if has_errors:
        preview = [row for row in rows if row["errors"]][:PREVIEW_ERRORS]
    else:
        preview = (rows or [])[:PREVIEW_ROWS]
    return render(
        request,
        "events/staff/import.html",
        {
            "event": event,
            "form": form,
            "rows": rows,
            "preview": preview,
            "error_rows": sum(1 for row in rows if row["errors"]) if has_errors else 0,
            "has_errors": has_errors,
            "registration_problem": registration_problem,
        },
        status=status,
    )
