"""Metadata for search engines, social sites and scholarly indexes, in <head>.

- `{% social_meta title description type %}`: OpenGraph and Twitter card tags.
- `{% json_ld_event event %}`, `{% json_ld_resource resource %}`,
  `{% json_ld_organization organization %}`, `{% json_ld_network %}`: schema.org JSON-LD in
  `<script type="application/ld+json">`, a data block browsers never run (so the CSP's
  `script-src 'self'` allows it); `<`, `>` and `&` are escaped so no text can close it.
- `{% citation_meta resource %}`: Highwire Press `citation_*` tags (Google Scholar).

Addresses are absolute, from settings.SITE_URL. Duck-typed: imports no app.
"""

import json
import re

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.content_translation import reader_text

register = template.Library()

NETWORK_NAME = "Agile Leaders of Learning Innovation Network (ALL-IN)"
SCHOLARLY_TYPES = {"journal_article": "ScholarlyArticle"}
REPORT_TYPES = {"report", "case_study", "policy_brief"}


def absolute(path):
    return settings.SITE_URL + path


def authors_of(resource):
    return [a.strip() for a in re.split(r";|,|\s+and\s+", resource.authors or "") if a.strip()]


def _script(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def social_meta(context, title="", description="", kind="website"):
    request = context.get("request")
    title = " ".join(str(title).split()) or _(
        "ALL-IN: Agile Leaders of Learning Innovation Network"
    )
    description = " ".join(str(description).split())[:300] or _(
        "The WISE network of school-leadership academics, program providers, practitioners "
        "and policymakers."
    )
    url = absolute(request.path) if request else settings.SITE_URL + "/"
    tags = [
        ("property", "og:site_name", "ALL-IN"),
        ("property", "og:type", kind),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return format_html_join("\n", '<meta {}="{}" content="{}">', tags)


def _place(event):
    if event.format == "online" and not event.city:
        return {"@type": "VirtualLocation", "url": absolute(event.get_absolute_url())}
    address = {"@type": "PostalAddress"}
    if event.city:
        address["addressLocality"] = event.city
    if event.country:
        address["addressCountry"] = event.country.code
    place = {
        "@type": "Place",
        "name": event.venue or event.city or str(event.country.name or ""),
        "address": address,
    }
    return place


def _when(event, moment):
    """A date where only the day (or month) is known, else the date-time with its offset."""
    if event.date_precision == "month":
        return moment.strftime("%Y-%m")
    if event.date_precision == "day":
        return moment.date().isoformat()
    return moment.isoformat()


@register.simple_tag
def json_ld_event(event):
    statuses = {
        "cancelled": "https://schema.org/EventCancelled",
        "postponed": "https://schema.org/EventPostponed",
    }
    modes = {
        "online": "https://schema.org/OnlineEventAttendanceMode",
        "blended": "https://schema.org/MixedEventAttendanceMode",
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": reader_text(event, "title"),
        "startDate": _when(event, event.local_starts_at),
        "endDate": _when(event, event.local_ends_at),
        "eventStatus": statuses.get(event.status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": modes.get(
            event.format, "https://schema.org/OfflineEventAttendanceMode"
        ),
        "location": _place(event),
        "url": absolute(event.get_absolute_url()),
        "organizer": {"@type": "Organization", "name": NETWORK_NAME, "url": absolute("/")},
    }
    if event.summary:
        data["description"] = reader_text(event, "summary")
    return _script(data)


def resource_schema_type(resource):
    if resource.type in SCHOLARLY_TYPES:
        return SCHOLARLY_TYPES[resource.type]
    return "Report" if resource.type in REPORT_TYPES else "CreativeWork"


@register.simple_tag
def json_ld_resource(resource):
    data = {
        "@context": "https://schema.org",
        "@type": resource_schema_type(resource),
        "name": resource.title,
        "headline": resource.title[:110],
        "url": absolute(resource.get_absolute_url()),
        "inLanguage": resource.language,
        "isAccessibleForFree": resource.access == "public",
    }
    authors = authors_of(resource)
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    if resource.publication_date:
        data["datePublished"] = resource.publication_date.isoformat()
    elif resource.publication_year:
        data["datePublished"] = str(resource.publication_year)
    if resource.publisher:
        data["publisher"] = {"@type": "Organization", "name": resource.publisher}
    if resource.abstract:
        data["abstract"] = resource.abstract
    topics = [t.name for t in getattr(resource, "topic_list", [])]
    if topics:
        data["keywords"] = ", ".join(topics)
    if resource.doi:
        data["identifier"] = f"https://doi.org/{resource.doi}"
    return _script(data)


@register.simple_tag
def json_ld_organization(organization):
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organization.name,
        "url": absolute(organization.get_absolute_url()),
        "memberOf": {"@type": "Organization", "name": NETWORK_NAME, "url": absolute("/")},
    }
    if organization.website:
        data["sameAs"] = organization.website
    if organization.country:
        data["address"] = {"@type": "PostalAddress", "addressCountry": organization.country.code}
    return _script(data)


@register.simple_tag
def json_ld_network():
    return _script(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": NETWORK_NAME,
            "alternateName": "ALL-IN",
            "url": absolute("/"),
            "foundingDate": "2017",
            "email": settings.OAI_ADMIN_EMAIL,
            "parentOrganization": {
                "@type": "Organization",
                "name": "World Innovation Summit for Education (WISE)",
            },
        }
    )


@register.simple_tag
def citation_meta(resource):
    tags = [("citation_title", resource.title)]
    tags += [("citation_author", name) for name in authors_of(resource)]
    if resource.publication_date:
        tags.append(("citation_publication_date", resource.publication_date.strftime("%Y/%m/%d")))
    elif resource.publication_year:
        tags.append(("citation_publication_date", str(resource.publication_year)))
    if resource.publisher:
        key = (
            "citation_technical_report_institution"
            if resource.type in REPORT_TYPES
            else "citation_publisher"
        )
        tags.append((key, resource.publisher))
    if resource.language:
        tags.append(("citation_language", resource.language))
    if resource.doi:
        tags.append(("citation_doi", resource.doi))
    tags.append(("citation_abstract_html_url", absolute(resource.get_absolute_url())))
    if resource.file and resource.access == "public" and resource.is_published:
        tags.append(("citation_pdf_url", absolute(resource.get_download_url())))
    for topic in getattr(resource, "topic_list", []):
        tags.append(("citation_keywords", topic.name))
    return format_html_join("\n", '<meta name="{}" content="{}">', tags)
