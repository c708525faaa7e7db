"""Working groups' periodic job: the daily and weekly digests (core.jobs registry)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.emails import site_url
from core.jobs import periodic
from groups.models import GroupMembership, Post
from groups.notifications import unsubscribe_url
from mail import outbox
from mail.models import Kind

PERIODS = {
    GroupMembership.Notify.DAILY: timedelta(days=1),
    GroupMembership.Notify.WEEKLY: timedelta(days=7),
}


def digest_of(membership, since, until):
    """{"new_threads": [...], "replied_threads": [...], "post_count": n}: what this member
    has not been sent, by thread, with counts (hidden threads and posts, and their own
    posts, left out)."""
    posts = (
        Post.objects.filter(
            thread__group=membership.group,
            thread__hidden=False,
            hidden=False,
            created_at__gt=since,
            created_at__lte=until,
        )
        .exclude(author=membership.member)
        .select_related("thread")
        .order_by("thread__last_activity_at", "created_at")
    )
    by_thread = {}
    for post in posts:
        by_thread.setdefault(post.thread.pk, [post.thread, 0])[1] += 1
    new, replied = [], []
    for thread, count in by_thread.values():
        item = {"thread": thread, "count": count, "url": site_url(thread.get_absolute_url())}
        (new if thread.created_at > since else replied).append(item)
    return {
        "new_threads": new,
        "replied_threads": replied,
        "post_count": sum(i["count"] for i in new + replied),
    }


def send_digest(membership, since, now):
    digest = digest_of(membership, since, now)
    if not digest["post_count"]:
        return False
    return outbox.send_once(
        "group_digest",
        to=membership.member,
        kind=Kind.GROUPS,
        key=f"group-digest:{membership.pk}:{since.isoformat()}",
        context={
            **digest,
            "group": membership.group,
            "group_url": site_url(membership.group.get_absolute_url()),
            "group_unsubscribe_url": unsubscribe_url(membership),
        },
    )


@periodic("group_digests")
def group_digests(now=None):
    """Send each member whose daily or weekly digest is due the posts since their last one.
    Safe twice and on two machines: the rows are locked (others skipped) and the mark moves
    in the same transaction as the email is queued; the dedupe key backs it."""
    now = now or timezone.now()
    sent = 0
    for notify, period in PERIODS.items():
        with transaction.atomic():
            due = (
                GroupMembership.objects.active()
                .filter(notify=notify, group__archived_at__isnull=True)
                .filter(
                    Q(digested_at__lte=now - period)
                    | Q(digested_at__isnull=True, created_at__lte=now - period)
                )
                .select_related("member", "group")
                .select_for_update(skip_locked=True, of=("self",))
            )
            for membership in due:
                # Never digested: everything since they joined (or chose digests).
                since = membership.digested_at or membership.created_at
                sent += send_digest(membership, since, now)
                GroupMembership.objects.filter(pk=membership.pk).update(digested_at=now)
    return sent
