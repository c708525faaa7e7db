"""Join rules, leaving, posting and moderation: each route with its real method, both sides."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import GroupMembership, Post, Report, Thread, WorkingGroup
from tests.groups.conftest import add, make_group
from tests.helpers import make_user

State = GroupMembership.State


def state_of(group, user):
    m = GroupMembership.objects.filter(group=group, member=user).first()
    return m and m.state


@pytest.fixture
def thread(group, member, coordinator):
    return services.start_thread(group=group, author=member, title="Plans", body="First post")


def t_url(name, thread, *extra):
    return reverse(name, args=[thread.group.slug, thread.pk, *extra])


# Joining


def test_open_group_member_is_active_at_once(client, outsider):
    group = make_group("open", join_policy=WorkingGroup.JoinPolicy.OPEN)
    client.force_login(outsider)
    assert client.get(reverse("groups:join", args=[group.slug])).status_code == 405
    assert client.post(reverse("groups:join", args=[group.slug])).status_code == 302
    assert state_of(group, outsider) == State.ACTIVE
    # The same request twice: still one membership.
    client.post(reverse("groups:join", args=[group.slug]))
    assert GroupMembership.objects.filter(group=group, member=outsider).count() == 1


def test_request_group_needs_a_coordinator(client, group, coordinator, outsider, member):
    client.force_login(outsider)
    client.post(reverse("groups:join", args=[group.slug]))
    request = GroupMembership.objects.get(group=group, member=outsider)
    assert request.state == State.REQUESTED
    decide = reverse("groups:decide", args=[group.slug, request.pk])
    # The requester and an ordinary member may not approve.
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.force_login(member)
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    assert state_of(group, outsider) == State.REQUESTED
    client.force_login(coordinator)
    assert client.get(decide).status_code == 405
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    assert state_of(group, outsider) == State.ACTIVE
    # Approving again: 404 (no longer a request).
    assert client.post(decide, {"decision": "approve"}).status_code == 404


def test_coordinator_declines(client, group, coordinator, outsider):
    request = add(group, outsider, state=State.REQUESTED)
    client.force_login(coordinator)
    client.post(reverse("groups:decide", args=[group.slug, request.pk]), {"decision": "decline"})
    assert state_of(group, outsider) is None


def test_invitation_group_refuses_others_and_lets_the_invited_accept(client, outsider, db):
    group = make_group("invite-only", join_policy=WorkingGroup.JoinPolicy.INVITATION)
    client.force_login(outsider)
    assert client.post(reverse("groups:join", args=[group.slug])).status_code == 403
    assert state_of(group, outsider) is None
    services.invite(group=group, user=outsider)
    client.post(reverse("groups:join", args=[group.slug]))
    assert state_of(group, outsider) == State.ACTIVE


def test_visitor_and_non_member_accounts_cannot_join(client, db):
    group = make_group("open", join_policy=WorkingGroup.JoinPolicy.OPEN)
    response = client.post(reverse("groups:join", args=[group.slug]))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user("applicant@example.org"))  # no member role
    assert client.post(reverse("groups:join", args=[group.slug])).status_code == 403


def test_archived_group_cannot_be_joined(client, outsider):
    group = make_group("old", join_policy=WorkingGroup.JoinPolicy.OPEN, archived_at=timezone.now())
    client.force_login(outsider)
    assert client.post(reverse("groups:join", args=[group.slug])).status_code == 403


def test_leave(client, thread, member):
    client.force_login(member)
    assert client.get(reverse("groups:leave", args=[thread.group.slug])).status_code == 405
    client.post(reverse("groups:leave", args=[thread.group.slug]))
    assert state_of(thread.group, member) is None
    assert client.get(t_url("groups:thread", thread)).status_code == 404


# Writing


def test_member_starts_a_thread_and_replies(client, group, member, outsider):
    client.force_login(member)
    response = client.post(
        reverse("groups:start_thread", args=[group.slug]), {"title": "مرحبا", "body": "نص"}
    )
    thread = Thread.objects.get(title="مرحبا")
    assert response["Location"] == thread.get_absolute_url()
    client.post(t_url("groups:reply", thread), {"body": "A reply"})
    assert list(thread.posts.values_list("body", flat=True)) == ["نص", "A reply"]
    # Outsiders: 404 for both.
    client.force_login(outsider)
    assert client.post(t_url("groups:reply", thread), {"body": "x"}).status_code == 404
    assert (
        client.post(reverse("groups:start_thread", args=[group.slug]), {"title": "t", "body": "b"})
    ).status_code == 404


def test_bad_input_is_refused_with_the_form(client, group, member):
    client.force_login(member)
    response = client.post(
        reverse("groups:start_thread", args=[group.slug]), {"title": "", "body": "x" * 20_001}
    )
    assert response.status_code == 400
    assert not Thread.objects.exists()


def test_no_reply_in_locked_thread_or_archived_group(client, thread, member):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    client.force_login(member)
    assert client.post(t_url("groups:reply", thread), {"body": "x"}).status_code == 403
    Thread.objects.filter(pk=thread.pk).update(locked=False)
    WorkingGroup.objects.filter(pk=thread.group_id).update(archived_at=timezone.now())
    assert client.post(t_url("groups:reply", thread), {"body": "x"}).status_code == 403
    assert (
        client.post(
            reverse("groups:start_thread", args=[thread.group.slug]), {"title": "t", "body": "b"}
        ).status_code
        == 403
    )
    assert thread.posts.count() == 1


def test_edit_own_post_within_thirty_minutes(client, thread, member, coordinator):
    post = thread.posts.get()
    edit = t_url("groups:edit_post", thread, post.pk)
    client.force_login(coordinator)  # not the author, even as coordinator
    assert client.post(edit, {"body": "changed"}).status_code == 403
    client.force_login(member)
    assert client.get(edit).status_code == 200
    client.post(edit, {"body": "changed"})
    post.refresh_from_db()
    assert post.body == "changed" and post.edited_at
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert client.post(edit, {"body": "too late"}).status_code == 403


def test_report_a_post_and_coordinators_see_reports(client, thread, coordinator, outsider, member):
    post = thread.posts.get()
    report = t_url("groups:report", thread, post.pk)
    client.force_login(outsider)
    assert client.post(report, {"reason": "spam"}).status_code == 404
    client.force_login(coordinator)
    assert client.get(report).status_code == 405
    client.post(report, {"reason": "Off topic"})
    client.post(report, {"reason": "Off topic"})
    assert Report.objects.count() == 1
    page = client.get(reverse("groups:detail", args=[thread.group.slug])).content.decode()
    assert "Off topic" in page
    client.force_login(member)
    page = client.get(reverse("groups:detail", args=[thread.group.slug])).content.decode()
    assert "Off topic" not in page


# Moderation


@pytest.mark.parametrize(
    "action,field,value",
    [
        ("pin", "pinned", True),
        ("lock", "locked", True),
        ("hide", "hidden", True),
    ],
)
def test_thread_moderation_coordinator_may_member_may_not(
    client, thread, member, coordinator, action, field, value
):
    target = t_url("groups:moderate", thread, action)
    client.force_login(member)
    assert client.post(target).status_code == 403
    assert getattr(Thread.objects.get(pk=thread.pk), field) is not value
    client.force_login(coordinator)
    assert client.get(target).status_code == 405
    assert client.post(target).status_code == 302
    assert getattr(Thread.objects.get(pk=thread.pk), field) is value


def test_unknown_moderation_action_is_404(client, thread, coordinator):
    client.force_login(coordinator)
    assert client.post(t_url("groups:moderate", thread, "DELETE")).status_code == 404


def test_hide_a_post_coordinator_may_member_may_not(client, thread, member, coordinator):
    post = thread.posts.get()
    target = t_url("groups:moderate_post", thread, post.pk, "hide")
    client.force_login(member)
    assert client.post(target).status_code == 403
    client.force_login(coordinator)
    assert client.post(target).status_code == 302
    assert Post.objects.get(pk=post.pk).hidden
    client.post(t_url("groups:moderate_post", thread, post.pk, "show"))
    assert not Post.objects.get(pk=post.pk).hidden


def test_move_only_to_a_group_one_coordinates(client, thread, member, coordinator):
    mine = make_group("mine")
    add(mine, coordinator, GroupMembership.Role.COORDINATOR)
    theirs = make_group("theirs")
    target = t_url("groups:move", thread)
    client.force_login(member)
    assert client.post(target, {"to_group": mine.pk}).status_code == 403
    client.force_login(coordinator)
    assert client.post(target, {"to_group": theirs.pk}).status_code == 403
    assert client.post(target, {"to_group": mine.pk}).status_code == 302
    assert Thread.objects.get(pk=thread.pk).group == mine


def test_outsider_gets_404_on_every_moderation_route(client, thread, outsider):
    post = thread.posts.get()
    client.force_login(outsider)
    for target in (
        t_url("groups:moderate", thread, "pin"),
        t_url("groups:moderate_post", thread, post.pk, "hide"),
        t_url("groups:move", thread),
        t_url("groups:edit_post", thread, post.pk),
    ):
        assert client.post(target).status_code == 404, target


def test_email_choice_per_group(client, thread, member, outsider):
    client.force_login(member)
    client.post(reverse("groups:notify", args=[thread.group.slug]), {"notify": "every_post"})
    assert GroupMembership.objects.get(member=member).notify == "every_post"
    client.force_login(outsider)
    assert (
        client.post(reverse("groups:notify", args=[thread.group.slug]), {"notify": "none"})
    ).status_code == 404


def test_coordinator_invites_a_member_who_accepts(client, coordinator, outsider, member):
    from mail.models import Message

    group = make_group("invite-only", join_policy=WorkingGroup.JoinPolicy.INVITATION)
    add(group, coordinator, GroupMembership.Role.COORDINATOR)
    add(group, member)
    target = reverse("groups:invite", args=[group.slug])
    client.force_login(member)  # a member may not invite
    assert client.post(target, {"email": outsider.email}).status_code == 403
    client.force_login(coordinator)
    assert client.get(target).status_code == 405
    client.post(target, {"email": "NOBODY@example.org"})
    client.post(target, {"email": make_user("applicant@example.org").email})  # not a member
    assert not GroupMembership.objects.filter(group=group, state=State.INVITED).exists()
    client.post(target, {"email": outsider.email.upper()})
    client.post(target, {"email": outsider.email})  # twice: one invitation, one email
    assert state_of(group, outsider) == State.INVITED
    invitation = Message.objects.get(template="group_invitation")
    assert invitation.to == outsider.email and group.get_absolute_url() in invitation.body
    client.force_login(outsider)
    assert "You are invited to this group." in client.get(group.get_absolute_url()).content.decode()
    client.post(reverse("groups:join", args=[group.slug]))
    assert state_of(group, outsider) == State.ACTIVE
