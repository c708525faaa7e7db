"""A member's groups and posts in their own-data export; the back office lists them."""

import json

import pytest
from django.urls import reverse

from groups import services
from groups.models import GroupMembership, Post, Report, Thread, ThreadRead, WorkingGroup


@pytest.fixture
def thread(group, member, coordinator):
    thread = services.start_thread(group=group, author=member, title="Plans", body="My post")
    services.report(post=thread.posts.get(), user=coordinator, reason="Check")
    return thread


def test_export_has_memberships_and_posts_of_the_person_only(client, thread, member):
    client.force_login(member)
    data = json.loads(client.get(reverse("members:own_data")).content)["groups"]
    assert data["memberships"] == [
        {
            "group": thread.group.name,
            "role": "member",
            "state": "active",
            "emails": "weekly",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert [p["text"] for p in data["posts"]] == ["My post"]
    assert [t["title"] for t in data["threads_started"]] == ["Plans"]
    assert data["reports"] == []  # the coordinator's report is theirs


@pytest.mark.parametrize("model", [WorkingGroup, GroupMembership, Thread, Post, Report, ThreadRead])
def test_back_office_lists_and_edits(network_admin_client, thread, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert network_admin_client.get(changelist).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert network_admin_client.get(change).status_code == 200


def test_members_cannot_reach_the_back_office(member_client, thread):
    response = member_client.get(reverse("admin:groups_thread_changelist"))
    assert response.status_code == 302
