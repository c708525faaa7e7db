"""Dates in the active language's own word order (Django's named formats): "5–7 septembre
2025", "5–7 de septiembre de 2025"; a range of days only where the locale's date starts with
the day, otherwise both dates in full. Machine-readable dates stay as they are."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Event
from tests.helpers import make_event

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def event(start, end, precision=Event.DatePrecision.DAY):
    return Event(
        starts_at=datetime.datetime(*start, tzinfo=PARIS),
        ends_at=datetime.datetime(*end, tzinfo=PARIS),
        timezone="Europe/Paris",
        date_precision=precision,
    )


def when(code, *args, **kwargs):
    with translation.override(code):
        return event(*args, **kwargs).when


@pytest.mark.parametrize(
    ("code", "one_day", "days", "months"),
    [
        ("en", "5 September 2025", "5–7 September 2025", "30 September 2025 – 2 October 2025"),
        ("fr", "5 septembre 2025", "5–7 septembre 2025", "30 septembre 2025 – 2 octobre 2025"),
        (
            "es",
            "5 de septiembre de 2025",
            "5–7 de septiembre de 2025",
            "30 de septiembre de 2025 – 2 de octubre de 2025",
        ),
        ("ar", "5 سبتمبر، 2025", "5–7 سبتمبر، 2025", "30 سبتمبر، 2025 – 2 أكتوبر، 2025"),
    ],
)
def test_days_follow_the_locale(code, one_day, days, months):
    assert when(code, (2025, 9, 5, 9), (2025, 9, 5, 17)) == one_day
    assert when(code, (2025, 9, 5, 9), (2025, 9, 7, 17)) == days
    assert when(code, (2025, 9, 30, 9), (2025, 10, 2, 17)) == months


@pytest.mark.parametrize(
    ("code", "month", "span"),
    [
        ("en", "September 2025", "September 2025 – October 2025"),
        ("fr", "septembre 2025", "septembre 2025 – octobre 2025"),
        ("es", "septiembre de 2025", "septiembre de 2025 – octubre de 2025"),
        ("ar", "سبتمبر 2025", "سبتمبر 2025 – أكتوبر 2025"),
    ],
)
def test_months_follow_the_locale(code, month, span):
    precision = Event.DatePrecision.MONTH
    assert when(code, (2025, 9, 1), (2025, 9, 30), precision=precision) == month
    assert when(code, (2025, 9, 1), (2025, 10, 30), precision=precision) == span


def test_times_follow_the_locale():
    start, end, precision = (2025, 9, 5, 9), (2025, 9, 5, 17, 30), Event.DatePrecision.TIME
    assert when("fr", start, end, precision=precision) == (
        "5 septembre 2025, 09:00–17:30 (Europe/Paris)"
    )
    assert when("en", start, end, precision=precision) == (
        "5 September 2025, 09:00–17:30 (Europe/Paris)"
    )
    arabic = when("ar", start, end, precision=precision)
    assert arabic.startswith("5 سبتمبر، 2025")
    assert "9:00 ص–5:30 م (Europe/Paris)" in arabic


def test_a_locale_whose_date_starts_with_the_month_gets_both_dates_in_full():
    # Japanese writes year, month, day: "5–7" would sit in the wrong place, so no range.
    assert when("ja", (2025, 9, 5, 9), (2025, 9, 7, 17)) == "2025年9月5日 – 2025年9月7日"


@pytest.mark.parametrize(
    ("code", "shown"),
    [("en", "5–7 September 2025"), ("es", "5–7 de septiembre de 2025"), ("ar", "5–7 سبتمبر، 2025")],
)
def test_event_page_shows_the_locale_date_and_keeps_the_machine_date(client, db, code, shown):
    summit = make_event(
        starts_at=datetime.datetime(2025, 9, 5, 9, tzinfo=PARIS),
        ends_at=datetime.datetime(2025, 9, 7, 17, tzinfo=PARIS),
        timezone="Europe/Paris",
        date_precision=Event.DatePrecision.DAY,
    )
    url = reverse("events:detail", kwargs={"slug": summit.slug})
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=code).content.decode()
    assert f'<time datetime="2025-09-05">{shown}</time>' in html
    ics = client.get(reverse("events:ics", kwargs={"slug": summit.slug}), HTTP_ACCEPT_LANGUAGE=code)
    assert b"20250905" in ics.content
