"""sitemap.xml: every public page, event, profile, organization, resource and case study.

Served as a sitemap index (/sitemap.xml) with one file per section
(/sitemap-resources.xml?p=2...), each at most 50,000 addresses. The portal's URLs carry
no language prefix (the language comes from the visitor's choice), so there are no
per-language addresses to list as alternates yet.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import Event
from members.models import Member, Organization
from resources.models import CaseStudy, Resource


class StaticSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "home",
            "about",
            "journey",
            "living_lab",
            "contact",
            "events:list",
            "resources:list",
            "resources:case_studies",
            "members:list",
            "members:organizations",
            "evidence:evidence",
            "evidence:impact",
        ]

    def location(self, item):
        return reverse(item)


class EventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.order_by("starts_at", "pk").only("slug")


class MemberSitemap(Sitemap):
    def items(self):
        return Member.objects.listed_for(AnonymousUser()).order_by("pk").only("slug")


class OrganizationSitemap(Sitemap):
    def items(self):
        return Organization.objects.order_by("pk").only("slug")


def public_resources():
    return Resource.objects.visible_to(AnonymousUser())


class ResourceSitemap(Sitemap):
    def items(self):
        return (
            public_resources()
            .exclude(type=Resource.Type.CASE_STUDY)
            .order_by("pk")
            .only("slug", "type", "updated_at")
        )

    def lastmod(self, item):
        return item.updated_at


class CaseStudySitemap(ResourceSitemap):
    def items(self):
        return (
            public_resources()
            .filter(type=Resource.Type.CASE_STUDY, case_study__status=CaseStudy.Status.PUBLISHED)
            .order_by("pk")
            .only("slug", "type", "updated_at")
        )


SITEMAPS = {
    "pages": StaticSitemap,
    "events": EventSitemap,
    "members": MemberSitemap,
    "organizations": OrganizationSitemap,
    "resources": ResourceSitemap,
    "case-studies": CaseStudySitemap,
}
