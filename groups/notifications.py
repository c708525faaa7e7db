"""Group emails through the outbox (kind `groups`, bulk): a post to those who chose every
post, and the daily or weekly digests (groups/jobs.py). Each carries a one-click link that
turns this group's emails off (a signed token of the membership), beside the outbox's own
link for every group email. Written in the recipient's language, except the posts
themselves, which are shown as their authors wrote them."""

from django.core import signing
from django.urls import reverse

from core.emails import site_url
from groups.models import GroupMembership
from mail import outbox
from mail.models import Kind

UNSUBSCRIBE_SALT = "groups.unsubscribe"


def unsubscribe_token(membership):
    return signing.dumps([membership.member_id, membership.group_id], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(member id, group id), or raises signing.BadSignature."""
    member_id, group_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(member_id), int(group_id)


def unsubscribe_url(membership):
    return site_url(
        reverse("groups:unsubscribe", args=[membership.group.slug, unsubscribe_token(membership)])
    )


def author_name(user):
    member = getattr(user, "member", None) if user is not None else None
    if member is not None and member.name:
        return member.name
    if user is None:
        return ""
    return user.get_full_name() or user.email.split("@")[0]


def post_written(post):
    """An email per post to the active members who chose every post (not its author)."""
    thread = post.thread
    group = thread.group
    recipients = (
        GroupMembership.objects.active()
        .filter(group=group, notify=GroupMembership.Notify.EVERY_POST)
        .exclude(member_id=post.author_id)
        .select_related("member", "group")
    )
    context = {
        "group": group,
        "thread": thread,
        "post": post,
        "author": author_name(post.author),
        "thread_url": site_url(thread.get_absolute_url()) + f"#post-{post.pk}",
    }
    for membership in recipients:
        outbox.send(
            "group_post",
            to=membership.member,
            kind=Kind.GROUPS,
            context={**context, "group_unsubscribe_url": unsubscribe_url(membership)},
        )


def invited(membership):
    group = membership.group
    outbox.send(
        "group_invitation",
        to=membership.member,
        kind=Kind.GROUPS,
        context={"group": group, "group_url": site_url(group.get_absolute_url())},
    )
