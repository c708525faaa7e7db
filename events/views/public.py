from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from core.access import role_required
from core.forms import form_status
from core.params import parse_id
from core.spreadsheets import csv_download
from events import services
from events.calendar import calendar_for
from events.forms import EventFilterForm, GuestForm, ImportForm
from events.guest_views import participant_links
from events.imports import ImportFileError, export_rows, import_rows, read_rows
from events.models import Event, EventPerson, Outcome, Registration
from events.services import can_manage
from events.tasks import run_attendee_import
from imports import importjobs
from members.models import Member, User


class EventListView(ListView):
    """Upcoming events first, then past ones (paginated); filters apply to both."""

    template_name = "events/event_list.html"
    context_object_name = "past_events"
    paginate_by = 30

    def get_filter_form(self):
        if not hasattr(self, "_form"):
            years = [d.year for d in Event.objects.dates("starts_at", "year", order="DESC")]
            codes = (
                Event.objects.exclude(country="")
                .order_by("country")
                .values_list("country", flat=True)
                .distinct()
            )
            self._form = EventFilterForm(self.request.GET or None, years=years, country_codes=codes)
        return self._form

    def get_queryset(self):
        return self.get_filter_form().filter(Event.objects.held())

    def get_context_data(self, **kwargs):
        form = self.get_filter_form()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            upcoming_events=form.filter(Event.objects.upcoming()),
            never_held=form.filter(Event.objects.never_held()),
            filter_form=form,
            filter_query=query.urlencode(),
            **kwargs,
        )


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    queryset = Event.objects.with_attendance().prefetch_related(
        "agenda_items",
        Prefetch("people", queryset=EventPerson.objects.select_related("member")),
        "outcomes",
        "photos",
    )

    def get_context_data(self, **kwargs):
        event, user = self.object, self.request.user
        outcomes = {}
        for outcome in event.outcomes.all():
            outcomes.setdefault(outcome.get_kind_display(), []).append(outcome)
        ordered_kinds = [label for label in Outcome.Kind.labels if label in outcomes]
        mine, staff, attendees = None, False, None
        if user.is_authenticated:
            ahead = Registration.objects.filter(
                event_id=OuterRef("event_id"),
                status=Registration.Status.WAITLISTED,
                waitlisted_at__lt=OuterRef("waitlisted_at"),
            )
            mine = (
                event.registrations.active()
                .filter(user=user)
                .annotate(
                    ahead=Subquery(
                        ahead.order_by().values("event_id").annotate(n=Count("pk")).values("n")
                    )
                )
                .first()
            )
            if mine and mine.status == Registration.Status.WAITLISTED:
                mine.position = (mine.ahead or 0) + 1
            staff = can_manage(user)
            if staff or (mine and mine.status == Registration.Status.CONFIRMED):
                attendees = list(event.registrations.listed().values_list("name", flat=True))
        return super().get_context_data(
            outcome_groups=[(kind, outcomes[kind]) for kind in ordered_kinds],
            figures=event.figures,
            my_registration=mine,
            can_manage=staff,
            attendees=attendees,
            registration_problem=event.registration_problem(),
            **participant_links(event, mine),
            **kwargs,
        )


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


@require_POST
@login_required
def cancel(request, slug):
    event = get_object_or_404(Event, slug=slug)
    registration = get_object_or_404(event.registrations.active(), user=request.user)
    try:
        services.cancel(registration=registration, by=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return _calendar_response(calendar_for([event], name=event.title), f"{event.slug}.ics")


@require_safe
def feed_ics(request):
    return _calendar_response(
        calendar_for(Event.objects.upcoming(), name=_("ALL-IN events")), "all-in-events.ics"
    )


# Event staff pages: visitors sign in first, other users get 403 (core.access).


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


def _staff_event(slug):
    return get_object_or_404(Event.objects.with_attendance(), slug=slug)


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def attendees(request, slug):
    event = _staff_event(slug)
    return render(request, "events/staff/attendees.html", _attendee_context(request, event))


@require_POST
@role_required(services.MANAGE_REGISTRATIONS)
def staff_register_member(request, slug):
    event = get_object_or_404(Event, slug=slug)
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
    event = get_object_or_404(Event, slug=slug)
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
    event = _staff_event(slug)
    context = _attendee_context(request, event, guest_form=form)
    return render(request, "events/staff/attendees.html", context, status=form_status(form))


def _staff_action(request, slug, pk, action, done, **extra):
    event = get_object_or_404(Event, slug=slug)
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
    event = _staff_event(slug)
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
    event = get_object_or_404(Event, slug=slug)
    return render(
        request,
        "events/staff/sign_in_sheet.html",
        {"event": event, "registrations": list(event.registrations.confirmed().order_by("name"))},
    )


@require_safe
@role_required(services.MANAGE_REGISTRATIONS)
def export_csv(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return csv_download(export_rows(event), f"{event.slug}-attendees.csv")


PREVIEW_ROWS = 50
PREVIEW_ERRORS = 500


@role_required(services.MANAGE_REGISTRATIONS)
def import_csv(request, slug):
    event = get_object_or_404(Event.objects.with_attendance(), slug=slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
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
