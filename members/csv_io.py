"""CSV import and export of members and organizations for the back office.

An import is checked row by row first; errors name the row (as a spreadsheet counts:
the header is row 1) and the column. Nothing is saved unless every row is valid, and
the save runs in one transaction. A dry run stops after the check and shows a preview.
"""

from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from core.countries import is_oecd, region_for
from core.csvimport import (
    CSVFileError,
    check_length,
    country_code,
    length_message,
    read_csv,
)
from core.slugs import unique_slugs
from members.models import Member, Organization, User
from members.protection import protected_q
from members.services import sync_member_groups

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
REQUIRED = {"members": ["email", "name"], "organizations": ["name"]}
BATCH = 1000

validate_email = EmailValidator()
validate_url = URLValidator()


@dataclass
class ImportResult:
    kind: str
    rows: list = field(default_factory=list)  # cleaned rows (dicts)
    errors: list = field(default_factory=list)  # (row number, column, message)
    created: int = 0
    updated: int = 0
    saved: bool = False
    job: object = None  # an ImportJob when the import was sent to the task queue


def _choice(row, column, choices):
    """The choice's value from its value or label (any case), "" when empty."""
    value = row.values[column]
    if not value:
        return ""
    lowered = value.lower()
    for key, _label in choices:
        if lowered == key:
            return key
    for key, label in choices:  # labels are translated: only when the value is no key
        if lowered == str(label).lower():
            return key
    row.error(
        column,
        _("“%(value)s” is not one of: %(choices)s.")
        % {"value": value[:60], "choices": ", ".join(key for key, _label in choices)},
    )
    return ""


def _url(row, column, model):
    value = row.values[column]
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    if not check_length(row, column, model, value=value):
        return ""
    try:
        validate_url(value)
    except ValidationError:
        row.error(column, _("Not a valid web address."))
        return ""
    return value


def _country(row, column="country"):
    try:
        return country_code(row.values[column])
    except ValidationError as error:
        row.error(column, error.messages[0])
        return ""


def _required(row, column):
    if not row.values[column]:
        row.error(column, _("This column is required."))
        return False
    return True


def check_member(row, organizations):
    v = row.values
    email = v["email"].lower()
    if _required(row, "email") and check_length(row, "email", User):
        try:
            validate_email(v["email"])
        except ValidationError:
            row.error("email", _("Not a valid email address."))
    if _required(row, "name"):
        check_length(row, "name", Member)
    for column in ["position", "languages"]:
        check_length(row, column, Member)
    organization = None
    if v["organization"]:
        organization = organizations.get(v["organization"].lower())
        if organization is None:
            row.error(
                "organization",
                _("No organization named “%(name)s”: import it first.")
                % {"name": v["organization"][:200]},
            )
    tags = [t.strip() for t in v["expertise"].split(";") if t.strip()]
    limit = Tag._meta.get_field("name").max_length
    for tag in tags:
        if len(tag) > limit:
            row.error("expertise", length_message(limit, len(tag)))
    return {
        "email": email,
        "name": v["name"],
        "position": v["position"],
        "organization": organization,
        "country": _country(row),
        "role_category": _choice(row, "role_category", Member.RoleCategory.choices),
        "expertise": list(dict.fromkeys(tags)),
        "languages": v["languages"],
        "status": _choice(row, "status", Member.Status.choices),
        "visibility": _choice(row, "visibility", Member.Visibility.choices),
        "website": _url(row, "website", Member),
    }


def check_organization(row):
    if _required(row, "name"):
        check_length(row, "name", Organization)
    return {
        "name": row.values["name"],
        "type": _choice(row, "type", Organization.Type.choices),
        "country": _country(row),
        "website": _url(row, "website", Organization),
        "description": row.values["description"],
    }


def check_file(upload, kind, progress=None, by=None):
    """Read and check every row: ImportResult with cleaned rows and errors. A row may not
    touch a staff or superuser account unless `by` is a superuser (members/protection.py)."""
    columns = MEMBER_COLUMNS if kind == "members" else ORGANIZATION_COLUMNS
    result = ImportResult(kind=kind)
    try:
        rows = read_csv(upload, columns=columns, required=REQUIRED[kind], max_rows=MAX_ROWS)
    except CSVFileError as error:
        result.errors.append((1, "", str(error)))
        return result
    organizations = {o.name.lower(): o for o in Organization.objects.all()}
    key_column = "email" if kind == "members" else "name"
    # Staff accounts are few: their addresses in one query.
    protected = set()
    if kind == "members" and not (by is not None and by.is_superuser):
        protected = set(
            User.objects.filter(protected_q())
            .annotate(email_lower=Lower("email"))
            .values_list("email_lower", flat=True)
        )
    seen = {}
    for n, row in enumerate(rows, start=1):
        if kind == "members":
            cleaned = check_member(row, organizations)
        else:
            cleaned = check_organization(row)
        key = row.values[key_column].lower()
        if key in protected:
            row.error("email", _("This address belongs to a staff account: not imported."))
        if key and key in seen:
            row.error(
                key_column, _("Appears twice in this file (row %(row)d).") % {"row": seen[key]}
            )
        seen.setdefault(key, row.number)
        for column, message in row.errors.items():
            result.errors.append((row.number, column, message))
        if not row.errors:
            result.rows.append(cleaned)
        if progress is not None:
            progress.checked(n)
    return result


def import_csv(*, upload, kind, dry_run, by, progress=None):
    """Check the file, then (unless a dry run, and only when every row is valid) save all
    rows in one transaction."""
    result = check_file(upload, kind, progress, by=by)
    if result.errors or dry_run:
        return result
    if progress is not None:
        progress.saving()
    save(result, by)
    return result


def save(result, by):
    """Save the checked rows of `result`, all in one transaction."""
    with transaction.atomic():
        if result.kind == "members":
            _save_members(result, by)
        else:
            _save_organizations(result)
    result.saved = True


def _save_organizations(result):
    existing = {o.name.lower(): o for o in Organization.objects.all()}
    new, changed = [], []
    for row in result.rows:
        organization = existing.get(row["name"].lower())
        if organization is None:
            organization = Organization(name=row["name"])
            new.append(organization)
        else:
            changed.append(organization)
        organization.type = row["type"] or organization.type or Organization.Type.OTHER
        for name in ["country", "website", "description"]:
            if row[name]:
                setattr(organization, name, row[name])
    slugs = unique_slugs(Organization, [o.name for o in new], fallback="organization")
    for organization, slug in zip(new, slugs, strict=True):
        organization.slug = slug
    Organization.objects.bulk_create(new, batch_size=BATCH)
    Organization.objects.bulk_update(
        changed, ["type", "country", "website", "description"], batch_size=BATCH
    )
    result.created, result.updated = len(new), len(changed)


def _save_members(result, by):
    """All rows in a few queries per thousand rows (users, members, tags, group, log)."""
    rows = result.rows
    users = User.objects.with_emails(row["email"] for row in rows)
    new_users = [User(email=row["email"]) for row in rows if row["email"] not in users]
    unusable = make_password(None)  # no password: they set one through "forgot password"
    for user in new_users:
        user.password = unusable
    for user in User.objects.bulk_create(new_users, batch_size=BATCH):
        users[user.email] = user
    members = {m.user_id: m for m in Member.objects.filter(user__in=[u.pk for u in users.values()])}
    today = timezone.localdate()
    new, changed, pairs = [], [], []
    for row in rows:
        user = users[row["email"]]
        member = members.get(user.pk)
        if member is None:
            member = Member(user=user)
            new.append(member)
        else:
            changed.append(member)
        member.user = user
        member.name = row["name"]
        member.organization = row["organization"] or member.organization
        for name in ["position", "country", "languages", "website"]:
            if row[name]:
                setattr(member, name, row[name])
        member.role_category = row["role_category"] or member.role_category
        member.visibility = row["visibility"] or member.visibility
        member.status = row["status"] or member.status or Member.Status.APPLIED
        # What Member.save() derives, since bulk writes skip save().
        member.region = region_for(member.country)
        member.oecd = is_oecd(member.country)
        if member.status == Member.Status.APPROVED and not member.member_since:
            member.member_since = today
        pairs.append((member, row))
    for member, slug in zip(
        new, unique_slugs(Member, [m.name for m in new], fallback="member"), strict=True
    ):
        member.slug = slug
    # The search text, complete before the rows are written (no second pass over them).
    kept = _kept_expertise(pairs)
    for member, row in pairs:
        names = row["expertise"] or (kept.get(member.pk, []) if member.pk else [])
        member.search_text = member.build_search_text(expertise=names)
    everyone = [member for member, _row in pairs]
    for member, text in zip(everyone, unaccented([m.search_text for m in everyone]), strict=True):
        member.search_text = text
    Member.objects.bulk_create(new, batch_size=BATCH)
    Member.objects.bulk_update(
        changed,
        [
            "name",
            "organization",
            "position",
            "country",
            "languages",
            "website",
            "role_category",
            "visibility",
            "status",
            "region",
            "oecd",
            "member_since",
            "search_text",
        ],
        batch_size=BATCH,
    )
    _save_expertise(pairs)
    sync_member_groups([m.user_id for m in everyone])
    result.created, result.updated = len(new), len(changed)
    new_ids = {m.pk for m in new}
    if by is not None:
        content_type = ContentType.objects.get_for_model(Member)
        now = timezone.now()
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    user_id=by.pk,
                    content_type_id=content_type.pk,
                    object_id=str(m.pk),
                    object_repr=str(m)[:200],
                    action_flag=ADDITION if m.pk in new_ids else CHANGE,
                    change_message=_("Imported from CSV."),
                    action_time=now,
                )
                for m in everyone
            ],
            batch_size=BATCH,
        )


def unaccented(texts):
    """The texts through members_unaccent(), as the directory search stores and looks
    them up, in one query."""
    if not texts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT members_unaccent(t) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) "
            "ORDER BY n",
            [list(texts)],
        )
        return [text for (text,) in cursor.fetchall()]


def _kept_expertise(pairs):
    """The expertise names of existing members whose row names none (they keep theirs)."""
    content_type = ContentType.objects.get_for_model(Member)
    kept = [member.pk for member, row in pairs if member.pk and not row["expertise"]]
    expertise = {}
    for object_id, name in TaggedItem.objects.filter(
        content_type=content_type, object_id__in=kept
    ).values_list("object_id", "tag__name"):
        expertise.setdefault(object_id, []).append(name)
    return expertise


def _save_expertise(pairs):
    """Replace the expertise of members whose row names some, in bulk (as `expertise.set`
    would one member at a time)."""
    content_type = ContentType.objects.get_for_model(Member)
    names = {name for _member, row in pairs for name in row["expertise"]}
    tags = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = sorted(names - set(tags))
    new_tags = [
        Tag(name=name, slug=slug)
        for name, slug in zip(missing, unique_slugs(Tag, missing, fallback="tag"), strict=True)
    ]
    for tag in Tag.objects.bulk_create(new_tags, batch_size=BATCH):
        tags[tag.name] = tag
    replaced = [member.pk for member, row in pairs if row["expertise"]]
    TaggedItem.objects.filter(content_type=content_type, object_id__in=replaced).delete()
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=content_type, object_id=member.pk, tag=tags[name])
            for member, row in pairs
            for name in row["expertise"]
        ],
        batch_size=BATCH,
    )


def export_rows(queryset):
    """The members of a queryset as rows in the import's columns (+ derived ones), the
    header first: for `core.spreadsheets.csv_download` (which makes every cell safe)."""
    yield EXPORT_COLUMNS
    rows = (
        queryset.select_related("user", "organization")
        .prefetch_related("expertise")
        .order_by("name", "pk")
    )
    for m in rows.iterator(chunk_size=2000):
        yield (
            [
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
