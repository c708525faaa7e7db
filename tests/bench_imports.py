"""Timings of the two CSV imports at 10,000 and 20,000 rows (`report()`, for `make bench`).

Runs in the database DATABASE_URL names (the benchmark database, with the big demo
data), inside a transaction that is rolled back: the figures are real, the data is left
as it was. For each import and size it times the check (what a request does: read,
decode, validate every row, look up existing accounts; a confirmed file over
IMPORT_BACKGROUND_ROWS is then handed to the task queue) and the save (what the worker
does, all rows in one transaction), and the writing of the attendees' emails (after the
commit; with the rollback they are never sent).

    DATABASE_URL=... SECRET_KEY=... .venv/bin/python tests/bench_imports.py
"""

import datetime
import io
import os
import sys
import time
from pathlib import Path

SIZES = (10_000, 20_000)
GUNICORN_TIMEOUT = 30


class _Rollback(Exception):
    pass


class _Upload(io.BytesIO):
    def __init__(self, content, name):
        super().__init__(content)
        self.name, self.size = name, len(content)


def _setup():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allin_portal.settings")
    import django

    django.setup()


def _member_csv(n, stamp):
    lines = ["email,name,position,country,role_category,expertise,status,visibility,website"]
    countries = ["GH", "Kenya", "BR", "fr", "India", "QA", "mx", "Indonesia"]
    for i in range(n):
        lines.append(
            f"Bench.{stamp}.{i}@Example.org,Bench Person {i},Head of school {i % 7},"
            f"{countries[i % len(countries)]},practitioner,"
            f"leadership; bench topic {i % 50},"
            f"{'approved' if i % 3 else 'applied'},public,example.org/p{i}"
        )
    return ("\n".join(lines) + "\n").encode()


def _attendee_csv(n, stamp, member_emails):
    lines = ["name,email,organization,country,listed"]
    for i in range(n):
        # One row in ten is an existing member (found whatever the case), the rest guests.
        if i % 10 == 0 and member_emails:
            email = member_emails[(i // 10) % len(member_emails)].upper()
        else:
            email = f"guest.{stamp}.{i}@example.org"
        lines.append(f"Guest {i},{email},School {i % 300},Ghana,{'yes' if i % 2 else 'no'}")
    return ("\n".join(lines) + "\n").encode()


def _time(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def _members(n, admin):
    from django.db import transaction

    from members import csv_io

    content = _member_csv(n, f"{time.time_ns()}")
    figures = {}
    try:
        with transaction.atomic():
            check, result = _time(
                lambda: csv_io.check_file(_Upload(content, "members.csv"), "members")
            )
            assert not result.errors, result.errors[:3]  # noqa: S101 - a benchmark's own data
            save, _ = _time(lambda: csv_io.save(result, admin))
            figures = {"check": check, "save": save, "created": result.created}
            raise _Rollback
    except _Rollback:
        pass
    return figures, len(content)


def _attendees(n, staff):
    from django.db import transaction
    from django.utils import timezone

    from events import services
    from events.imports import import_rows, read_rows
    from events.models import Event
    from members.models import Member

    emails = list(
        Member.objects.approved()
        .exclude(user=None)
        .values_list("user__email", flat=True)
        .order_by("pk")[: n // 10]
    )
    stamp = f"{time.time_ns()}"
    content = _attendee_csv(n, stamp, emails)
    figures = {}
    try:
        with transaction.atomic():
            starts = timezone.now() + datetime.timedelta(days=60)
            event = Event.objects.create(
                slug=f"bench-import-{stamp}",
                title="Bench import",
                series=Event.Series.SUMMIT,
                format=Event.Format.IN_PERSON,
                city="Doha",
                country="QA",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=8),
                timezone="Asia/Qatar",
                capacity=n * 3 // 4,
                guests_allowed=True,
            )
            check, rows = _time(lambda: read_rows(event, _Upload(content, "attendees.csv")))
            bad = [r for r in rows if r["errors"]]
            assert not bad, bad[:3]  # noqa: S101 - a benchmark's own data
            save, created = _time(lambda: import_rows(event, rows, by=staff))
            # The emails are written after the commit (outside the event's lock).
            waitlisted = [r for r in created if r.status == r.Status.WAITLISTED]
            positions = {id(r): n for n, r in enumerate(waitlisted, start=1)}
            emails, _ = _time(lambda: services._send_many(event, created, positions))
            figures = {"check": check, "save": save, "created": len(created), "emails": emails}
            raise _Rollback
    except _Rollback:
        pass
    return figures, len(content)


def report():
    """Markdown lines: the timings of both imports at 10,000 and 20,000 rows."""
    _setup()
    from django.conf import settings
    from django.contrib.auth.models import Permission

    from members.models import User

    staff = User.objects.filter(is_superuser=True).first()
    if staff is None:
        staff = User(email="bench-import-admin@example.org", is_superuser=True, is_staff=True)
        staff.set_unusable_password()
        staff.save()
    assert Permission.objects.exists()  # noqa: S101 - migrated database
    lines = [
        "## CSV imports",
        "",
        "Seconds on this machine, in the benchmark database (rolled back afterwards). "
        "*Check* is what the request does (read, validate, look up accounts): it must stay "
        f"under gunicorn's {GUNICORN_TIMEOUT} s timeout. A confirmed import of more than "
        f"{settings.IMPORT_BACKGROUND_ROWS} rows is *saved* by the task queue's worker, "
        "in one transaction; the attendees' emails are written after the commit (outside "
        "the event's lock; with the rollback here they are written but not sent).",
        "",
        "| import | rows | file | check (request) | save (worker) | rows/s saved | emails |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in SIZES:
        for label, run in (("members (new)", _members), ("event attendees", _attendees)):
            figures, size = run(n, staff)
            lines.append(
                f"| {label} | {n:,} | {size / 1024 / 1024:.1f} MB | {figures['check']:.1f} | "
                f"{figures['save']:.1f} | {figures['created'] / figures['save']:,.0f} | "
                + (f"{figures['emails']:.1f} |" if "emails" in figures else "- |")
            )
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
