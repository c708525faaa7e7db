"""Attendee lists from CSV: every row checked first; all rows saved, or none."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django_countries import countries

from events.services import Guest, RegistrationError, register
from members.models import User

COLUMNS = ["name", "email", "organization", "country", "listed"]
REQUIRED = ["name", "email"]
MAX_ROWS = 5000
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be read; str() is the message."""


def _country(value):
    value = value.strip()
    if not value:
        return ""
    if value.upper() in dict(countries):
        return value.upper()
    return countries.by_name(value) or None


def read_rows(event, uploaded):
    """Parse and check the file. Returns rows: dicts with line, values, errors, user."""
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file is not UTF-8 text.")) from error
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("The header row lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    raw = list(reader)
    if not raw:
        raise ImportFileError(_("The file has no rows."))
    if len(raw) > MAX_ROWS:
        raise ImportFileError(_("At most %(n)d rows at a time.") % {"n": MAX_ROWS})

    emails = {(r.get("email") or "").strip().lower() for r in raw}
    matching = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    users = {u.email_lower: u for u in matching}
    taken_users = set(event.registrations.active().values_list("user_id", flat=True))
    taken_emails = {
        e.lower()
        for e in event.registrations.active()
        .filter(user__isnull=True)
        .values_list("email", flat=True)
    }
    seen = set()
    rows = []
    for line, record in enumerate(raw, start=2):
        values = {c: (record.get(c) or "").strip() for c in COLUMNS}
        errors = {}
        if not values["name"]:
            errors["name"] = _("A name is required.")
        email = values["email"].lower()
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = _("Not a valid email address.")
        user = users.get(email)
        if "email" not in errors:
            if email in seen:
                errors["email"] = _("This email address is in the file twice.")
            elif (user and user.pk in taken_users) or (not user and email in taken_emails):
                errors["email"] = _("Already registered for this event.")
            elif not user and not event.guests_allowed:
                errors["email"] = _("Not a member's address, and this event does not take guests.")
            seen.add(email)
        country = _country(values["country"])
        if country is None:
            errors["country"] = _("Unknown country.")
        if values["listed"].lower() not in YES | NO:
            errors["listed"] = _("Write yes or no.")
        rows.append(
            {
                "line": line,
                "values": values,
                "country": country or "",
                "listed": values["listed"].lower() in YES,
                "user": user,
                "errors": errors,
            }
        )
    return rows


def import_rows(event, rows, *, by):
    """Register every row in one transaction; any refusal undoes them all."""
    if any(row["errors"] for row in rows):
        raise RegistrationError(_("Nothing was imported: correct the rows with errors first."))
    created = []
    with transaction.atomic():
        for row in rows:
            try:
                if row["user"] is not None:
                    registration = register(
                        event=event, user=row["user"], by=by, listed=row["listed"]
                    )
                else:
                    values = row["values"]
                    guest = Guest(
                        name=values["name"],
                        email=values["email"],
                        organization=values["organization"],
                        country=row["country"],
                    )
                    registration = register(event=event, guest=guest, by=by, listed=row["listed"])
            except RegistrationError as error:
                raise RegistrationError(
                    _("Row %(line)d: %(error)s Nothing was imported.")
                    % {"line": row["line"], "error": error}
                ) from error
            created.append(registration)
    return created


def export_rows(event):
    """The attendee list for a CSV file: header, then one row per registration."""
    yield [
        _("Name"),
        _("Email"),
        _("Organization"),
        _("Country"),
        _("Status"),
        _("Member"),
        _("Listed"),
        _("Registered"),
        _("Waitlisted since"),
        _("Checked in"),
        _("No-show"),
    ]
    registrations = event.registrations.order_by("status", "name", "pk")
    for r in registrations.iterator():
        yield [
            r.name,
            r.email,
            r.organization,
            r.country.code or "",
            r.get_status_display(),
            _("yes") if r.user_id else _("no"),
            _("yes") if r.listed else _("no"),
            r.created_at.isoformat(timespec="seconds"),
            r.waitlisted_at.isoformat(timespec="seconds") if r.waitlisted_at else "",
            r.checked_in_at.isoformat(timespec="seconds") if r.checked_in_at else "",
            _("yes") if r.no_show else _("no"),
        ]
