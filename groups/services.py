"""What members and coordinators do in a group: each a keyword-only function in one
transaction. Notifications are queued by the service that posts (groups/notifications.py)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from groups import notifications
from groups.models import GroupMembership, Post, Report, Thread, ThreadRead, WorkingGroup

Role, State = GroupMembership.Role, GroupMembership.State


class NotAllowed(Exception):
    """The action is not open to this person now (the view answers 403)."""


def membership_of(user, group):
    if not user.is_authenticated:
        return None
    return GroupMembership.objects.filter(member=user, group=group).first()


@transaction.atomic
def join(*, group, user):
    """Open groups: active at once; on request: asked; by invitation: only an invited person
    may accept. Returns the membership."""
    if group.is_archived:
        raise NotAllowed
    membership = (
        GroupMembership.objects.select_for_update().filter(member=user, group=group).first()
    )
    if membership is not None:
        if membership.state == State.INVITED:
            membership.state = State.ACTIVE
            membership.save(update_fields=["state"])
        return membership
    if group.join_policy == WorkingGroup.JoinPolicy.INVITATION:
        raise NotAllowed
    state = State.ACTIVE if group.join_policy == WorkingGroup.JoinPolicy.OPEN else State.REQUESTED
    try:
        with transaction.atomic():
            return GroupMembership.objects.create(member=user, group=group, state=state)
    except IntegrityError:  # the same request twice at once
        return GroupMembership.objects.get(member=user, group=group)


@transaction.atomic
def leave(*, group, user):
    """Leave (or withdraw a request, or decline an invitation): the row goes, so no email
    reaches someone who left."""
    deleted, _ = GroupMembership.objects.filter(member=user, group=group).delete()
    return bool(deleted)


@transaction.atomic
def decide(*, membership, approve):
    """A coordinator approves or declines a request to join."""
    if membership.state != State.REQUESTED:
        raise NotAllowed
    if approve:
        membership.state = State.ACTIVE
        membership.save(update_fields=["state"])
    else:
        membership.delete()
    return membership


@transaction.atomic
def invite(*, group, user):
    """Invite a person (an email tells them); someone who asked to join is simply let in.
    Returns the membership."""
    membership, created = GroupMembership.objects.get_or_create(
        member=user, group=group, defaults={"state": State.INVITED}
    )
    if created:
        notifications.invited(membership)
    elif membership.state == State.REQUESTED:
        membership.state = State.ACTIVE
        membership.save(update_fields=["state"])
    return membership


def _can_write(thread_or_group, user):
    group = getattr(thread_or_group, "group", thread_or_group)
    if group.is_archived:
        raise NotAllowed
    if getattr(thread_or_group, "locked", False):
        raise NotAllowed


@transaction.atomic
def start_thread(*, group, author, title, body):
    _can_write(group, author)
    now = timezone.now()
    thread = Thread.objects.create(
        group=group, title=title, author=author, created_at=now, last_activity_at=now
    )
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=now)
    ThreadRead.objects.create(member=author, thread=thread, read_at=now)
    notifications.post_written(post)
    return thread


@transaction.atomic
def reply(*, thread, author, body):
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    _can_write(thread, author)
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
    mark_read(thread=thread, user=author, now=now)
    notifications.post_written(post)
    return post


def edit(*, post, user, body):
    if not post.editable_by(user) or post.thread.group.is_archived:
        raise NotAllowed
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


def report(*, post, user, reason=""):
    Report.objects.get_or_create(post=post, reporter=user, defaults={"reason": reason[:500]})


def mark_read(*, thread, user, now=None):
    """One upsert (INSERT ... ON CONFLICT UPDATE): safe when two tabs read at once."""
    if not user.is_authenticated:
        return
    ThreadRead.objects.bulk_create(
        [ThreadRead(member=user, thread=thread, read_at=now or timezone.now())],
        update_conflicts=True,
        unique_fields=["member", "thread"],
        update_fields=["read_at"],
    )


def moderate_thread(*, thread, action):
    """pin/unpin, lock/unlock, hide/show: one flag flipped."""
    field, value = {
        "pin": ("pinned", True),
        "unpin": ("pinned", False),
        "lock": ("locked", True),
        "unlock": ("locked", False),
        "hide": ("hidden", True),
        "show": ("hidden", False),
    }[action]
    Thread.objects.filter(pk=thread.pk).update(**{field: value})


def moderate_post(*, post, hidden):
    Post.objects.filter(pk=post.pk).update(hidden=hidden)


def move(*, thread, to_group):
    """Move a thread to another group (the views check the mover coordinates both)."""
    Thread.objects.filter(pk=thread.pk).update(group=to_group)
