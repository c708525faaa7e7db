"""One rule: the Members group holds exactly the accounts whose profile is approved, whatever
path set the status (services, back office, demo data, the rule's bulk form)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from members import services
from members.models import Member, User
from tests.helpers import make_member, make_user


def rule_breakers():
    """(approved outside the group, in the group without being approved), over the table."""
    outside = set(
        Member.objects.approved()
        .exclude(user__groups__name="Members")
        .values_list("name", flat=True)
    )
    inside = set(
        User.objects.filter(groups__name="Members")
        .exclude(member__status=Member.Status.APPROVED)
        .values_list("email", flat=True)
    )
    return outside, inside


@pytest.mark.django_db
def test_seed_demo_members_follow_the_rule():
    call_command("seed_demo", members=80, resources=5, events=2)
    assert Member.objects.approved().count() > 40
    assert rule_breakers() == (set(), set())


def test_services_keep_the_rule(db):
    applicant = make_member("a@example.org", "Applicant A", status=Member.Status.APPLIED)
    services.approve(member=applicant)
    assert rule_breakers() == (set(), set())
    assert applicant.user.groups.filter(name="Members").exists()
    services.lapse(member=applicant)
    assert rule_breakers() == (set(), set())
    assert not applicant.user.groups.filter(name="Members").exists()
    rejected = make_member("r@example.org", "Rejected R", status=Member.Status.APPLIED)
    services.reject(member=rejected)
    assert rule_breakers() == (set(), set())


def test_back_office_paths_keep_the_rule(network_admin_client, db):
    # A profile added as approved in the back office joins the group.
    user = make_user("new@example.org")
    response = network_admin_client.post(
        reverse("admin:members_member_add"),
        {
            "user": user.pk,
            "name": "New Person",
            "slug": "new-person",
            "status": Member.Status.APPROVED,
            "visibility": Member.Visibility.PUBLIC,
            "role_category": Member.RoleCategory.OTHER,
            "applied_at_0": "2030-01-01",
            "applied_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert user.groups.filter(name="Members").exists()
    # Deleting the profile takes the account out.
    member = Member.objects.get(user=user)
    response = network_admin_client.post(
        reverse("admin:members_member_delete", args=[member.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not user.groups.filter(name="Members").exists()
    assert rule_breakers() == (set(), set())


def test_the_bulk_form_repairs_the_whole_table(db):
    """What an import or an old database left behind, repaired in a fixed number of queries."""
    group = Group.objects.get(name="Members")
    approved = [
        make_member(f"m{n}@example.org", f"Member {n}", groups=("Researchers",)) for n in range(5)
    ]
    stray = make_user("stray@example.org", "Members")  # no profile at all
    lapsed = make_member(
        "l@example.org", "Lapsed L", status=Member.Status.LAPSED, groups=("Members",)
    )
    assert rule_breakers() != (set(), set())
    added, removed = services.sync_member_groups()
    assert (added, removed) == (5, 2)
    assert rule_breakers() == (set(), set())
    assert set(group.user_set.all()) == {m.user for m in approved}
    assert not stray.groups.exists() and not lapsed.user.groups.filter(name="Members").exists()
    # Other groups are untouched, and running it again changes nothing.
    assert approved[0].user.groups.filter(name="Researchers").exists()
    assert services.sync_member_groups() == (0, 0)


def test_the_bulk_form_for_some_accounts_leaves_the_others(db, django_assert_max_num_queries):
    members = [
        make_member(f"m{n}@example.org", f"Member {n}", groups=("Researchers",)) for n in range(30)
    ]
    with django_assert_max_num_queries(4):
        services.sync_member_groups(User.objects.filter(pk__in=[m.user_id for m in members[:20]]))
    outside, _ = rule_breakers()
    assert outside == {m.name for m in members[20:]}
