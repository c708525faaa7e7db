"""Attendee lists from CSV: every row checked first; all rows saved, or none."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.csvimport import CSVFileError, check_length, country_code, read_csv
from events.models import Registration
from events.services import Guest, RegistrationError, register_many
from members.models import User

COLUMNS = ["name", "email", "organization", "country", "listed"]
REQUIRED = ["name", "email"]
MAX_ROWS = 20_000
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}

# The file as a whole cannot be read; str() is the message (the shared reader's error).
ImportFileError = CSVFileError


def read_rows(event, uploaded, progress=None):
    """Parse and check the file. Returns rows: dicts with line, values, errors, user.

    A few queries in all, whatever the number of rows. Raises ImportFileError.
    """
    raw = read_csv(uploaded, columns=COLUMNS, required=REQUIRED, max_rows=MAX_ROWS)
    emails = {r.values["email"].lower() for r in raw}
    users = User.objects.select_related("member__organization").with_emails(emails)
    active = event.registrations.active()
    taken_users = set(active.values_list("user_id", flat=True))
    taken_emails = {
        e.lower() for e in active.filter(user__isnull=True).values_list("email", flat=True)
    }
    seen = {}
    rows = []
    for n, row in enumerate(raw, start=1):
        values = row.values
        if not values["name"]:
            row.error("name", _("This column is required."))
        check_length(row, "name", Registration)
        check_length(row, "organization", Registration)
        email = values["email"].lower()
        if not values["email"]:
            row.error("email", _("This column is required."))
        elif check_length(row, "email", Registration):
            try:
                validate_email(values["email"])
            except ValidationError:
                row.error("email", _("Not a valid email address."))
        user = users.get(email)
        if "email" not in row.errors:
            if email in seen:
                row.error(
                    "email",
                    _("Appears twice in this file (row %(row)d).") % {"row": seen[email]},
                )
            elif (user and user.pk in taken_users) or (not user and email in taken_emails):
                row.error("email", _("Already registered for this event."))
            elif not user and not event.guests_allowed:
                row.error(
                    "email", _("Not a member's address, and this event does not take guests.")
                )
            seen.setdefault(email, row.number)
        try:
            country = country_code(values["country"])
        except ValidationError as error:
            row.error("country", error.messages[0])
            country = ""
        if values["listed"].lower() not in YES | NO:
            row.error("listed", _("Write yes or no."))
        rows.append(
            {
                "line": row.number,
                "values": values,
                "country": country,
                "listed": values["listed"].lower() in YES,
                "user": user,
                "errors": row.errors,
            }
        )
        if progress is not None:
            progress.checked(n)
    return rows


def row_errors(rows):
    """[(row, column, message)] of every problem, in file order."""
    return [
        (row["line"], column, message) for row in rows for column, message in row["errors"].items()
    ]


def import_rows(event, rows, *, by):
    """Register every row in one transaction; any refusal undoes them all."""
    if any(row["errors"] for row in rows):
        raise RegistrationError(_("Nothing was imported: correct the rows with errors first."))
    people = []
    for row in rows:
        if row["user"] is not None:
            people.append((row["line"], row["user"], None, row["listed"]))
        else:
            values = row["values"]
            guest = Guest(
                name=values["name"],
                email=values["email"],
                organization=values["organization"],
                country=row["country"],
            )
            people.append((row["line"], None, guest, row["listed"]))
    return register_many(event=event, people=people, by=by)


def export_rows(event):
    """The attendee list for a CSV file: header, then one row per registration, with the
    answers to the registration questions (one column each)."""
    questions = list(event.questions.filter(form="registration"))
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
        _("Role"),
        *[q.label for q in questions],
        _("Answers to deleted questions"),
    ]
    registrations = event.registrations.order_by("status", "name", "pk").prefetch_related("answers")
    for r in registrations.iterator(chunk_size=500):
        answers = list(r.answers.all())
        by_question = {a.question_id: a.text for a in answers if a.question_id}
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
            r.get_role_display() if r.role else "",
            *[by_question.get(q.pk, "") for q in questions],
            "; ".join(f"{a.label}: {a.text}" for a in answers if a.question_id is None),
        ]
