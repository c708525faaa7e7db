"""Personas and events for the events tests."""

import datetime

import pytest
from django.utils import timezone

from events.models import Event
from members.models import Member
from tests.conftest import make_user


def make_member(n, **extra):
    user = make_user(f"member{n}@example.org", "Members", first_name=f"Member {n}")
    Member.objects.create(
        user=user,
        name=f"Member {n:04d}",
        slug=f"member-{n}",
        country=extra.pop("country", "GH"),
        status=Member.Status.APPROVED,
        **extra,
    )
    return user


def make_event(slug="summit-2030", **extra):
    starts_at = extra.pop("starts_at", timezone.now() + datetime.timedelta(days=30))
    values = {
        "title": "ALL-IN Summit 2030",
        "series": Event.Series.SUMMIT,
        "format": Event.Format.HYBRID,
        "city": "Doha",
        "country": "QA",
        "venue": "Qatar National Convention Centre",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=8),
        "timezone": "Asia/Qatar",
        "summary": "The network meets.",
        "online_link": "https://meet.example.org/all-in-2030",
        "capacity": 2,
        "guests_allowed": True,
        **extra,
    }
    return Event.objects.create(slug=slug, **values)


@pytest.fixture
def event(db):
    return make_event()


@pytest.fixture
def staff_user(db):
    return make_user("staff@example.org", "Event staff", first_name="Sam")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def members(db):
    return [make_member(n) for n in range(1, 4)]
