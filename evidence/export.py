"""A read-only JSON export of public records: events, resources, organizations.

    GET /export/resources.json?page=2

Pages of PAGE_SIZE records in a stable order (id), with the total, the page count
and the addresses of the next and previous pages. Only what a visitor may see.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe

from events.models import Event
from members.models import Organization
from resources.models import Resource
from resources.search import TOPICS

PAGE_SIZE = 100


def _event(event, base):
    return {
        "id": event.pk,
        "url": base + event.get_absolute_url(),
        "title": event.title,
        "series": event.series,
        "format": event.format,
        "status": event.status,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "date_precision": event.date_precision,
        "timezone": event.timezone,
        "city": event.city,
        "country": event.country.code or None,
        "summary": event.summary,
        "reported_participants": event.reported_participants,
    }


def _resource(resource, base):
    return {
        "id": resource.pk,
        "url": base + resource.get_absolute_url(),
        "title": resource.title,
        "type": resource.type,
        "authors": resource.authors,
        "publisher": resource.publisher,
        "year": resource.publication_year,
        "publication_date": (
            resource.publication_date.isoformat() if resource.publication_date else None
        ),
        "abstract": resource.abstract,
        "language": resource.language,
        "pathway": resource.pathway or None,
        "topics": [t.name for t in resource.topic_list],
        "countries": list(resource.country_codes),
        "regions": list(resource.regions),
        "oecd_coverage": resource.oecd_coverage or None,
        "external_url": resource.url or None,
        "doi": resource.doi or None,
        "updated_at": resource.updated_at.isoformat(),
    }


def _organization(organization, base):
    return {
        "id": organization.pk,
        "url": base + organization.get_absolute_url(),
        "name": organization.name,
        "type": organization.type,
        "country": organization.country.code or None,
        "website": organization.website or None,
        "programs": [
            {"name": p.name, "format": p.format or None, "countries": [c.code for c in p.countries]}
            for p in organization.programs.all()
        ],
    }


KINDS = {
    "events": (lambda: Event.objects.all(), _event),
    "resources": (
        lambda: Resource.objects.visible_to(AnonymousUser()).prefetch_related(TOPICS),
        _resource,
    ),
    "organizations": (
        lambda: Organization.objects.prefetch_related("programs"),
        _organization,
    ),
}


@require_safe
def records(request, kind):
    if kind not in KINDS:
        raise Http404
    queryset, serialize = KINDS[kind]
    paginator = Paginator(queryset().order_by("pk"), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", "1"))
    except PageNotAnInteger:
        return JsonResponse({"error": "page must be a whole number"}, status=400)
    except EmptyPage:
        raise Http404 from None
    base = request.build_absolute_uri("/")[:-1]
    path = request.build_absolute_uri(request.path)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": f"{path}?page={page.next_page_number()}" if page.has_next() else None,
            "previous": (
                f"{path}?page={page.previous_page_number()}" if page.has_previous() else None
            ),
            "results": [serialize(obj, base) for obj in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )
