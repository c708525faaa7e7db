"""The weekly digest, run by the scheduler (registered in communications/jobs.py, see
core/jobs.py). Each email that must go once carries a `dedupe_key` (unique in the database): a
second round, a restarted scheduler or a second one on another machine finds the key taken
and writes nothing, and the worker's claim (queued → sending) makes the delivery single too.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from communications.models import DigestRun
from core.emails import site_url
from mail import outbox
from mail.models import Kind, Subscription
from members.models import Member, User
from resources.models import CaseStudy, Resource, StatusChange


def digest_items(since):
    """New public and members-only resources, and case studies published, since then."""
    shown = [Resource.Access.PUBLIC, Resource.Access.MEMBERS]
    resources = list(
        Resource.objects.filter(is_published=True, access__in=shown, created_at__gte=since)
        .exclude(type=Resource.Type.CASE_STUDY)
        .order_by("-created_at")[:50]
    )
    published = StatusChange.objects.filter(
        to_status=CaseStudy.Status.PUBLISHED, at__gte=since
    ).values("case_study__resource_id")
    case_studies = list(
        Resource.objects.filter(pk__in=published, is_published=True, access__in=shown).order_by(
            "title"
        )[:50]
    )
    return resources, case_studies


def send_digest(now=None):
    """Once per ISO week, from the set weekday and hour on, to members who chose it, only
    when there is something new. Returns the number of emails written."""
    now = now or timezone.now()
    if (now.weekday(), now.hour) < (settings.DIGEST_WEEKDAY, settings.DIGEST_HOUR):
        return 0
    year, week, _day = now.isocalendar()
    label = f"{year}-W{week:02d}"
    last = DigestRun.objects.order_by("-ran_at").first()
    since = last.ran_at if last else now - datetime.timedelta(days=7)
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(week=label, since=since, ran_at=now)
    except IntegrityError:
        return 0  # this week's digest was done (or is being done by another scheduler)
    resources, case_studies = digest_items(since)
    run.items = len(resources) + len(case_studies)
    if not run.items:
        run.save(update_fields=["items"])
        return 0
    chose = Subscription.objects.filter(kind=Kind.DIGEST, subscribed=True).values("email")
    readers = (
        User.objects.filter(is_active=True, member__status=Member.Status.APPROVED)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=chose)
        .order_by("pk")
    )
    context = {
        "resources": [(r, site_url(r.get_absolute_url())) for r in resources],
        "case_studies": [(r, site_url(r.get_absolute_url())) for r in case_studies],
        "library_url": site_url("/resources/"),
    }
    written = 0
    with transaction.atomic(), outbox.in_bulk():
        for user in readers:
            written += outbox.send_once(
                "digest",
                to=user,
                context=context,
                kind=Kind.DIGEST,
                key=f"digest:{label}:{user.pk}",
            )
    run.recipients = written
    run.save(update_fields=["items", "recipients"])
    return written
