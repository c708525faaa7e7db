"""`make demo`: a small fake set on top of the history, every role ready to sign in."""

import re
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from events.models import Event
from members.models import Member, Organization
from resources.models import CaseStudy, Resource


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return dict(re.findall(r"([a-z]+\.demo@example\.org)\s+(\S+)", out.getvalue()))


def test_demo_data_lets_each_role_sign_in_and_find_its_work(client, history, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    passwords = load_demo()
    assert set(passwords) == {
        "member.demo@example.org",
        "researcher.demo@example.org",
        "staff.demo@example.org",
        "admin.demo@example.org",
    }
    assert Member.objects.filter(slug__startswith="demo-member-").count() == 150
    assert (
        Organization.objects.filter(slug__startswith="demo-org-", programs__isnull=False)
        .distinct()
        .count()
        == 12
    )
    session = Event.objects.get(slug="demo-working-session")
    assert Event.objects.upcoming().filter(pk=session.pk).exists()
    assert session.registrations.confirmed().count() > 0
    statuses = set(CaseStudy.objects.values_list("status", flat=True))
    assert {CaseStudy.Status.SUBMITTED, CaseStudy.Status.PUBLISHED} <= statuses
    members_only = Resource.objects.filter(slug__startswith="demo-members-only-")
    assert members_only.count() == 3 and all(r.file for r in members_only)
    # The role accounts are found by name, like every member.
    assert Member.objects.search("demo member").filter(user__email="member.demo@example.org")

    # The member signs in with the printed password and downloads a members-only PDF.
    assert client.login(
        email="member.demo@example.org", password=passwords["member.demo@example.org"]
    )
    response = client.get(members_only[0].get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Event staff see the session's attendees; the admin reaches the back office.
    client.login(email="staff.demo@example.org", password=passwords["staff.demo@example.org"])
    assert client.get(reverse("events:attendees", args=[session.slug])).status_code == 200
    client.login(email="admin.demo@example.org", password=passwords["admin.demo@example.org"])
    assert client.get(reverse("admin:index")).status_code == 200


def test_loading_the_demo_twice_adds_nothing(history, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    load_demo()
    counts = (Member.objects.count(), Resource.objects.count(), Event.objects.count())
    passwords = load_demo()
    assert (Member.objects.count(), Resource.objects.count(), Event.objects.count()) == counts
    assert len(passwords) == 4
