"""iCalendar (RFC 5545) files of events, built with the icalendar library."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from core.emails import site_url
from events.models import Event

PRODID = "-//WISE//ALL-IN portal//EN"
STATUS = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.PLANNED: "TENTATIVE",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
}


def vevent(event, *, with_online_link=False):
    item = VEvent()
    item.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
    item.add("dtstamp", timezone.now())
    item.add("summary", event.title)
    if event.all_day:
        # Known by day or month only: all-day dates (VALUE=DATE), DTEND is exclusive.
        item.add("dtstart", event.local_starts_at.date())
        item.add("dtend", event.local_ends_at.date() + datetime.timedelta(days=1))
    else:
        item.add("dtstart", event.local_starts_at)
        item.add("dtend", event.local_ends_at)
    place = ", ".join(
        part for part in [event.venue, event.city, str(event.country.name or "")] if part
    )
    if with_online_link and event.online_link:
        place = f"{place} ({event.online_link})" if place else event.online_link
    if place:
        item.add("location", place)
    description = event.summary
    if with_online_link and event.online_link:
        description = f"{description}\n\n{event.online_link}".strip()
    if description:
        item.add("description", description)
    item.add("url", site_url(event.get_absolute_url()))
    item.add("status", STATUS[event.status])
    return item


def calendar_for(events, *, name="ALL-IN", with_online_link=False):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(vevent(event, with_online_link=with_online_link))
    # VTIMEZONE components for every TZID used, as RFC 5545 requires.
    cal.add_missing_timezones()
    return cal.to_ical()


def calendar_response(body, filename):
    """An .ics file as a download (the event's, the feed, a guest's with its online link)."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
