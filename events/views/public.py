"""Events' public pages: the list, one event, and their calendar files."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from events.access import get_event_for, participant_links
from events.calendar import calendar_for, calendar_response
from events.forms import EventFilterForm
from events.models import Event, EventPerson, Outcome, Registration
from events.services import can_manage


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

    def get_object(self, queryset=None):
        return get_event_for(
            self.request.user,
            self.kwargs["slug"],
            queryset=Event.objects.with_attendance().prefetch_related(
                "agenda_items",
                Prefetch("people", queryset=EventPerson.objects.select_related("member")),
                "outcomes",
                "photos",
            ),
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


@require_safe
def event_ics(request, slug):
    event = get_event_for(request.user, slug)
    return calendar_response(calendar_for([event], name=event.title), f"{event.slug}.ics")


@require_safe
def feed_ics(request):
    return calendar_response(
        calendar_for(Event.objects.upcoming(), name=_("ALL-IN events")), "all-in-events.ics"
    )
