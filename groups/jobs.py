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


def posts_of(group, since, until):
    """The group's posts a digest may show (hidden threads and posts left out), oldest
    first, with their threads: one query for every member of the group who is due."""
    return list(
        Post.objects.filter(
            thread__group=group,
            thread__hidden=False,
            hidden=False,
            created_at__gt=since,
            created_at__lte=until,
        )
        .select_related("thread")
        .order_by("thread__last_activity_at", "created_at")
    )


def digest_of(membership, since, posts):
    """{"new_threads": [...], "replied_threads": [...], "post_count": n}: the posts since
    `since` this member did not write, by thread, with counts."""
    by_thread = {}
    for post in posts:
        if post.created_at > since and post.author_id != membership.member_id:
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


def send_digest(membership, since, posts):
    digest = digest_of(membership, since, posts)
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
    in the same transaction as the email is queued; the dedupe key backs it. The posts are
    read once per group, not once per member."""
    now = now or timezone.now()
    sent = 0
    for notify, period in PERIODS.items():
        with transaction.atomic():
            due = list(
                GroupMembership.objects.active()
                .filter(notify=notify, group__archived_at__isnull=True)
                .filter(
                    Q(digested_at__lte=now - period)
                    | Q(digested_at__isnull=True, created_at__lte=now - period)
                )
                .select_related("member", "group")
                .select_for_update(skip_locked=True, of=("self",))
            )
            by_group = {}
            for membership in due:
                by_group.setdefault(membership.group_id, []).append(membership)
            for memberships in by_group.values():
                # Never digested: everything since they joined (or chose digests).
                sinces = {m.pk: m.digested_at or m.created_at for m in memberships}
                posts = posts_of(memberships[0].group, min(sinces.values()), now)
                for membership in memberships:
                    sent += send_digest(membership, sinces[membership.pk], posts)
            GroupMembership.objects.filter(pk__in=[m.pk for m in due]).update(digested_at=now)
    return sent
