"""Builders for the evidence tests."""

from resources.models import CaseStudy, Resource
from tests.helpers import make_resource


def case_study(title, *, status, countries, access=Resource.Access.PUBLIC, year=2020):
    resource = make_resource(
        title,
        type=Resource.Type.CASE_STUDY,
        countries=countries,
        access=access,
        publication_year=year,
    )
    published = status == CaseStudy.Status.PUBLISHED
    Resource.objects.filter(pk=resource.pk).update(is_published=published)
    CaseStudy.objects.create(resource=resource, status=status)
    return resource
