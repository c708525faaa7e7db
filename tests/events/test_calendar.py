"""iCalendar files parsed back with the icalendar library."""

import datetime

from django.urls import reverse
from icalendar import Calendar

from events.models import Event
from tests.helpers import make_event


def test_event_ics_has_timezone_and_no_private_link(client, event):
    response = client.get(reverse("events:ics", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert str(cal["version"]) == "2.0" and "prodid" in cal
    (vevent,) = cal.walk("VEVENT")
    start = vevent.decoded("dtstart")
    assert start == event.starts_at.replace(microsecond=0)
    assert str(start.tzinfo) == "Asia/Qatar"
    assert vevent["dtstart"].params["TZID"] == "Asia/Qatar"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Qatar"]
    assert vevent.decoded("dtend") == event.ends_at.replace(microsecond=0)
    assert str(vevent["status"]) == "CONFIRMED"
    assert "Doha" in str(vevent["location"])
    assert "meet.example.org" not in response.text
    assert str(vevent["url"]).endswith(f"/events/{event.slug}/")


def test_day_precision_events_are_all_day(client, history):
    response = client.get(reverse("events:ics", kwargs={"slug": "paris-2019"}))
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert vevent["dtstart"].params.get("VALUE") == "DATE" or isinstance(
        vevent.decoded("dtstart"), datetime.date
    )
    assert vevent.decoded("dtstart") == datetime.date(2019, 2, 20)
    assert vevent.decoded("dtend") == datetime.date(2019, 2, 21)
    assert b"DTSTART;VALUE=DATE:20190220" in response.content


def test_feed_lists_upcoming_events_only(client, history, event):
    make_event("called-off", status=Event.Status.CANCELLED)
    response = client.get(reverse("events:feed"))
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert {str(e["summary"]) for e in events} == {"ALL-IN Summit 2030"}
    assert sorted(str(e["status"]) for e in events) == ["CANCELLED", "CONFIRMED"]
    assert reverse("events:feed") == "/events/feed.ics"


def test_ics_urls_do_not_clash_with_detail(client, event):
    assert reverse("events:ics", kwargs={"slug": event.slug}) == f"/events/{event.slug}.ics"
    assert client.get(f"/events/{event.slug}/").status_code == 200
    assert client.get("/events/nowhere.ics").status_code == 404
    assert client.post(reverse("events:feed")).status_code == 405
