"""resources answers what members asks for (members never imports resources): the parts
of a person's own-data export that the library holds."""

from django.db.models import Prefetch

from core.emails import site_url
from members import own_data
from resources.models import CaseStudy, FileVersion, PendingUpload, Resource, StatusChange


def _when(value):
    return value.isoformat() if value else None


def _version(v, user):
    return {
        "version": v.number,
        "file": v.original_name,
        "size": v.size,
        "uploaded_at": _when(v.uploaded_at),
        "uploaded_by_you": v.uploaded_by_id == user.pk,
    }


@own_data.part("case_studies", covers=["resources.CaseStudy.researchers"])
def case_studies(user):
    """The case studies the user is a researcher of, every status, with each file version
    and each step of the review (its comments included)."""
    rows = (
        CaseStudy.objects.filter(researchers=user)
        .select_related("resource")
        .prefetch_related(
            Prefetch("resource__file_versions", queryset=FileVersion.objects.order_by("number")),
            Prefetch("history", queryset=StatusChange.objects.order_by("at", "pk")),
        )
        .order_by("resource__title", "pk")
    )
    return [
        {
            "title": c.resource.title,
            "url": site_url(c.get_absolute_url()),
            "status": c.status,
            "abstract": c.resource.abstract,
            "country": str(c.country),
            "research_questions": c.research_questions,
            "methods": c.methods,
            "key_findings": c.key_findings,
            "lessons": c.lessons,
            "updated_at": _when(c.updated_at),
            "versions": [_version(v, user) for v in c.resource.file_versions.all()],
            "review": [
                {
                    "from": s.from_status,
                    "to": s.to_status,
                    "at": _when(s.at),
                    "comment": s.comment,
                }
                for s in c.history.all()
            ],
        }
        for c in rows
    ]


@own_data.part("resources_authored", covers=["resources.Resource.author_members"])
def resources_authored(user):
    rows = Resource.objects.filter(author_members__user=user).order_by("title", "pk")
    return [
        {"title": r.title, "type": r.type, "year": r.publication_year, "access": r.access}
        for r in rows
    ]


@own_data.part("files_uploaded", covers=["resources.FileVersion.uploaded_by"])
def files_uploaded(user):
    rows = (
        FileVersion.objects.filter(uploaded_by=user)
        .select_related("resource")
        .order_by("uploaded_at", "pk")
    )
    return [{"resource": v.resource.title, **_version(v, user)} for v in rows]


@own_data.part("case_study_review_steps", covers=["resources.StatusChange.by"])
def review_steps(user):
    """Each step of a case study's review the user took (submitting, reviewing...)."""
    rows = (
        StatusChange.objects.filter(by=user)
        .select_related("case_study__resource")
        .order_by("at", "pk")
    )
    return [
        {
            "case_study": s.case_study.resource.title,
            "from": s.from_status,
            "to": s.to_status,
            "at": _when(s.at),
            "comment": s.comment,
        }
        for s in rows
    ]


@own_data.part("pending_uploads", covers=["resources.PendingUpload.user"])
def pending_uploads(user):
    return [
        {"file": p.original_name, "size": p.size, "uploaded_at": _when(p.created_at)}
        for p in PendingUpload.objects.filter(user=user).order_by("created_at", "pk")
    ]
