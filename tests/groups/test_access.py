"""Who may find a group, read its discussions, and who gets 404."""

import pytest
from django.urls import reverse

from groups.models import Post, Thread, WorkingGroup
from groups.services import start_thread
from tests.groups.conftest import make_group


@pytest.fixture
def thread(group, member, coordinator):
    return start_thread(group=group, author=member, title="Fieldwork plans", body="Hello **all**")


def url(thread, name="groups:thread"):
    return reverse(name, args=[thread.group.slug, thread.pk])


def test_visitor_sees_public_groups_not_members_only_ones(client, db):
    make_group("public-group", name="Public group")
    make_group(
        "closed-group", name="Closed group", description_visibility=WorkingGroup.Visibility.MEMBERS
    )
    html = client.get(reverse("groups:list")).content.decode()
    assert "Public group" in html and "Closed group" not in html
    assert client.get(reverse("groups:detail", args=["closed-group"])).status_code == 404
    assert client.get(reverse("groups:detail", args=["public-group"])).status_code == 200


def test_network_members_see_every_group(client, outsider):
    make_group(
        "closed-group",
        name="Closed group",
        description="Secret plans",
        description_visibility=WorkingGroup.Visibility.MEMBERS,
    )
    client.force_login(outsider)
    html = client.get(reverse("groups:list")).content.decode()
    assert "Closed group" in html
    page = client.get(reverse("groups:detail", args=["closed-group"])).content.decode()
    assert "Secret plans" not in page  # the description is for the group's members


def test_public_description_is_shown_to_visitors(client, db):
    make_group("open-group", description="What we do, for all to read")
    assert (
        "for all to read"
        in client.get(reverse("groups:detail", args=["open-group"])).content.decode()
    )


def test_thread_is_for_active_members_only(client, thread, member, outsider, coordinator):
    # Visitor: 404, not a sign-in page that says it exists.
    assert client.get(url(thread)).status_code == 404
    client.force_login(outsider)
    assert client.get(url(thread)).status_code == 404
    group_page = client.get(reverse("groups:detail", args=[thread.group.slug])).content.decode()
    assert "Fieldwork plans" not in group_page
    client.force_login(member)
    response = client.get(url(thread))
    assert response.status_code == 200
    assert "<strong>all</strong>" in response.content.decode()


def test_requested_member_cannot_read(client, thread, outsider):
    thread.group.memberships.create(member=outsider, state="requested")
    client.force_login(outsider)
    assert client.get(url(thread)).status_code == 404


def test_network_admin_reads_every_thread(client, thread, network_admin):
    client.force_login(network_admin)
    assert client.get(url(thread)).status_code == 200


def test_thread_under_another_groups_slug_is_404(client, thread, member):
    other = make_group("other-group")
    client.force_login(member)
    assert client.get(reverse("groups:thread", args=[other.slug, thread.pk])).status_code == 404


def test_hidden_thread_and_post_only_for_coordinators(client, thread, member, coordinator):
    post = thread.posts.get()
    Post.objects.filter(pk=post.pk).update(hidden=True)
    client.force_login(member)
    assert "Hello" not in client.get(url(thread)).content.decode()
    Thread.objects.filter(pk=thread.pk).update(hidden=True)
    assert client.get(url(thread)).status_code == 404
    client.force_login(coordinator)
    assert "Hello" in client.get(url(thread)).content.decode()


def test_markdown_is_sanitised(client, group, member):
    thread = start_thread(
        group=group, author=member, title="x", body="<script>alert(1)</script>[a](javascript:x)"
    )
    client.force_login(member)
    html = client.get(url(thread)).content.decode()
    assert "<script>alert(1)" not in html and "javascript:x" not in html


def test_group_page_lists_threads_newest_active_first_with_unread_markers(
    client, group, member, coordinator, django_assert_max_num_queries
):
    from groups import services

    threads = [
        start_thread(group=group, author=coordinator, title=f"Thread {n:02d}", body="b")
        for n in range(50)
    ]
    services.reply(thread=threads[0], author=coordinator, body="bump")
    services.mark_read(thread=threads[1], user=member)
    client.force_login(member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("groups:detail", args=[group.slug]))
    page = response.context["page_obj"]
    assert [t.title for t in page][:2] == ["Thread 00", "Thread 49"]
    unread = {t.title: t.unread for t in page}
    assert unread["Thread 00"] and unread["Thread 49"]
    assert not {
        t.title: t.unread
        for t in client.get(reverse("groups:detail", args=[group.slug]), {"page": 3}).context[
            "page_obj"
        ]
    }["Thread 01"]
    assert len(page) == 20
    with django_assert_max_num_queries(10):
        assert client.get(url(threads[0])).status_code == 200
    # Reading it clears its marker.
    page = client.get(reverse("groups:detail", args=[group.slug])).context["page_obj"]
    assert not {t.title: t.unread for t in page}["Thread 00"]


def test_junk_page_number_is_first_page(client, thread, member):
    client.force_login(member)
    response = client.get(reverse("groups:detail", args=[thread.group.slug]), {"page": "x\x00"})
    assert response.status_code in (200, 400)
