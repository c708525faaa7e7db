"""The member record hands out the portal's roles, within what the acting admin may grant."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import Member
from tests.helpers import make_member, make_user


def member_form_data(member, roles=()):
    return {
        "user": member.user.pk,
        "name": member.name,
        "slug": member.slug,
        "position": "",
        "country": "KE",
        "status": member.status,
        "visibility": "public",
        "role_category": "other",
        "expertise": "",
        "languages": "",
        "bio": "",
        "website": "",
        "orcid": "",
        "linkedin": "",
        "motivation": "",
        "roles": [str(Group.objects.get(name=name).pk) for name in roles],
    }


@pytest.fixture
def researcher_to_be(db):
    return make_member("lina@example.org", "Lina Haddad", country="JO")


@pytest.fixture
def superuser_client(client, db):
    client.force_login(make_user("root@example.org", is_staff=True, is_superuser=True))
    return client


def role_names(member):
    return set(member.user.groups.values_list("name", flat=True))


def test_network_admin_sees_the_roles_they_may_grant(network_admin_client, researcher_to_be):
    url = reverse("admin:members_member_change", args=[researcher_to_be.pk])
    response = network_admin_client.get(url)
    assert response.status_code == 200
    offered = {g.name for g in response.context["adminform"].form.fields["roles"].queryset}
    assert offered == {"Researchers", "Event staff", "Translators"}
    html = response.text
    assert 'type="checkbox" name="roles"' in html
    assert "Researchers" in html and "Event staff" in html


def test_network_admin_grants_and_removes_researcher(network_admin_client, researcher_to_be):
    url = reverse("admin:members_member_change", args=[researcher_to_be.pk])
    data = member_form_data(researcher_to_be, roles=["Researchers", "Event staff"])
    response = network_admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert role_names(researcher_to_be) == {"Members", "Researchers", "Event staff"}
    # The checkbox shows it ticked next time.
    form = network_admin_client.get(url).context["adminform"].form
    assert {g.name for g in Group.objects.filter(pk__in=form.initial["roles"])} == {
        "Researchers",
        "Event staff",
    }
    response = network_admin_client.post(url, member_form_data(researcher_to_be, ["Event staff"]))
    assert response.status_code == 302
    assert role_names(researcher_to_be) == {"Members", "Event staff"}


def test_network_admin_cannot_grant_network_admins(network_admin_client, researcher_to_be):
    url = reverse("admin:members_member_change", args=[researcher_to_be.pk])
    response = network_admin_client.post(
        url, member_form_data(researcher_to_be, roles=["Network admins"])
    )
    # A forged choice is refused on the form; nothing changes.
    assert response.status_code == 200
    assert "roles" in response.context["adminform"].form.errors
    researcher_to_be.user.refresh_from_db()
    assert role_names(researcher_to_be) == {"Members"}
    assert not researcher_to_be.user.is_staff


def test_network_admin_cannot_take_away_members_or_roles_they_do_not_offer(
    network_admin_client, researcher_to_be
):
    researcher_to_be.user.groups.add(Group.objects.get(name="Researchers"))
    url = reverse("admin:members_member_change", args=[researcher_to_be.pk])
    response = network_admin_client.post(url, member_form_data(researcher_to_be, roles=[]))
    assert response.status_code == 302
    # Members follows the approved status, whatever the form said.
    assert role_names(researcher_to_be) == {"Members"}


def test_network_admin_cannot_change_a_staff_members_roles(network_admin_client, researcher_to_be):
    user = researcher_to_be.user
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Network admins"))
    url = reverse("admin:members_member_change", args=[researcher_to_be.pk])
    page = network_admin_client.get(url)
    assert page.status_code == 200
    assert 'name="roles"' not in page.text
    assert "Members, Network admins" in page.text  # shown, read-only
    response = network_admin_client.post(url, member_form_data(researcher_to_be, roles=[]))
    assert response.status_code == 403
    assert "Network admins" in role_names(researcher_to_be)


def test_superuser_grants_network_admins_with_back_office_access(
    superuser_client, researcher_to_be
):
    url = reverse("admin:members_member_change", args=[researcher_to_be.pk])
    offered = superuser_client.get(url).context["adminform"].form.fields["roles"].queryset
    assert {g.name for g in offered} == {
        "Researchers",
        "Event staff",
        "Translators",
        "Network admins",
    }
    response = superuser_client.post(
        url, member_form_data(researcher_to_be, roles=["Network admins"])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    researcher_to_be.user.refresh_from_db()
    assert role_names(researcher_to_be) == {"Members", "Network admins"}
    assert researcher_to_be.user.is_staff
    response = superuser_client.post(url, member_form_data(researcher_to_be, roles=[]))
    assert response.status_code == 302
    researcher_to_be.user.refresh_from_db()
    assert role_names(researcher_to_be) == {"Members"}
    assert not researcher_to_be.user.is_staff


def test_pending_applicant_gets_a_role_but_not_members(network_admin_client, db):
    applicant = make_member("new@example.org", "Nora Applicant", status=Member.Status.APPLIED)
    url = reverse("admin:members_member_change", args=[applicant.pk])
    response = network_admin_client.post(url, member_form_data(applicant, roles=["Researchers"]))
    assert response.status_code == 302
    assert role_names(applicant) == {"Researchers"}


def test_member_and_visitor_cannot_open_the_record(client, member_client, researcher_to_be):
    url = reverse("admin:members_member_change", args=[researcher_to_be.pk])
    assert member_client.get(url).status_code == 302
    client.logout()
    assert client.get(url).status_code == 302
