"""CSV import and export of members and organizations for the back office.

An import is checked row by row first; errors name the row (as a spreadsheet counts:
the header is row 1) and the column. Nothing is saved unless every row is valid, and
the save runs in one transaction. A dry run stops after the check and shows a preview.
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from allin_portal.slugs import unique_slug
from allin_portal.spreadsheets import safe_cell
from members.models import Member, Organization, User

MAX_ROWS = 20_000
MEMBER_COLUMNS = [
    "email",
    "name",
    "position",
    "organization",
    "country",
    "role_category",
    "expertise",
    "languages",
    "status",
    "visibility",
    "website",
]
ORGANIZATION_COLUMNS = ["name", "type", "country", "website", "description"]
EXPORT_COLUMNS = MEMBER_COLUMNS + ["region", "oecd", "member_since", "slug"]


class MemberRow(forms.Form):
    email = forms.EmailField()
    name = forms.CharField(max_length=200)
    position = forms.CharField(max_length=200, required=False)
    organization = forms.CharField(max_length=200, required=False)
    country = forms.CharField(max_length=60, required=False)
    role_category = forms.ChoiceField(choices=Member.RoleCategory.choices, required=False)
    expertise = forms.CharField(max_length=1000, required=False)
    languages = forms.CharField(max_length=200, required=False)
    status = forms.ChoiceField(choices=Member.Status.choices, required=False)
    visibility = forms.ChoiceField(choices=Member.Visibility.choices, required=False)
    website = forms.URLField(required=False, assume_scheme="https")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = organizations

    def clean_country(self):
        return clean_country(self.cleaned_data["country"])

    def clean_organization(self):
        name = self.cleaned_data["organization"].strip()
        if name and name.lower() not in self.organizations:
            raise forms.ValidationError(
                _("No organization named “%(name)s”: import it first."), params={"name": name}
            )
        return self.organizations.get(name.lower())


class OrganizationRow(forms.Form):
    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(choices=Organization.Type.choices, required=False)
    country = forms.CharField(max_length=60, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    description = forms.CharField(required=False)

    def clean_country(self):
        return clean_country(self.cleaned_data["country"])


COUNTRY_BY_NAME = {str(name).lower(): code for code, name in countries}


def clean_country(value):
    value = value.strip()
    if not value:
        return ""
    if value.upper() in dict(countries):
        return value.upper()
    if value.lower() in COUNTRY_BY_NAME:
        return COUNTRY_BY_NAME[value.lower()]
    raise forms.ValidationError(
        _("“%(value)s” is not a country code (ISO 3166, e.g. GH) or name."),
        params={"value": value},
    )


@dataclass
class ImportResult:
    kind: str
    rows: list = field(default_factory=list)  # cleaned rows
    errors: list = field(default_factory=list)  # (row number, column, message)
    created: int = 0
    updated: int = 0
    saved: bool = False


def read_rows(upload, columns):
    """The CSV's rows as dicts, or raise ValueError with a message for the whole file."""
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header and c in ("email", "name")]
    if not header or missing:
        raise ValueError(
            _("The first row must name the columns; missing: %(missing)s. Expected: %(cols)s.")
            % {"missing": ", ".join(missing) or "-", "cols": ", ".join(columns)}
        )
    reader.fieldnames = header
    rows = list(reader)
    if len(rows) > MAX_ROWS:
        raise ValueError(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
    return rows


def import_csv(*, upload, kind, dry_run, by):
    columns = MEMBER_COLUMNS if kind == "members" else ORGANIZATION_COLUMNS
    result = ImportResult(kind=kind)
    try:
        rows = read_rows(upload, columns)
    except ValueError as error:
        result.errors.append((1, "", str(error)))
        return result
    organizations = {o.name.lower(): o for o in Organization.objects.all()}
    seen = set()
    for number, row in enumerate(rows, start=2):
        data = {c: (row.get(c) or "").strip() for c in columns}
        if kind == "members":
            form = MemberRow(data, organizations=organizations)
            key = data["email"].lower()
        else:
            form = OrganizationRow(data)
            key = data["name"].lower()
        if key and key in seen:
            column = "email" if kind == "members" else "name"
            result.errors.append((number, column, _("Appears twice in this file.")))
        seen.add(key)
        if not form.is_valid():
            for column, messages in form.errors.items():
                for message in messages:
                    result.errors.append((number, column, message))
            continue
        result.rows.append(form.cleaned_data)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        if kind == "members":
            _save_members(result, by)
        else:
            _save_organizations(result)
        result.saved = True
    return result


def _save_organizations(result):
    existing = {o.name.lower(): o for o in Organization.objects.all()}
    for row in result.rows:
        organization = existing.get(row["name"].lower())
        if organization is None:
            organization = Organization(
                name=row["name"],
                slug=unique_slug(Organization, row["name"], fallback="organization"),
            )
            result.created += 1
        else:
            result.updated += 1
        organization.type = row["type"] or organization.type or Organization.Type.OTHER
        for name in ["country", "website", "description"]:
            if row[name]:
                setattr(organization, name, row[name])
        organization.save()


def _save_members(result, by):
    emails = [row["email"].lower() for row in result.rows]
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    new_users = [
        User(email=row["email"].lower(), password=make_password(None))
        for row in result.rows
        if row["email"].lower() not in users
    ]
    for user in User.objects.bulk_create(new_users):
        users[user.email] = user
    members = {m.user_id: m for m in Member.objects.filter(user__in=users.values())}
    content_type = ContentType.objects.get_for_model(Member)
    logs = []
    for row in result.rows:
        user = users[row["email"].lower()]
        member = members.get(user.pk)
        if member is None:
            member = Member(user=user, slug=unique_slug(Member, row["name"], fallback="member"))
            result.created += 1
        else:
            result.updated += 1
        member.name = row["name"]
        member.organization = row["organization"] or member.organization
        for name in ["position", "country", "languages", "website"]:
            if row[name]:
                setattr(member, name, row[name])
        member.role_category = row["role_category"] or member.role_category
        member.visibility = row["visibility"] or member.visibility
        member.status = row["status"] or member.status or Member.Status.APPLIED
        member.save()
        tags = [t.strip() for t in row["expertise"].split(";") if t.strip()]
        if tags:
            member.expertise.set(tags)
        member.search_text = member.build_search_text(expertise=tags or None)
        logs.append(member)
    Member.objects.bulk_update(logs, ["search_text"])
    Member.objects.filter(pk__in=[m.pk for m in logs]).unaccent_search_text()
    # Only approved members belong to the group that opens members-only content.
    group = Group.objects.get(name="Members")
    group.user_set.add(*[m.user for m in logs if m.status == Member.Status.APPROVED])
    group.user_set.remove(*[m.user for m in logs if m.status != Member.Status.APPROVED])
    if by is not None:
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    user_id=by.pk,
                    content_type_id=content_type.pk,
                    object_id=str(m.pk),
                    object_repr=str(m)[:200],
                    action_flag=ADDITION,
                    change_message=_("Imported from CSV."),
                    action_time=timezone.now(),
                )
                for m in logs
            ]
        )


def export_csv(queryset, out):
    """Write the members of a queryset as CSV in the import's columns (+ derived ones)."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    rows = (
        queryset.select_related("user", "organization")
        .prefetch_related("expertise")
        .order_by("name", "pk")
    )
    for m in rows.iterator(chunk_size=2000):
        writer.writerow(
            safe_cell(value)
            for value in [
                m.user.email,
                m.name,
                m.position,
                m.organization.name if m.organization else "",
                m.country.code or "",
                m.role_category,
                "; ".join(sorted(t.name for t in m.expertise.all())),
                m.languages,
                m.status,
                m.visibility,
                m.website,
                m.region,
                "yes" if m.oecd else "no",
                m.member_since.isoformat() if m.member_since else "",
                m.slug,
            ]
        )
