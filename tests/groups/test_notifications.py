"""Group emails through the outbox: every post, digests, one-click unsubscribe per group."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.jobs import JOBS
from groups import jobs, notifications, services
from groups.models import GroupMembership, Post, Thread
from mail.models import Kind, Message, Subscription
from tests.groups.conftest import add
from tests.helpers import make_member

Notify = GroupMembership.Notify


@pytest.fixture
def reader(group):
    user = make_member("reader@example.org", "Rania Reader").user
    user.language = "fr"
    user.save()
    add(group, user, notify=Notify.EVERY_POST)
    return user


def test_every_post_email_to_those_who_chose_it_not_the_author(group, member, coordinator, reader):
    GroupMembership.objects.filter(member=member).update(notify=Notify.EVERY_POST)
    thread = services.start_thread(
        group=group, author=member, title="Plans", body="Fieldwork **now**"
    )
    messages = Message.objects.filter(template="group_post")
    assert [m.to for m in messages] == ["reader@example.org"]  # weekly coordinator, author left out
    message = messages.get()
    assert message.kind == Kind.GROUPS
    assert "Fieldwork **now**" in message.body  # the post as its author wrote it
    assert "Mehdi Member" in message.body and "a écrit" in message.body  # the rest in French
    assert f"/groups/{group.slug}/{thread.pk}/" in message.body
    assert "/unsubscribe/" in message.body and message.headers["List-Unsubscribe"]


def test_no_email_to_those_who_left_or_asked(group, member, reader, outsider):
    add(group, outsider, state=GroupMembership.State.REQUESTED, notify=Notify.EVERY_POST)
    services.leave(group=group, user=reader)
    services.start_thread(group=group, author=member, title="Plans", body="b")
    assert not Message.objects.filter(template="group_post").exists()


def test_global_group_emails_off_is_respected(group, member, reader):
    Subscription.objects.create(email=reader.email, kind=Kind.GROUPS, subscribed=False)
    services.start_thread(group=group, author=member, title="Plans", body="b")
    assert not Message.objects.filter(template="group_post").exists()


def test_digest_groups_new_threads_and_replies_with_counts(group, member, coordinator, reader):
    now = timezone.now()
    GroupMembership.objects.filter(member=coordinator).update(
        notify=Notify.DAILY, digested_at=now - datetime.timedelta(days=2)
    )
    GroupMembership.objects.filter(member=member).update(notify=Notify.NONE)
    old = Thread.objects.create(
        group=group, title="Older thread", created_at=now - datetime.timedelta(days=5)
    )
    Post.objects.create(thread=old, author=member, body="old", created_at=old.created_at)
    services.reply(thread=old, author=member, body="r1")
    services.reply(thread=old, author=reader, body="r2")
    services.reply(thread=old, author=coordinator, body="mine")  # own posts left out
    new = services.start_thread(group=group, author=member, title="Brand new", body="b")
    hidden = services.start_thread(group=group, author=member, title="Hidden one", body="b")
    Thread.objects.filter(pk=hidden.pk).update(hidden=True)

    assert "group_digests" in JOBS
    assert jobs.group_digests(now + datetime.timedelta(minutes=1)) == 1
    digest = Message.objects.get(template="group_digest")
    assert digest.to == coordinator.email and digest.kind == Kind.GROUPS
    assert "3 new posts" in digest.subject
    assert "1 new discussion" in digest.body and "Brand new (1 post)" in digest.body
    assert (
        "Replies in 1 discussion" in digest.body and "Older thread (2 new replies)" in digest.body
    )
    assert "Hidden one" not in digest.body and "mine" not in digest.body
    assert new.get_absolute_url() in digest.body
    # Run again (a second scheduler): nothing more.
    assert jobs.group_digests(now + datetime.timedelta(minutes=2)) == 0
    assert Message.objects.filter(template="group_digest").count() == 1


def test_weekly_digest_waits_a_week(group, member, coordinator):
    now = timezone.now()
    GroupMembership.objects.filter(member=coordinator).update(
        notify=Notify.WEEKLY, digested_at=now - datetime.timedelta(days=3)
    )
    services.start_thread(group=group, author=member, title="Soon", body="b")
    assert jobs.group_digests(now) == 0
    assert jobs.group_digests(now + datetime.timedelta(days=4, minutes=1)) == 1


def test_digest_not_sent_when_nothing_is_new(group, coordinator):
    assert jobs.group_digests(timezone.now() + datetime.timedelta(days=8)) == 0


def test_one_click_unsubscribe_per_group(client, group, reader):
    membership = GroupMembership.objects.get(member=reader)
    url = reverse(
        "groups:unsubscribe", args=[group.slug, notifications.unsubscribe_token(membership)]
    )
    response = client.get(url)  # a link scanner: nothing changes
    assert response.status_code == 200 and group.name in response.content.decode()
    assert GroupMembership.objects.get(pk=membership.pk).notify == Notify.EVERY_POST
    assert client.post(url).status_code == 200
    assert GroupMembership.objects.get(pk=membership.pk).notify == Notify.NONE
    # Forged or tampered tokens, another group's slug: 404.
    assert client.get(url[:-3] + "xx/").status_code == 404
    assert client.get(reverse("groups:unsubscribe", args=[group.slug, "junk"])).status_code == 404
    other = reverse(
        "groups:unsubscribe", args=["other", notifications.unsubscribe_token(membership)]
    )
    assert client.post(other).status_code == 404


def test_first_digest_a_period_after_joining_with_everything_since(group, member, coordinator):
    start = timezone.now()
    services.start_thread(group=group, author=member, title="Early", body="b")
    assert jobs.group_digests(start + datetime.timedelta(days=6)) == 0  # weekly: not yet
    assert jobs.group_digests(start + datetime.timedelta(days=7, minutes=1)) == 1
    assert "Early" in Message.objects.get(template="group_digest", to=coordinator.email).body


def test_choosing_a_digest_starts_it_from_now(client, group, member, coordinator):
    services.start_thread(group=group, author=member, title="Before the choice", body="b")
    client.force_login(coordinator)
    client.post(reverse("groups:notify", args=[group.slug]), {"notify": "daily"})
    services.start_thread(group=group, author=member, title="After the choice", body="b")
    jobs.group_digests(timezone.now() + datetime.timedelta(days=1, minutes=1))
    body = Message.objects.get(template="group_digest", to=coordinator.email).body
    assert "After the choice" in body and "Before the choice" not in body


def test_digest_reads_a_groups_posts_once_for_all_its_members(group, member, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(5):
        add(group, make_member(f"m{n}@example.org", f"Member {n}").user)
    services.start_thread(group=group, author=member, title="For all", body="b")
    with CaptureQueriesContext(connection) as queries:
        sent = jobs.group_digests(timezone.now() + datetime.timedelta(days=7, minutes=1))
    assert sent == 6  # the coordinator and five members; not the author
    assert sum('FROM "groups_post"' in q["sql"] for q in queries.captured_queries) == 1
