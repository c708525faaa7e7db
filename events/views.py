from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from events.models import Event, EventPerson, Outcome


class EventListView(ListView):
    template_name = "events/event_list.html"
    context_object_name = "past_events"

    def get_queryset(self):
        return Event.objects.past()

    def get_context_data(self, **kwargs):
        return super().get_context_data(upcoming_events=Event.objects.upcoming(), **kwargs)


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    queryset = Event.objects.prefetch_related(
        "agenda_items",
        Prefetch("people", queryset=EventPerson.objects.select_related("member")),
        "outcomes",
    )

    def get_context_data(self, **kwargs):
        outcomes = {}
        for outcome in self.object.outcomes.all():
            outcomes.setdefault(outcome.get_kind_display(), []).append(outcome)
        ordered_kinds = [label for label in Outcome.Kind.labels if label in outcomes]
        return super().get_context_data(
            outcome_groups=[(kind, outcomes[kind]) for kind in ordered_kinds], **kwargs
        )
