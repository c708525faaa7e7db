"""Fake events for benchmarks (`seed_demo --events N`)."""

import datetime

from core.demo import COUNTRIES, rng
from events.models import Event

CITIES = [
    "Accra",
    "Nairobi",
    "Lima",
    "Dhaka",
    "Amman",
    "Dakar",
    "Manila",
    "Bogotá",
    "Doha",
    "Kigali",
]


def create_events(count):
    random_ = rng()
    events = []
    for n in range(1, count + 1):
        starts_at = datetime.datetime(2015, 1, 1, 9, tzinfo=datetime.UTC) + datetime.timedelta(
            days=random_.randrange(0, 14 * 365)
        )
        events.append(
            Event(
                title=f"Demo working session {n}",
                slug=f"demo-event-{n:04d}",
                series=random_.choice(Event.Series.values),
                format=random_.choice(Event.Format.values),
                city=random_.choice(CITIES),
                country=random_.choice(COUNTRIES),
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=8),
                timezone="UTC",
                summary="A fictitious gathering of the demo data.",
                capacity=random_.choice([None, 20, 40, 80, 150]),
                guests_allowed=random_.random() < 0.5,
            )
        )
    Event.objects.bulk_create(events, ignore_conflicts=True)
    return len(events)
