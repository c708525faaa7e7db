"""Groups and their permissions, the back office, and what each role may see."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from members.models import Member, User
from resources.models import Resource
from tests.helpers import make_user


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_groups_exist_with_their_permissions():
    assert perms("Members") == {
        "members.view_members_only_profile",
        "resources.view_members_only_resource",
    }
    assert "resources.submit_case_study" in perms("Researchers")
    assert "resources.review_case_study" not in perms("Researchers")
    assert "events.manage_registrations" in perms("Event staff")
    admins = perms("Network admins")
    for codename in [
        "members.change_member",
        "events.add_event",
        "resources.delete_resource",
        "resources.review_case_study",
        "pages.change_contentblock",
    ]:
        assert codename in admins
    assert "auth.change_group" not in admins


@pytest.fixture
def members_only_resource(db):
    return Resource.objects.create(
        title="Confidential evaluation",
        slug="confidential",
        type=Resource.Type.REPORT,
        abstract="What the evaluation covers.",
        access=Resource.Access.MEMBERS,
        url="https://files.example.org/evaluation.pdf",
    )


def test_visitor_sees_members_only_resource_as_title_and_abstract(client, members_only_resource):
    text = client.get(members_only_resource.get_absolute_url()).text
    assert "Confidential evaluation" in text
    assert "What the evaluation covers." in text
    assert "files.example.org" not in text
    assert "Sign in" in text


def test_member_opens_members_only_resource(member_client, members_only_resource):
    text = member_client.get(members_only_resource.get_absolute_url()).text
    assert "files.example.org/evaluation.pdf" in text


def test_signed_in_non_member_is_treated_as_visitor(client, members_only_resource):
    client.force_login(make_user("applicant@example.org"))
    text = client.get(members_only_resource.get_absolute_url()).text
    assert "files.example.org" not in text


@pytest.mark.parametrize("visibility", list(Member.Visibility))
def test_directory_visibility(client, member_user, visibility):
    Member.objects.filter(user=member_user).update(visibility=visibility)
    profile = reverse("members:detail", kwargs={"slug": "amina-mensah"})
    visitor_sees = client.get(profile).status_code == 200
    # Another member (the owner always sees their own profile, hidden or not).
    client.force_login(make_user("other-member@example.org", "Members"))
    member_sees = client.get(profile).status_code == 200
    assert (visitor_sees, member_sees) == {
        Member.Visibility.PUBLIC: (True, True),
        Member.Visibility.MEMBERS: (False, True),
        Member.Visibility.HIDDEN: (False, False),
    }[visibility]


def test_applicant_is_not_listed(client, member_user):
    Member.objects.filter(user=member_user).update(
        status=Member.Status.APPLIED, visibility=Member.Visibility.PUBLIC
    )
    assert "Amina Mensah" not in client.get(reverse("members:list")).text


def test_members_cannot_reach_the_back_office(member_client):
    response = member_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_network_admin_opens_every_back_office_list(network_admin_client, history):
    for model in admin.site._registry:
        if model._meta.app_label == "auth":
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = network_admin_client.get(url, {"q": "leadership"})
        assert response.status_code == 200, url


def test_network_admin_cannot_give_back_office_access(network_admin_client, member_user):
    url = reverse("admin:members_user_change", args=[member_user.pk])
    form = network_admin_client.get(url).text
    assert 'name="first_name"' in form  # the plain member's account is theirs to edit
    assert 'name="is_superuser"' not in form
    assert 'name="is_staff"' not in form
    assert 'name="user_permissions"' not in form


def test_permissions_come_from_groups_and_the_user_in_one_query(
    member_user, django_assert_num_queries
):
    member_user.user_permissions.add(Permission.objects.get(codename="submit_case_study"))
    member_user = type(member_user).objects.get(pk=member_user.pk)  # no permission cache yet
    with django_assert_num_queries(1):
        assert member_user.has_perm("resources.view_members_only_resource")  # by group
        assert member_user.has_perm("resources.submit_case_study")  # directly
        assert not member_user.has_perm("events.manage_registrations")


def test_network_admin_cannot_change_a_superuser(network_admin_client, db):
    root = User.objects.create_superuser(email="root@example.org", password="root-passphrase-1")
    change = reverse("admin:members_user_change", args=[root.pk])
    for url in [change, change.replace("/change/", "/password/")]:
        response = network_admin_client.post(
            url, {"password1": "Taken-over-9876", "password2": "Taken-over-9876"}
        )
        assert response.status_code in (302, 403, 404), url
    root.refresh_from_db()
    assert root.check_password("root-passphrase-1")
