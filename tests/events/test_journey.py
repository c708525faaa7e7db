"""/journey/ shows the gatherings from the same event records, with their figures."""

import re

from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration


def item_of(text, slug):
    """The timeline item of the event."""
    items = re.findall(
        r'<li class="timeline-item.*?</li>\s*(?=<li class="timeline-item|</ol>)', text, re.S
    )
    (item,) = [i for i in items if f'href="/events/{slug}/"' in i]
    return item


def test_journey_shows_accra_new_york_paris_doha_with_figures(client, history):
    text = client.get(reverse("journey")).text
    accra = item_of(text, "accra-2018")
    assert "Accra" in accra
    assert "9 May 2018" in accra and "<strong>25</strong> participants" in accra
    new_york = item_of(text, "new-york-2018")
    assert "New York" in new_york
    assert "<strong>25</strong> participants" in new_york
    assert "<strong>5</strong> continents" in new_york
    paris = item_of(text, "paris-2019")
    assert "Paris" in paris
    assert "<strong>42</strong> participants" in paris
    assert "<strong>14</strong> countries" in paris
    doha = item_of(text, "doha-wise-2019")
    assert "Doha" in doha
    assert "<strong>over 35</strong> participants" in doha


def test_journey_uses_attendance_when_there_is_any(client, history):
    paris = Event.objects.get(slug="paris-2019")
    Registration.objects.bulk_create(
        Registration(
            event=paris,
            name=f"Attendee {n}",
            email=f"a{n}@example.org",
            country=country,
            status=Registration.Status.CONFIRMED,
            checked_in_at=timezone.now(),
        )
        for n, country in enumerate(["FR", "FR", "GH", "AU"])
    )
    # A registrant who did not come does not count.
    Registration.objects.create(
        event=paris, name="Absent", email="x@example.org", country="US", status="confirmed"
    )
    paris_item = item_of(client.get(reverse("journey")).text, "paris-2019")
    assert "<strong>4</strong> participants" in paris_item
    assert "<strong>3</strong> countries" in paris_item
    assert "<strong>3</strong> continents" in paris_item


def test_journey_query_count(client, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get(reverse("journey")).status_code == 200
