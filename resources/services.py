"""What changes resources: saving with a fresh search vector, files, downloads, reviews.

Keyword-only functions in transactions; emails are sent here, not by signals.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.countries import is_oecd, region_for
from core.datacache import invalidate
from core.emails import site_url
from mail import outbox
from members.roles import NETWORK_ADMINS
from resources.files import extract_text, validate_pdf
from resources.models import (
    CaseStudy,
    FileVersion,
    PendingUpload,
    Resource,
    StatusChange,
    UsageByYear,
)

Status = CaseStudy.Status

# A PDF kept across a failed case-study form waits this long for its uploader to come back.
PENDING_UPLOAD_KEPT_FOR = datetime.timedelta(days=2)

# The vector's functions (resources migration 0005): the plain words and the stems of every
# language for the short texts; the plain words and the resource's own language for the file.
SEARCH_VECTOR_SQL = """
UPDATE resources_resource r SET search_vector =
    setweight(allin_tsvector(coalesce(r.title, '') || ' '
        || coalesce((SELECT string_agg(at.title, ' ' ORDER BY at.language)
            FROM resources_abstracttranslation at WHERE at.resource_id = r.id), '')), 'A')
    || setweight(allin_tsvector(coalesce(r.abstract, '') || ' '
        || coalesce((SELECT string_agg(at.text, ' ' ORDER BY at.language)
            FROM resources_abstracttranslation at WHERE at.resource_id = r.id), '') || ' '
        || coalesce(r.authors, '') || ' ' || coalesce((
            SELECT concat_ws(' ', cs.research_questions, cs.methods, cs.key_findings, cs.lessons)
            FROM resources_casestudy cs WHERE cs.resource_id = r.id), '')), 'B')
    || setweight(allin_tsvector(coalesce((
            SELECT string_agg(concat_ws(' ', t.name, (
                SELECT string_agg(tt.name, ' ' ORDER BY tt.language)
                FROM resources_topictranslation tt WHERE tt.tag_id = t.id)), ' ' ORDER BY t.name)
            FROM taggit_taggeditem ti
            JOIN taggit_tag t ON t.id = ti.tag_id
            WHERE ti.object_id = r.id AND ti.content_type_id = %s), '')), 'C')
    || setweight(allin_tsvector_in(r.language, coalesce(r.file_text, '')), 'D')
"""


def update_search_vectors(*, ids=None):
    """Recompute the stored search vector of these resources (all when ids is None), in SQL."""
    content_type = ContentType.objects.get_for_model(Resource)
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(SEARCH_VECTOR_SQL, [content_type.pk])
        else:
            cursor.execute(
                SEARCH_VECTOR_SQL + " WHERE r.id = ANY(%s)", [content_type.pk, list(ids)]
            )
    # Raw SQL, which the model hooks of core.datacache do not see: the search vector
    # changes what a query matches, so the library's counts are recomputed after the commit.
    invalidate("resources")


def derive_fields(resource):
    """Fields computed from others: country codes, regions, OECD coverage, year."""
    codes = [str(c) for c in resource.countries]
    resource.country_codes = codes
    resource.regions = sorted({region_for(c) for c in codes} - {""})
    oecd = {is_oecd(c) for c in codes}
    resource.oecd_coverage = (
        ""
        if not oecd
        else Resource.OECDCoverage.BOTH
        if len(oecd) == 2
        else Resource.OECDCoverage.OECD
        if True in oecd
        else Resource.OECDCoverage.NON_OECD
    )
    if resource.publication_date and not resource.publication_year:
        resource.publication_year = resource.publication_date.year


@transaction.atomic
def save_resource(*, resource, topics=None, author_members=None, upload=None, by=None):
    """Save a resource with its topics, member authors and optional new file; refresh its vector."""
    derive_fields(resource)
    resource.save()
    if topics is not None:
        resource.topics.set(list(topics))
    if author_members is not None:
        resource.author_members.set(author_members)
    if upload is not None:
        attach_file(resource=resource, upload=upload, by=by)
    update_search_vectors(ids=[resource.pk])
    return resource


def attach_file(*, resource, upload, by=None):
    """Store a new PDF version under a portal-made name; earlier versions are kept."""
    validate_pdf(upload)
    text = extract_text(upload)
    number = (
        resource.file_versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = FileVersion(
        resource=resource,
        number=number,
        original_name=(getattr(upload, "name", "") or "")[-255:],
        size=upload.size,
        uploaded_by=by,
    )
    version.file.save("upload.pdf", upload, save=False)
    version.save()
    resource.file = version.file.name
    resource.file_text = text
    resource.save(update_fields=["file", "file_text", "updated_at"])
    return version


def count_download(*, resource):
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    count_use(UsageByYear.Kind.DOWNLOAD)


def count_use(kind):
    """One more download or citation export this year (the impact page's trend)."""
    year = timezone.now().year
    tally, _created = UsageByYear.objects.get_or_create(kind=kind, year=year)
    UsageByYear.objects.filter(pk=tally.pk).update(count=F("count") + 1)


# Case studies ---------------------------------------------------------------------------------

TRANSITIONS = {
    # action: (allowed from, to, who may do it)
    "submit": ({Status.DRAFT, Status.CHANGES_REQUESTED}, Status.SUBMITTED, "researcher"),
    "start_review": ({Status.SUBMITTED}, Status.IN_REVIEW, "reviewer"),
    "request_changes": ({Status.SUBMITTED, Status.IN_REVIEW}, Status.CHANGES_REQUESTED, "reviewer"),
    "publish": ({Status.SUBMITTED, Status.IN_REVIEW}, Status.PUBLISHED, "reviewer"),
    "archive": ({Status.PUBLISHED}, Status.ARCHIVED, "reviewer"),
}


class TransitionError(Exception):
    pass


def is_reviewer(user):
    return user.is_authenticated and user.has_perm("resources.review_case_study")


def is_researcher_of(case_study, user):
    return user.is_authenticated and case_study.researchers.filter(pk=user.pk).exists()


@transaction.atomic
def create_case_study(*, resource, case_study, by, topics=None, upload=None):
    resource.type = Resource.Type.CASE_STUDY
    resource.is_published = False
    derive_fields(resource)
    resource.save()
    case_study.resource = resource
    case_study.status = Status.DRAFT
    case_study.save()
    case_study.researchers.add(by)
    StatusChange.objects.create(case_study=case_study, to_status=Status.DRAFT, by=by)
    return save_resource(resource=resource, topics=topics, upload=upload, by=by).case_study


@transaction.atomic
def update_case_study(*, case_study, by, topics=None, upload=None):
    if not case_study.editable:
        raise TransitionError(_("This case study cannot be edited in its current status."))
    case_study.save()
    save_resource(resource=case_study.resource, topics=topics, upload=upload, by=by)
    return case_study


@transaction.atomic
def transition(*, case_study, action, by, comment=""):
    """Move a case study along its review workflow, record it and email the researchers."""
    allowed_from, to_status, role = TRANSITIONS[action]
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if role == "reviewer" and not is_reviewer(by):
        raise TransitionError(_("Only reviewers can do this."))
    if role == "researcher" and not is_researcher_of(case_study, by):
        raise TransitionError(_("Only the case study's researchers can do this."))
    if case_study.status not in allowed_from:
        raise TransitionError(
            _("This case study is %(status)s.") % {"status": case_study.get_status_display()}
        )
    change = StatusChange.objects.create(
        case_study=case_study,
        from_status=case_study.status,
        to_status=to_status,
        by=by,
        comment=comment,
    )
    case_study.status = to_status
    case_study.save(update_fields=["status", "updated_at"])
    resource = case_study.resource
    published = to_status == Status.PUBLISHED
    if resource.is_published != published:
        Resource.objects.filter(pk=resource.pk).update(is_published=published)
        resource.is_published = published
    _email_researchers(case_study=case_study, change=change)
    if to_status == Status.SUBMITTED:
        _email_reviewers(case_study=case_study, change=change)
    return case_study


@transaction.atomic
def comment(*, case_study, by, text):
    """A reviewer's or researcher's note without a change of status."""
    change = StatusChange.objects.create(
        case_study=case_study,
        from_status=case_study.status,
        to_status=case_study.status,
        by=by,
        comment=text,
    )
    _email_researchers(case_study=case_study, change=change)
    return change


def _email_researchers(*, case_study, change):
    """One email per researcher, each in their own language, queued in this transaction."""
    recipients = [u for u in case_study.researchers.all() if u.email]
    if not recipients:
        return
    slug = case_study.resource.slug
    if change.to_status == Status.CHANGES_REQUESTED:
        path = reverse("resources:case_study_edit", kwargs={"slug": slug})
    else:  # the case study's page: public once published, with its history before
        path = reverse("resources:case_study", kwargs={"slug": slug})
    context = {"case_study": case_study, "change": change, "url": site_url(path)}
    for researcher in recipients:
        outbox.send("case_study_status", to=researcher, context=context)


def reviewers():
    """Who reviews case studies: active network admins and superusers with an address."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(Q(groups__name=NETWORK_ADMINS) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
    )


def _email_reviewers(*, case_study, change):
    """Tell each reviewer, in the language they chose, that a case study waits for review."""
    context = {
        "case_study": case_study,
        "change": change,
        "researchers": ", ".join(
            u.get_full_name() or u.email for u in case_study.researchers.all()
        ),
        "url": site_url(reverse("resources:case_study", kwargs={"slug": case_study.resource.slug})),
        "queue_url": site_url(reverse("resources:review_queue")),
    }
    for reviewer in reviewers():
        outbox.send("case_study_submitted", to=reviewer, context=context)


def discard_stale_pending_uploads(now=None):
    """Delete the kept PDFs (rows and files) nobody came back for; the scheduler's round."""
    cutoff = (now or timezone.now()) - PENDING_UPLOAD_KEPT_FOR
    stale = list(PendingUpload.objects.filter(created_at__lt=cutoff))
    for pending in stale:
        pending.file.delete(save=False)
        pending.delete()
    return len(stale)
