"""The working groups the network's documents name, created by the history loader."""

import datetime

from django.core.management import call_command
from django.core.serializers import serialize
from django.urls import reverse

from groups.models import GroupMembership, WorkingGroup


def test_history_creates_the_documents_groups_without_people(client, history):
    groups = {g.slug: g for g in WorkingGroup.objects.all()}
    assert set(groups) == {
        "paris-collaborative-working-groups",
        "case-study-group",
        "icsei-working-group",
    }
    paris = groups["paris-collaborative-working-groups"]
    assert paris.name == "Progressing the Agenda: Collaborative Working Groups"
    assert paris.started_on == datetime.date(2019, 2, 20)
    case_study = groups["case-study-group"]
    assert "Five researchers paired with five leadership program providers" in case_study.purpose
    assert case_study.join_policy == WorkingGroup.JoinPolicy.INVITATION
    assert "Marrakech" in groups["icsei-working-group"].purpose
    assert groups["icsei-working-group"].started_on == datetime.date(2020, 1, 1)
    assert not GroupMembership.objects.exists()  # no invented people
    # English column, shown to visitors (public descriptions).
    assert case_study.purpose_en == case_study.purpose
    html = client.get(reverse("groups:list")).content.decode()
    assert "Case Study Group" in html and "January 2020" in html
    page = client.get(reverse("groups:detail", args=["case-study-group"])).content.decode()
    assert 'href="/events/paris-2019/"' in page


def test_loading_twice_changes_nothing_and_edits_survive(db):
    call_command("load_network_history")
    before = serialize("json", WorkingGroup.objects.order_by("pk"))
    call_command("load_network_history")
    assert serialize("json", WorkingGroup.objects.order_by("pk")) == before
    WorkingGroup.objects.filter(slug="case-study-group").update(name="Edited")
    call_command("load_network_history")
    assert WorkingGroup.objects.get(slug="case-study-group").name == "Edited"
